"""Followers get a ticket's notices; a handler adds a colleague; `@username` in an
internal note tells that colleague, never a member."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import UserFactory
from common.prepared import statement_text
from outbox.models import OutgoingMail
from tickets import services
from tickets.models import TicketFollower


def told(ticket, user, topic=None):
    mails = OutgoingMail.objects.filter(ticket_id=ticket.pk, to=user.email)
    if topic:
        mails = mails.filter(topic=topic)
    return mails.exists()


def follows(ticket, user):
    return TicketFollower.objects.filter(ticket=ticket, user=user).exists()


def test_a_colleague_of_the_requester_follows_and_gets_the_replies(
    client, ticket, chamber_colleague, responsible
):
    client.force_login(chamber_colleague)
    response = client.post(reverse("tickets:follow", args=[ticket.pk]))
    assert response.status_code == 302 and follows(ticket, chamber_colleague)

    services.reply(ticket, by=responsible, body="Kodlar eklendi.")

    assert told(ticket, chamber_colleague, "following")


def test_a_follower_is_not_told_of_internal_notes(ticket, chamber_colleague, responsible):
    services.follow(ticket, by=chamber_colleague)

    services.reply(ticket, by=responsible, body="İç not", internal=True)

    assert not told(ticket, chamber_colleague)


def test_unfollowing_stops_the_notices(client, ticket, chamber_colleague, responsible):
    services.follow(ticket, by=chamber_colleague)
    client.force_login(chamber_colleague)

    client.post(reverse("tickets:unfollow", args=[ticket.pk]))
    services.resolve(ticket, by=responsible, explanation="Tamam.")

    assert not follows(ticket, chamber_colleague)
    assert not told(ticket, chamber_colleague)


def test_a_union_above_reads_but_may_not_follow(client, ticket, union_member):
    client.force_login(union_member)

    response = client.post(reverse("tickets:follow", args=[ticket.pk]))

    assert response.status_code == 403
    assert not follows(ticket, union_member)


def test_following_a_ticket_one_may_not_see_is_404(client, ticket, other_union_member):
    client.force_login(other_union_member)

    response = client.post(reverse("tickets:follow", args=[ticket.pk]))

    assert response.status_code == 404
    assert not TicketFollower.objects.exists()


def test_a_follower_who_left_the_organisation_is_told_no_more(
    ticket, chamber_colleague, ankara_union, responsible
):
    services.follow(ticket, by=chamber_colleague)
    chamber_colleague.organisation = ankara_union
    chamber_colleague.save()

    services.reply(ticket, by=responsible, body="Yanıt")

    assert not told(ticket, chamber_colleague)


def test_a_handler_adds_a_colleague_of_the_category_team(client, ticket, responsible, capacity):
    colleague = UserFactory(
        username="kapasite2", organisation=responsible.organisation, role=Role.STAFF
    )
    capacity.responsibles.add(colleague)
    client.force_login(responsible)
    page = client.get(ticket.get_absolute_url()).text
    picker = page.split('id="follower-user"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{colleague.pk}">' in picker
    assert f'<option value="{responsible.pk}">' not in picker  # oneself: the Follow button

    client.post(reverse("tickets:add_follower", args=[ticket.pk]), {"user": colleague.pk})
    # An answer to the requester: the team is not told of it, a follower is.
    services.reply(ticket, by=responsible, body="Yanıtımız.")

    assert follows(ticket, colleague)
    assert told(ticket, colleague, "following")


@pytest.mark.parametrize("who", ["member", "other_responsible", "nobody"])
def test_only_a_handler_of_the_ticket_can_be_added(client, ticket, responsible, request, who):
    user_id = request.getfixturevalue(who).pk if who != "nobody" else 999999
    client.force_login(responsible)

    response = client.post(
        reverse("tickets:add_follower", args=[ticket.pk]),
        {"user": user_id},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )

    assert "Choose a colleague who handles this ticket." in response.text
    assert not TicketFollower.objects.exists()


def test_a_member_may_not_add_followers(client, ticket, member, chamber_colleague):
    client.force_login(member)

    response = client.post(
        reverse("tickets:add_follower", args=[ticket.pk]), {"user": chamber_colleague.pk}
    )

    assert response.status_code == 403
    assert not TicketFollower.objects.exists()


def test_the_page_lists_the_followers_and_offers_to_follow(
    client, ticket, member, chamber_colleague
):
    services.follow(ticket, by=chamber_colleague)
    client.force_login(member)

    page = client.get(ticket.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").text

    assert chamber_colleague.display_name() in page
    assert reverse("tickets:follow", args=[ticket.pk]) in page


def test_an_at_mention_in_an_internal_note_tells_that_colleague(ticket, responsible, supervisor):
    services.reply(
        ticket, by=responsible, body="@tesk bunu görür müsün? (@kapasite)", internal=True
    )

    assert told(ticket, supervisor, "mentioned")
    assert not told(ticket, responsible)  # not about one's own note
    # Internal notes are never mailed: the notice links to the ticket, without the text.
    mail = OutgoingMail.objects.get(to=supervisor.email, topic="mentioned")
    assert "bunu görür müsün" not in mail.text + mail.html
    assert f"/tickets/{ticket.pk}/" in mail.text


def test_a_mention_never_tells_a_member_nor_someone_outside_the_ticket(
    ticket, responsible, member, other_responsible
):
    services.reply(ticket, by=responsible, body="@oda @teknik gizli not", internal=True)

    assert not told(ticket, member, "mentioned")
    assert not told(ticket, other_responsible)


def test_a_mention_in_a_public_reply_tells_nobody_extra(ticket, responsible, supervisor):
    services.reply(ticket, by=responsible, body="@tesk açık yanıt")

    assert not told(ticket, supervisor)


def test_an_e_mail_address_is_not_a_mention(ticket, responsible, supervisor):
    services.reply(ticket, by=responsible, body="yaz: info@tesk bilgi", internal=True)

    assert not told(ticket, supervisor)


def test_a_follower_who_turned_the_topic_off_is_not_told(ticket, chamber_colleague, responsible):
    chamber_colleague.muted_topics = ["following"]
    chamber_colleague.save()
    services.follow(ticket, by=chamber_colleague)

    services.reply(ticket, by=responsible, body="Yanıt")

    assert not told(ticket, chamber_colleague)


def test_a_handler_who_turned_mentions_off_is_not_told(ticket, responsible, supervisor):
    supervisor.muted_topics = ["mentioned"]
    supervisor.save()

    services.reply(ticket, by=responsible, body="@tesk bak", internal=True)

    assert not told(ticket, supervisor)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_the_page_reads_its_followers_and_team_without_reading_every_user(
    client, ticket, responsible
):
    # A condition on every user (EXISTS ... OR EXISTS ...) cost the page a read of the
    # whole user table: 4 ms at 7,500 users, growing with every member the site gets.
    UserFactory.create_batch(5)
    client.force_login(responsible)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("tickets:detail", args=[ticket.pk])).status_code == 200
    users = 'SELECT "accounts_user"."id"'
    (people,) = [
        q["sql"]
        for q in queries
        if (text := statement_text(q["sql"], connection)).startswith(users)
        and "ticketfollower" in text
    ]

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Planned for these settings, not the plan a prepared statement may keep for all.
        cursor.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        cursor.execute("EXPLAIN " + people)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Seq Scan on accounts_user" not in plan, plan
