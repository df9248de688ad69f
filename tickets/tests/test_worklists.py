"""The list's views with their counts (tickets/worklists.py), last activity and the
"updated" marker."""

import datetime
import io
import pickle

import pytest
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import UserFactory
from categories.tests.factories import CategoryFactory
from tickets import services, worklists
from tickets.models import ActivitySide, Ticket, TicketSeen
from tickets.tests.factories import TicketFactory


def listed_ids(response) -> list[int]:
    return [ticket.pk for ticket in response.context["page"].object_list]


def by_name(views) -> dict[str, int]:
    return {item.worklist.name: item.count for item in views}


def counts(response) -> dict[str, int]:
    return by_name(response.context["worklists"])


@pytest.fixture
def handler_desk(file, member, responsible, other_responsible, technical):
    """Tickets around `kapasite`: one theirs, one unassigned, one waiting for the
    member, one of another team's category."""
    mine = file(subject="mine")
    services.assign(mine, by=responsible, assignee=responsible)
    unassigned = file(subject="unassigned")
    waiting = file(subject="waiting")
    services.request_info(waiting, by=responsible, body="Which year?")
    elsewhere = file(subject="elsewhere", category=technical)
    return {"mine": mine, "unassigned": unassigned, "waiting": waiting, "elsewhere": elsewhere}


def test_a_handlers_views_count_what_each_lists(client, responsible, handler_desk):
    client.force_login(responsible)

    response = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en")

    desk = handler_desk
    assert counts(response) == {
        "mine": 1,
        "unassigned": 2,  # "unassigned" and "waiting": nobody took either
        "waiting_member": 1,
        "updated": 0,
        "open": 3,
        "overdue": 0,
        "due_today": 0,
    }
    for name, count in counts(response).items():
        listed = listed_ids(client.get("/tickets/", {"view": name}))
        assert len(listed) == count
        assert desk["elsewhere"].pk not in listed
    assert listed_ids(client.get("/tickets/", {"view": "mine"})) == [desk["mine"].pk]
    assert listed_ids(client.get("/tickets/", {"view": "waiting_member"})) == [desk["waiting"].pk]


def test_the_sidebar_shows_each_view_with_its_label_and_count(client, responsible, handler_desk):
    client.force_login(responsible)

    page = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'href="?view=mine"' in page
    assert "Unassigned in my categories" in page
    assert "All open in my categories" in page
    assert "Resolved — confirm or reopen" not in page  # a member's view


def test_a_members_views_are_their_organisations(
    client, file, member, responsible, union_member, chamber_colleague
):
    open_one = file(subject="open")
    asked = file(subject="asked")
    services.request_info(asked, by=responsible, body="Which year?")
    done = file(subject="done")
    services.resolve(done, by=responsible, explanation="Fixed.")
    file(by=union_member, subject="the union's own")
    client.force_login(chamber_colleague)

    response = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en")

    assert counts(response) == {"waiting_member": 1, "updated": 0, "open": 2, "resolved": 1}
    assert set(listed_ids(client.get("/tickets/", {"view": "open"}))) == {open_one.pk, asked.pk}
    assert listed_ids(client.get("/tickets/", {"view": "resolved"})) == [done.pk]
    assert listed_ids(client.get("/tickets/", {"view": "waiting_member"})) == [asked.pk]
    # A view the member does not have is ignored: their whole list.
    assert len(listed_ids(client.get("/tickets/", {"view": "unrouted"}))) == 3


def test_a_union_member_sees_its_chambers_tickets_but_they_are_not_ours(client, file, union_member):
    file(subject="the chamber's")
    client.force_login(union_member)

    response = client.get("/tickets/", {"view": "open"})

    assert listed_ids(response) == []
    assert len(listed_ids(client.get("/tickets/"))) == 1


