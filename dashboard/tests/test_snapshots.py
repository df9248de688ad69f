"""The category snapshots (snapshots.py): the same medians and shares within the targets
as counted over the tickets at the time they were taken, shown "as of" that time to
the scopes of whole categories; other scopes count the tickets now."""

import csv
import io
from datetime import timedelta

from django.utils import timezone

from dashboard import figures, snapshots
from dashboard.models import CategorySnapshot
from tickets import services
from tickets.models import Ticket

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _answered(file, responsible, aged, *, by=None, hours=(1, 2, 4, 8)):
    """Tickets read, answered and resolved, with service-level dues some of them met."""
    now = timezone.now()
    for n, h in enumerate(hours):
        ticket = file(subject=f"{h} h", **({"by": by} if by else {}))
        services.mark_read(ticket, by=responsible)
        services.reply(ticket, by=responsible, body="cevap")
        services.resolve(ticket, by=responsible, explanation="ok")
        aged(ticket, hours=h)
        Ticket.objects.filter(pk=ticket.pk).update(
            first_response_due_at=now - timedelta(minutes=30 if n % 2 else 0),
            resolution_due_at=now + timedelta(hours=1),
        )


def test_a_snapshot_holds_the_figures_counted_over_the_tickets(
    file, responsible, aged, technical, other_union_member
):
    _answered(file, responsible, aged)
    _answered(file, responsible, aged, by=other_union_member, hours=(3, 5))
    since = figures.period_start()
    # when
    taken = snapshots.refresh()
    # then
    durations, durations_at = snapshots.durations(None, since)
    shares, shares_at = snapshots.within_target(None, since)
    assert durations == figures.durations(Ticket.objects.all(), since)
    assert shares == figures.within_target(Ticket.objects.all(), since)
    filing, filing_at = snapshots.filing_organisations(None, since)
    assert filing == figures.filing_organisations(Ticket.objects.all(), since)
    assert [n for _pk, _name, n in filing] == [4, 2]
    assert durations_at == shares_at == filing_at == CategorySnapshot.objects.first().taken_at
    assert taken == CategorySnapshot.objects.count() >= 2
    assert snapshots.durations(frozenset({technical.pk}), since)[0] == []


def test_no_snapshot_of_this_period_means_none(file, responsible, aged):
    _answered(file, responsible, aged)
    snapshots.refresh(timezone.now() - timedelta(weeks=1))  # last week's period
    assert snapshots.durations(None, figures.period_start()) is None


def _durations_csv(client, query=""):
    body = client.get(f"/dashboard/durations.csv{query}", **EN).content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))[1:]


def test_the_supervisors_page_shows_the_snapshot_as_of_its_time(
    client, file, responsible, supervisor, aged
):
    _answered(file, responsible, aged)
    snapshots.refresh()
    _answered(file, responsible, aged, hours=(100, 200, 300))  # after the snapshot
    client.force_login(supervisor)
    # when
    page = client.get("/dashboard/", **EN).content.decode()
    # then
    assert "as of " in page
    assert _durations_csv(client)[0][3] == "3.0"  # the median of 1, 2, 4, 8 hours
    # what the tickets say now: the median of the seven
    assert figures.durations(Ticket.objects.all(), figures.period_start())[0].to_resolve == 8.0


def test_an_organisations_figures_are_counted_now(
    client, file, responsible, supervisor, aged, member
):
    _answered(file, responsible, aged)
    snapshots.refresh()
    _answered(file, responsible, aged, hours=(100, 200, 300))
    client.force_login(supervisor)
    query = f"?organisation={member.organisation_id}"
    page = client.get(f"/dashboard/{query}", **EN).content.decode()
    assert "as of " not in page
    assert _durations_csv(client, query)[0][3] == "8.0"
