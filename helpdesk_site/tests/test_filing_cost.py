"""Filing a ticket through the page costs a fixed number of queries with every receiver
of the filing at work (service levels, the dashboard's counts, the notices): as many
with a team of 1 as of 5, with 3 tickets as with 30. A query per recipient or per
ticket would break it."""

import pytest

from accounts.models import Role
from accounts.tests.factories import UserFactory
from outbox.models import OutgoingMail
from sla.models import Target
from sla.tests.conftest import make_calendar
from tickets.models import EventKind, Priority, Ticket
from tickets.tests.files import PDF, upload

# The POST and its redirect's visibility check; the page after it is another request.
BUDGET = 41


@pytest.fixture
def service_levels(db):
    make_calendar("Week", default=True)
    Target.objects.create(
        priority=Priority.MEDIUM, first_response_minutes=240, resolution_minutes=960
    )


def grow(capacity, tesk, file):
    """From a team of 1 and 3 tickets to a team of 5 and 30."""
    for n in range(4):
        capacity.responsibles.add(
            UserFactory(username=f"ekip{n}", organisation=tesk, role=Role.STAFF)
        )
    for n in range(27):
        file(subject=f"U{n}")


def post_ticket(client, capacity, subject):
    return client.post(
        "/tickets/new/",
        {
            "category": capacity.pk,
            "kind": "problem",
            "priority": "medium",
            "subject": subject,
            "description": "Prod kodları eksik.",
            "attachments": [upload("rapor.pdf", PDF)],
        },
    )


def test_filing_costs_the_same_queries_whatever_the_team_and_the_tickets(
    client, member, tesk, capacity, responsible, service_levels, file, django_assert_max_num_queries
):
    # given: a team of 1 and 3 tickets
    client.force_login(member)
    for n in range(3):
        file(subject=f"T{n}")
    post_ticket(client, capacity, "warm-up")  # the process's configuration copy settles

    # when
    with django_assert_max_num_queries(BUDGET) as few:
        response = post_ticket(client, capacity, "Bir")
    spent = len(few.captured_queries)

    # then: a team of 5 and 30 tickets cost no more
    ticket = Ticket.objects.get(subject="Bir")
    assert response["Location"] == f"/tickets/{ticket.pk}/documents/"
    grow(capacity, tesk, file)
    with django_assert_max_num_queries(spent):
        post_ticket(client, capacity, "İki")

    second = Ticket.objects.get(subject="İki")
    assert second.first_response_due_at is not None
    assert list(second.events.values_list("kind", flat=True)) == [
        EventKind.CREATED,
        EventKind.SERVICE_LEVEL,
        EventKind.ATTACHED,
    ]
    assert second.attachments.get().original_name == "rapor.pdf"
    assert OutgoingMail.objects.filter(ticket_id=second.pk).count() == 1 + 5


# A handler's first answer: the reply, its move into work, the first response clock.
REPLY_BUDGET = 35


def test_a_handlers_first_answer_costs_the_same_queries_whatever_the_team_and_the_tickets(
    client, tesk, capacity, responsible, service_levels, file, django_assert_max_num_queries
):
    # given: a team of 1 and 3 tickets
    client.force_login(responsible)
    first, second, warm_up = (file(subject=f"T{n}") for n in range(3))
    client.post(f"/tickets/{warm_up.pk}/reply/", {"body": "Isınma"})

    # when
    with django_assert_max_num_queries(REPLY_BUDGET) as few:
        response = client.post(f"/tickets/{first.pk}/reply/", {"body": "İnceliyoruz."})
    spent = len(few.captured_queries)

    # then: a team of 5 and 30 tickets cost no more
    assert response["Location"] == f"/tickets/{first.pk}/"
    grow(capacity, tesk, file)
    with django_assert_max_num_queries(spent):
        client.post(f"/tickets/{second.pk}/reply/", {"body": "Bakıyoruz."})

    second.refresh_from_db()
    assert second.status == "in_progress"
    assert second.first_responded_at is not None
    assert list(second.events.values_list("kind", flat=True))[-2:] == [
        EventKind.REPLIED,
        EventKind.SERVICE_LEVEL,
    ]
    notices = OutgoingMail.objects.filter(ticket_id=second.pk, topic="answered")
    assert list(notices.values_list("to", flat=True)) == [second.requester.email]