def test_a_supervisor_has_the_views_across_everything_and_the_unrouted(
    client, file, supervisor, responsible, handler_desk, member
):
    orphan_category = CategoryFactory(name="Nobody's")
    orphan = TicketFactory(requester=member, category=orphan_category)
    client.force_login(supervisor)

    response = client.get("/tickets/")

    assert counts(response) == {
        "mine": 0,
        "unassigned": 4,  # unassigned, waiting, elsewhere, orphan
        "waiting_member": 1,
        "updated": 0,
        "open": 5,
        "overdue": 0,
        "due_today": 0,
        "unrouted": 1,
    }
    assert listed_ids(client.get("/tickets/", {"view": "unrouted"})) == [orphan.pk]


def test_an_unknown_view_is_ignored(client, responsible, handler_desk):
    client.force_login(responsible)

    response = client.get("/tickets/", {"view": "nonsense'--"})

    assert response.status_code == 200
    assert len(listed_ids(response)) == 3  # everything the responsible sees


def test_counts_stop_at_the_cap(client, settings, member, responsible, capacity, monkeypatch):
    monkeypatch.setattr(worklists, "COUNT_CAP", 3)
    TicketFactory.create_batch(5, requester=member, category=capacity)
    client.force_login(responsible)

    page = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert ">3+</span>" in page


def test_a_view_combines_with_the_filters(client, file, responsible):
    file(subject="Yazıcı")
    file(subject="Kapasite", priority="high")
    client.force_login(responsible)

    response = client.get("/tickets/", {"view": "unassigned", "priority": "high"})

    assert [Ticket.objects.get(pk=pk).subject for pk in listed_ids(response)] == ["Kapasite"]


def test_a_long_organisation_name_carries_its_full_name_on_hover(client, ticket, responsible):
    client.force_login(responsible)

    page = client.get("/tickets/").content.decode()

    assert '<bdi title="İnegöl Marangozlar Odası">İnegöl Marangozlar Odası</bdi>' in page


# Last activity


def test_a_public_event_moves_the_last_activity_and_an_internal_note_does_not(ticket, responsible):
    filed_at = Ticket.objects.get(pk=ticket.pk).last_activity_at
    services.reply(ticket, by=responsible, body="Looking into it.")
    replied = Ticket.objects.get(pk=ticket.pk)
    services.reply(ticket, by=responsible, body="Between us.", internal=True)
    services.mark_read(Ticket.objects.get(pk=ticket.pk), by=responsible)

    after_note = Ticket.objects.get(pk=ticket.pk)
    assert replied.last_activity_at > filed_at
    assert replied.last_activity_side == ActivitySide.HANDLER
    assert after_note.last_activity_at == replied.last_activity_at


def test_the_list_sorts_by_last_activity(client, file, responsible, member):
    old = file(subject="old")
    new = file(subject="new")
    services.reply(old, by=member, body="Any news?")
    client.force_login(responsible)

    newest_first = listed_ids(client.get("/tickets/", {"sort": "-activity"}))
    oldest_first = listed_ids(client.get("/tickets/", {"sort": "activity"}))

    assert newest_first == [old.pk, new.pk]
    assert oldest_first == [new.pk, old.pk]


def test_opening_a_ticket_notes_when_the_user_saw_it_once_per_user(client, ticket, responsible):
    client.force_login(responsible)

    client.get(f"/tickets/{ticket.pk}/")
    first = TicketSeen.objects.get(user=responsible, ticket=ticket).seen_at
    client.get(f"/tickets/{ticket.pk}/")

    assert TicketSeen.objects.filter(ticket=ticket).count() == 1
    assert TicketSeen.objects.get(user=responsible, ticket=ticket).seen_at >= first


