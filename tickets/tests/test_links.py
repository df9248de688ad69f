""" "Related to #N": shown on both tickets, only to those who see the other."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from tickets import services
from tickets.models import TicketLink


def link_url(ticket):
    return reverse("tickets:link", args=[ticket.pk])


def related_block(page: str) -> str:
    start = page.index('id="related-title"')
    return page[start : page.index('id="followers-title"')]


def test_a_link_is_shown_on_both_tickets(client, file, ticket, responsible):
    other = file(subject="Benzer konu")
    client.force_login(responsible)

    client.post(link_url(ticket), {"ticket": f"#{other.pk}"})

    first = related_block(client.get(ticket.get_absolute_url()).text)
    second = related_block(client.get(other.get_absolute_url()).text)
    assert f'href="/tickets/{other.pk}/"' in first and "Benzer konu" in first
    assert f'href="/tickets/{ticket.pk}/"' in second


def test_a_member_sees_a_link_only_to_a_ticket_they_see(
    client, file, ticket, member, other_union_member, responsible
):
    own = file(subject="Kendi kaydımız")
    foreign = file(by=other_union_member, subject="Ankara'nın gizli kaydı")
    services.link(ticket, by=responsible, other=own)
    services.link(ticket, by=responsible, other=foreign)
    client.force_login(member)

    block = related_block(client.get(ticket.get_absolute_url()).text)

    assert "Kendi kaydımız" in block
    assert "Ankara'nın gizli kaydı" not in block and f"#{foreign.pk}<" not in block


@pytest.mark.parametrize("case", ["hidden", "missing", "self"])
def test_linking_to_a_hidden_missing_or_the_same_ticket_is_refused(
    client, file, ticket, responsible, technical, case
):
    hidden = file(category=technical, subject="Teknik gizli")
    number = {"hidden": hidden.pk, "missing": hidden.pk + 50, "self": ticket.pk}[case]
    client.force_login(responsible)

    response = client.post(
        link_url(ticket), {"ticket": number}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )

    expected = (
        "A ticket cannot be related to itself."
        if case == "self"
        else f"Ticket #{number} was not found."
    )
    assert expected in response.text
    assert "Teknik gizli" not in response.text
    assert not TicketLink.objects.exists()


def test_linking_twice_says_so_and_keeps_one(client, file, ticket, responsible):
    other = file(subject="İkinci")
    client.force_login(responsible)
    client.post(link_url(ticket), {"ticket": other.pk})

    response = client.post(
        link_url(other), {"ticket": ticket.pk}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )

    assert "already related" in response.text
    assert TicketLink.objects.count() == 1


def test_members_may_not_link_and_strangers_get_404(
    client, file, ticket, member, other_responsible
):
    other = file(subject="İkinci")
    client.force_login(member)
    assert client.post(link_url(ticket), {"ticket": other.pk}).status_code == 403
    client.force_login(other_responsible)
    assert client.post(link_url(ticket), {"ticket": other.pk}).status_code == 404
    assert not TicketLink.objects.exists()


def test_a_handler_removes_a_link(client, file, ticket, responsible):
    other = file(subject="İkinci")
    services.link(ticket, by=responsible, other=other)
    client.force_login(responsible)

    client.post(reverse("tickets:unlink", args=[other.pk, ticket.pk]))

    assert not TicketLink.objects.exists()


def test_removing_a_link_to_a_hidden_ticket_is_not_found(
    client, file, ticket, responsible, technical
):
    hidden = file(category=technical, subject="Teknik")
    TicketLink.objects.create(low_id=min(ticket.pk, hidden.pk), high_id=max(ticket.pk, hidden.pk))
    client.force_login(responsible)

    response = client.post(
        reverse("tickets:unlink", args=[ticket.pk, hidden.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )

    assert f"Ticket #{hidden.pk} was not found." in response.text
    assert TicketLink.objects.count() == 1


def test_the_detail_page_costs_the_same_with_many_links(
    client, file, ticket, responsible, django_assert_max_num_queries
):
    client.force_login(responsible)
    services.link(ticket, by=responsible, other=file(subject="Bağlı"))
    client.get(ticket.get_absolute_url())  # the read receipt is written once
    with django_assert_max_num_queries(14) as one:
        client.get(ticket.get_absolute_url())
    for n in range(5):
        services.link(ticket, by=responsible, other=file(subject=f"Bağlı {n}"))
        colleague = UserFactory(organisation=ticket.organisation)
        services.follow(ticket, by=colleague)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(ticket.get_absolute_url())


@pytest.mark.parametrize("who", ["responsible", "supervisor", "member"])
def test_a_ticket_without_links_asks_nothing_more_of_them(client, request, file, ticket, who):
    # given: a ticket with no link, and one linked to it
    linked = file(subject="Bağlı kayıt")
    services.link(linked, by=request.getfixturevalue("responsible"), other=file())
    client.force_login(request.getfixturevalue(who))

    # when
    with CaptureQueriesContext(connection) as alone:
        page = client.get(ticket.get_absolute_url()).text
    with CaptureQueriesContext(connection) as with_links:
        client.get(linked.get_absolute_url())

    # then: the ticket's own row says there are none; the linked one reads its links
    assert 'id="related-tickets"' not in related_block(page)
    assert len(alone.captured_queries) == len(with_links.captured_queries) - 1