def test_the_member_answer_marks_the_ticket_updated_for_the_handler_who_saw_it(
    client, ticket, responsible, member
):
    client.force_login(responsible)
    client.get(f"/tickets/{ticket.pk}/")
    services.reply(ticket, by=responsible, body="Which year?")
    client.get(f"/tickets/{ticket.pk}/")
    TicketSeen.objects.filter(user=responsible).update(
        seen_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    Ticket.objects.filter(pk=ticket.pk).update(
        last_activity_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    before = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en")
    services.reply(ticket, by=member, body="2025.")

    after = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en")

    assert "ticket-updated" not in before.content.decode()
    assert "ticket-updated" in after.content.decode()
    assert counts(after)["updated"] == 1
    assert listed_ids(client.get("/tickets/", {"view": "updated"})) == [ticket.pk]
    client.get(f"/tickets/{ticket.pk}/")  # looked again
    again = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en")
    assert "ticket-updated" not in again.content.decode()
    assert counts(again)["updated"] == 0


def test_a_handlers_reply_is_an_update_for_the_member_not_for_the_handler(
    client, ticket, responsible, member
):
    client.force_login(member)
    client.get(f"/tickets/{ticket.pk}/")
    TicketSeen.objects.filter(user=member).update(
        seen_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    services.reply(ticket, by=responsible, body="Done?")

    member_page = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(responsible)
    client.get(f"/tickets/{ticket.pk}/")
    TicketSeen.objects.filter(user=responsible).update(
        seen_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    services.reply(ticket, by=responsible, body="Still there?")
    handler_page = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en")

    assert "ticket-updated" in member_page.content.decode()
    assert counts(member_page)["updated"] == 1
    assert "ticket-updated" not in handler_page.content.decode()


# An empty list says why


def test_an_empty_list_without_tickets_offers_a_new_record(client, member):
    client.force_login(member)

    page = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "There are no tickets yet." in page
    assert "No ticket matches these criteria." not in page


@pytest.mark.parametrize("kept_seconds", [0, 10])
def test_an_empty_list_because_of_the_criteria_offers_to_clear_them(
    client, settings, ticket, member, kept_seconds
):
    settings.HELPDESK_VIEW_COUNTS_SECONDS = kept_seconds
    client.force_login(member)
    client.get("/tickets/")  # the views' counts kept, when they are

    page = client.get("/tickets/", {"q": "zzz"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "No ticket matches these criteria." in page
    assert "Clear the criteria" in page
    assert "There are no tickets yet." not in page


def test_the_overdue_and_due_today_views_read_the_service_level_clocks(
    client, responsible, handler_desk
):
    now = timezone.now()
    late, today, tomorrow = (
        handler_desk["mine"],
        handler_desk["unassigned"],
        handler_desk["waiting"],
    )
    Ticket.objects.filter(pk=late.pk).update(due_at=now - datetime.timedelta(hours=1))
    end_of_today = datetime.datetime.combine(
        timezone.localdate(now) + datetime.timedelta(days=1),
        datetime.time.min,
        tzinfo=timezone.get_current_timezone(),
    )
    Ticket.objects.filter(pk=today.pk).update(due_at=now + (end_of_today - now) / 2)
    Ticket.objects.filter(pk=tomorrow.pk).update(due_at=end_of_today + datetime.timedelta(hours=1))
    elsewhere = handler_desk["elsewhere"]  # another team's, overdue: not theirs to see here
    Ticket.objects.filter(pk=elsewhere.pk).update(due_at=now - datetime.timedelta(hours=1))
    client.force_login(responsible)

    response = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en")

    assert (counts(response)["overdue"], counts(response)["due_today"]) == (1, 1)
    assert listed_ids(client.get("/tickets/", {"view": "overdue"})) == [late.pk]
    assert listed_ids(client.get("/tickets/", {"view": "due_today"})) == [today.pk]


@pytest.mark.parametrize("view", ["overdue", "due_today"])
def test_a_due_view_names_the_teams_categories_once(responsible, handler_desk, view):
    # Named twice, PostgreSQL squared its estimate and counted by a bitmap of the team's
    # every ticket.
    sql = str(worklists.BY_NAME[view].tickets(responsible).query)

    assert sql.partition(" WHERE ")[2].count('"category_id"') == 1


@pytest.mark.django_db
def test_a_count_of_nothing_at_all_is_zero_beside_the_others():
    TicketFactory.create_batch(2)
    nothing = [Ticket.objects.none(), Ticket.objects.filter(category_id__in=[])]

    assert worklists.bounded_counts([*nothing, Ticket.objects.all()]) == [0, 0, 2]


# Kept counts (HELPDESK_VIEW_COUNTS_SECONDS, with Redis in production)


@pytest.fixture
def kept_counts(settings):
    settings.HELPDESK_VIEW_COUNTS_SECONDS = 10


def test_kept_counts_are_reused_until_someone_elses_change_is_seconds_old(
    client, kept_counts, responsible, handler_desk, file
):
    client.force_login(responsible)
    first = counts(client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en"))
    file(subject="another")  # by the member: the handler's counts are kept a while

    kept = client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en")

    assert counts(kept) == first
    assert "another" in kept.content.decode()  # the rows are never kept
    cache.delete(f"worklists:counts:{responsible.pk}")  # as when the seconds are over
    assert counts(client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en"))["unassigned"] == 3


def test_a_users_own_change_shows_in_their_counts_at_once(
    client, kept_counts, responsible, handler_desk
):
    client.force_login(responsible)
    before = counts(client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en"))

    client.post(f"/tickets/{handler_desk['unassigned'].pk}/assign/", {"assignee": responsible.pk})
    after = counts(client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en"))

    assert (before["mine"], before["unassigned"]) == (1, 2)
    assert (after["mine"], after["unassigned"]) == (2, 1)


def test_opening_an_updated_ticket_takes_it_out_of_the_kept_updated_count(
    client, kept_counts, ticket, responsible, member
):
    client.force_login(responsible)
    client.get(f"/tickets/{ticket.pk}/")
    TicketSeen.objects.filter(user=responsible).update(
        seen_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    services.reply(ticket, by=member, body="2025.")
    assert counts(client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en"))["updated"] == 1
    assert page_count(client.get("/tickets/", {"view": "updated"})) == 1

    client.get(f"/tickets/{ticket.pk}/")

    assert counts(client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en"))["updated"] == 0
    # The list of that view counts its pages afresh too, not by the kept count.
    updated = client.get("/tickets/", {"view": "updated"})
    assert page_count(updated) == 0 and listed_ids(updated) == []


def test_joining_a_team_counts_afresh(client, kept_counts, responsible, handler_desk, technical):
    client.force_login(responsible)
    assert counts(client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en"))["open"] == 3

    technical.responsibles.add(responsible)

    assert counts(client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en"))["open"] == 4


def test_counts_are_not_kept_without_the_setting(client, settings, responsible, handler_desk):
    settings.HELPDESK_VIEW_COUNTS_SECONDS = 0
    client.force_login(responsible)

    client.get("/tickets/", HTTP_ACCEPT_LANGUAGE="en")

    assert cache.get(f"worklists:counts:{responsible.pk}") is None


def test_counts_begun_before_a_change_was_committed_are_not_kept(
    kept_counts, responsible, handler_desk, monkeypatch
):
    count = worklists.count_all

    def committed_meanwhile(counting):
        numbers = count(counting)
        # The user's change (another tab) commits while this list is counting.
        Ticket.objects.filter(pk=handler_desk["unassigned"].pk).update(assignee=responsible)
        worklists.forget_counts(responsible)
        return numbers

    monkeypatch.setattr(worklists, "count_all", committed_meanwhile)
    before = by_name(worklists.counts(responsible)[0])
    monkeypatch.undo()

    after = by_name(worklists.counts(responsible)[0])

    assert (before["mine"], after["mine"]) == (1, 2)


@pytest.fixture
def views_built(monkeypatch):
    """How many times a view's tickets were built (not counted by kept SQL)."""
    built = []
    tickets = worklists.Worklist.tickets

    def counted(worklist, user):
        built.append(worklist.name)
        return tickets(worklist, user)

    monkeypatch.setattr(worklists.Worklist, "tickets", counted)
    return built


def test_after_the_users_own_change_the_views_are_counted_by_the_kept_sql(
    kept_counts, responsible, handler_desk, views_built
):
    worklists.counts(responsible)
    assert views_built  # the first time, built and compiled
    views_built.clear()
    Ticket.objects.filter(pk=handler_desk["unassigned"].pk).update(assignee=responsible)
    worklists.forget_counts(responsible)

    after = by_name(worklists.counts(responsible)[0])

    assert views_built == []
    assert (after["mine"], after["unassigned"]) == (2, 1)


def test_kept_sql_older_than_the_kept_seconds_is_built_again(
    kept_counts, responsible, handler_desk, views_built
):
    worklists.counts(responsible)
    basis, generation, numbers, sql = cache.get(f"worklists:counts:{responsible.pk}")
    stale = (*sql[:3], sql[3] - 11)
    cache.set(f"worklists:counts:{responsible.pk}", (basis, generation, numbers, stale))
    worklists.forget_counts(responsible)
    views_built.clear()

    worklists.counts(responsible)

    assert views_built  # its "now" too old for the due views: compiled afresh


@pytest.fixture
def counted(monkeypatch):
    """How many counts each counting query made."""
    made = []
    count_all = worklists.count_all

    def counting(sql):
        made.append(len(sql.parts))
        return count_all(sql)

    monkeypatch.setattr(worklists, "count_all", counting)
    return made


def test_opening_an_updated_ticket_counts_again_only_the_views_that_read_what_was_seen(
    kept_counts, responsible, handler_desk, views_built, counted
):
    worklists.counts(responsible)
    views_built.clear()
    # Someone else's change (no generation moves): kept counts do not show it yet.
    Ticket.objects.filter(pk=handler_desk["unassigned"].pk).update(assignee=responsible)
    worklists.forget_counts(responsible, seen=True)

    after = by_name(worklists.counts(responsible)[0])

    assert counted == [len(worklists.for_user(responsible)), 1]  # all, then "updated"
    assert views_built == []  # by the kept SQL
    assert (after["mine"], after["unassigned"]) == (1, 2)


def test_the_other_views_counts_kept_past_the_seconds_are_counted_again_after_a_view(
    kept_counts, responsible, handler_desk
):
    worklists.counts(responsible)
    basis, (generation, seen, counted_at), numbers, sql = cache.get(
        f"worklists:counts:{responsible.pk}"
    )
    aged = (basis, (generation, seen, counted_at - 10), numbers, sql)
    cache.set(f"worklists:counts:{responsible.pk}", aged)  # counted 10 s ago, kept longer
    Ticket.objects.filter(pk=handler_desk["unassigned"].pk).update(assignee=responsible)
    worklists.forget_counts(responsible, seen=True)

    after = by_name(worklists.counts(responsible)[0])

    assert (after["mine"], after["unassigned"]) == (2, 1)


@pytest.mark.parametrize("worklist", worklists.WORKLISTS, ids=lambda worklist: worklist.name)
def test_a_view_says_it_reads_what_was_seen_exactly_when_its_sql_does(
    worklist, member, responsible, supervisor
):
    audience = next(iter(worklist.labels))
    user = {"member": member, "handler": responsible, "supervisor": supervisor}[audience]
    try:
        sql = str(worklist.tickets(user).query)
    except EmptyResultSet:  # `__in` no ids: no SQL at all
        sql = ""

    assert (TicketSeen._meta.db_table in sql) == worklist.reads_seen


def test_counts_kept_by_an_older_release_are_counted_afresh(
    kept_counts, responsible, handler_desk, views_built
):
    basis = worklists._counted_on(responsible, worklists.for_user(responsible))
    cache.set(f"worklists:counts:{responsible.pk}", (basis, "older", [0] * 9))

    found = by_name(worklists.counts(responsible)[0])

    assert (found["mine"], found["unassigned"]) == (1, 2)
    assert views_built


def test_kept_counts_hold_plain_values_that_any_release_can_read(
    kept_counts, responsible, handler_desk
):
    worklists.counts(responsible)

    modules = []

    class Recording(pickle.Unpickler):
        def find_class(self, module, name):
            modules.append(module)
            return super().find_class(module, name)

    Recording(io.BytesIO(pickle.dumps(cache.get(f"worklists:counts:{responsible.pk}")))).load()

    # Not this module's classes, which another release may not have.
    assert modules and "tickets.worklists" not in modules


def test_counts_read_on_a_replica_are_not_kept(kept_counts, responsible, handler_desk, monkeypatch):
    monkeypatch.setattr(worklists, "replica_allowed", lambda: True)

    worklists.counts(responsible)

    assert cache.get(f"worklists:counts:{responsible.pk}") is None


def test_a_capped_count_is_kept_through_the_users_own_changes_that_cannot_uncap_it(
    kept_counts, responsible, handler_desk, counted, file, monkeypatch
):
    monkeypatch.setattr(worklists, "COUNT_CAP", 3)
    monkeypatch.setattr(worklists, "PAST_CAP", 2)  # counted up to 3 + 1 + 2 rows
    for n in range(5):
        file(subject=f"more {n}")
    views = len(worklists.for_user(responsible))
    assert by_name(worklists.counts(responsible)[0])["unassigned"] == 6  # 3+, by 3

    # The user takes one: a step (one, as the test's transaction never commits).
    services.assign(handler_desk["unassigned"], by=responsible, assignee=responsible)
    after = by_name(worklists.counts(responsible)[0])

    assert counted[-1] == views - 2  # all but "unassigned" and "open", still 3+
    assert after["mine"] == 2  # not capped: counted again
    assert after["unassigned"] > 3 and after["open"] > 3

    for _ in range(2):  # two more steps: 6 less 3 may be 3 now
        worklists.forget_counts(responsible)
    after = by_name(worklists.counts(responsible)[0])

    assert counted[-1] == views
    assert after["unassigned"] == 6  # six unassigned now, counted up to six


def test_a_capped_count_is_counted_again_once_the_steps_are_forgotten(
    kept_counts, responsible, handler_desk, counted, monkeypatch
):
    monkeypatch.setattr(worklists, "COUNT_CAP", 1)
    worklists.counts(responsible)
    cache.delete(f"worklists:counts-generation:{responsible.pk}")  # expired, say
    worklists.forget_counts(responsible)  # begun again: from another number

    worklists.counts(responsible)

    assert counted[-1] == len(worklists.for_user(responsible))  # how many steps? all again


def test_a_generation_an_older_release_kept_is_stepped_on_and_counted_afresh(
    kept_counts, responsible, handler_desk, counted
):
    worklists.counts(responsible)
    cache.set(f"worklists:counts-generation:{responsible.pk}", "9f3a01bc", 10)

    worklists.forget_counts(responsible)
    worklists.counts(responsible)

    assert counted[-1] == len(worklists.for_user(responsible))


def test_the_lists_own_count_past_the_limit_is_kept_through_the_users_own_changes(
    kept_counts, member, settings
):
    settings.HELPDESK_COUNT_LIMIT = 10
    keep = worklists.count_keeper(member)
    past, within = ("SELECT ... past", (1,)), ("SELECT ... within", (1,))
    assert keep(past, lambda: 15) == 15 and keep(within, lambda: 5) == 5

    worklists.forget_counts(member)

    assert keep(within, lambda: 6) == 6  # counted again
    assert keep(past, lambda: 99) == 14  # still past the limit, whatever the change was
    for _ in range(4):
        worklists.forget_counts(member)
    assert keep(past, lambda: 16) == 16  # 15 less 5 changes may be 10: counted again


def test_the_users_steps_count_on_redis_as_on_any_cache(
    kept_counts, member, settings, redis_server
):
    settings.CACHES = {
        "default": {"BACKEND": "common.cache.FailSoftRedisCache", "LOCATION": redis_server.url}
    }
    settings.HELPDESK_COUNT_LIMIT = 10
    keep = worklists.count_keeper(member)
    past = ("SELECT ... past", (1,))
    assert keep(past, lambda: 15) == 15

    worklists.forget_counts(member)
    worklists.forget_counts(member)

    assert keep(past, lambda: 99) == 13


def test_a_kept_list_count_reads_past_the_limit_and_outlasts_the_users_filing(
    client, kept_counts, member, file, settings
):
    settings.HELPDESK_COUNT_LIMIT = 2
    for n in range(4):
        file(subject=f"one of {n}")
    client.force_login(member)
    first = client.get("/tickets/")
    assert page_count(first) == 4  # up to 2 + 1 + PAST_CAP rows

    file(subject="the latest")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/tickets/")

    assert not [q for q in queries if q["sql"].startswith("SELECT COUNT(*) FROM (")]
    assert page_count(again) > settings.HELPDESK_COUNT_LIMIT
    assert "the latest" in again.content.decode()


def page_count(response) -> int:
    return response.context["page"].count


def test_the_lists_own_count_is_kept_for_the_same_query_until_the_users_change(
    client, kept_counts, member, file
):
    file(subject="one")
    file(subject="two")
    client.force_login(member)
    assert page_count(client.get("/tickets/")) == 2

    # A colleague's ticket: the kept count, the live rows.
    file(by=UserFactory(organisation=member.organisation), subject="three")
    kept = client.get("/tickets/")
    assert page_count(kept) == 2 and "three" in kept.content.decode()
    # Another query is counted on its own.
    assert page_count(client.get("/tickets/", {"q": "three"})) == 1

    # The user's own change: counted afresh at once.
    file(subject="four")
    assert page_count(client.get("/tickets/")) == 4


def test_the_lists_own_count_is_not_kept_without_the_setting(client, settings, member, file):
    settings.HELPDESK_VIEW_COUNTS_SECONDS = 0
    file(subject="one")
    client.force_login(member)
    assert page_count(client.get("/tickets/")) == 1

    file(by=UserFactory(organisation=member.organisation), subject="two")

    assert page_count(client.get("/tickets/")) == 2


def test_the_lists_own_count_is_not_kept_from_a_replica(kept_counts, member, monkeypatch):
    monkeypatch.setattr(worklists, "replica_allowed", lambda: True)

    assert worklists.count_keeper(member) is None


def test_a_list_count_begun_before_the_users_change_is_not_kept(kept_counts, member):
    keep = worklists.count_keeper(member)
    query = ("SELECT ...", (1,))

    def changed_meanwhile():
        worklists.forget_counts(member)  # the user's change (another tab) commits
        return 1

    assert keep(query, changed_meanwhile) == 1
    assert keep(query, lambda: 2) == 2  # counted afresh
    assert keep(query, lambda: 3) == 2  # and kept from then on


def test_opening_an_updated_ticket_keeps_the_lists_own_count_unless_it_reads_what_was_seen(
    kept_counts, member
):
    keep = worklists.count_keeper(member)
    plain = ('SELECT "tickets_ticket"."id" FROM "tickets_ticket"', (1,))
    updated = (
        'SELECT "tickets_ticket"."id" FROM "tickets_ticket" WHERE EXISTS '
        '(SELECT 1 FROM "tickets_ticketseen" U0 WHERE U0."user_id" = %s)',
        (1,),
    )
    assert keep(plain, lambda: 1) == 1
    assert keep(updated, lambda: 1) == 1

    worklists.forget_counts(member, seen=True)

    assert keep(plain, lambda: 2) == 1  # kept: opening a ticket changes no ticket
    assert keep(updated, lambda: 2) == 2  # counted afresh


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_outside_a_transaction_steps_the_counts_once(kept_counts):
    user = UserFactory()
    key = f"worklists:counts-generation:{user.pk}"
    cache.set(key, 100)

    worklists.forget_counts(user)  # the change before it is committed already

    assert cache.get(key) == 101


@pytest.mark.django_db
def test_a_change_inside_a_transaction_steps_the_counts_now_and_once_committed(
    kept_counts, django_capture_on_commit_callbacks
):
    user = UserFactory()
    key = f"worklists:counts-generation:{user.pk}"
    cache.set(key, 100)

    with django_capture_on_commit_callbacks(execute=True):
        worklists.forget_counts(user)
        assert cache.get(key) == 101

    assert cache.get(key) == 102
