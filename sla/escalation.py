"""Escalation, the periodic job: the category's team hears of a ticket about to breach
its service level, the supervisors of one that breached, once each (the unique row per
ticket, clock and level), and only while the ticket's calendar says people work.

A breach is recorded (event, `sla_breached` signal) when it is mailed: at the first run
in working hours after the due, which on a due at a day's end is the next morning.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from outbox import services as outbox
from outbox.models import OutgoingMail
from tickets import filing, services
from tickets.models import Ticket

from . import recomputing, worktime
from .models import Clock, ClockKind, Escalation, EscalationLevel

BATCH = 500


def due_soon() -> timedelta:
    """How close a due is "soon": the list's `sla=due_soon` and the team's warning."""
    return timedelta(minutes=settings.HELPDESK_SLA_DUE_SOON_MINUTES)


def _clock_kind():
    """Which clock the ticket's next due belongs to."""
    return Case(
        When(
            first_responded_at__isnull=True,
            due_at=F("first_response_due_at"),
            then=Value(ClockKind.FIRST_RESPONSE.value),
        ),
        default=Value(ClockKind.RESOLUTION.value),
    )


def candidates(now):
    """Running tickets due within `due_soon` whose breach was not escalated yet, most
    urgent first: the due index's range, bounded by BATCH per run."""
    done = Escalation.objects.filter(ticket=OuterRef("pk"), clock=OuterRef("sla_clock_kind"))
    breached = done.filter(level=EscalationLevel.BREACH)
    warned = done.filter(level=EscalationLevel.WARNING)
    return (
        # Dues without a clock (generated or restored rows) are nothing to escalate.
        Ticket.objects.filter(due_at__lte=now + due_soon(), sla_clock__isnull=False)
        .annotate(sla_clock_kind=_clock_kind())
        # A warned ticket comes back only once its due has passed.
        .filter(~Exists(breached), Q(due_at__lte=now) | ~Exists(warned))
        .select_related("category", "organisation")
        .order_by("due_at", "pk")[:BATCH]
    )


def supervisors():
    return list(User.objects.filter(Q(role=Role.SUPERVISOR) | Q(is_superuser=True), is_active=True))


def escalate(now=None) -> int:
    """One run; returns how many notices it recorded."""
    now = now or timezone.now()
    tickets = list(candidates(now))
    # Dues an admin's change moves that its job has not reached yet: moved first.
    if tickets and recomputing.bring_up_to_date([ticket.pk for ticket in tickets]):
        tickets = list(candidates(now))
    clocks = Clock.objects.filter(ticket__in=[t.pk for t in tickets]).select_related("calendar")
    calendar_of = {clock.ticket_id: clock.calendar for clock in clocks}
    schedules = {}
    bosses = None
    done = 0
    for ticket in tickets:
        calendar = calendar_of.get(ticket.pk)
        if calendar is None:
            continue
        if calendar.pk not in schedules:
            schedules[calendar.pk] = calendar.schedule()
        if not worktime.is_working(schedules[calendar.pk], now):
            continue  # never at night unless the calendar says the team works then
        level = EscalationLevel.BREACH if ticket.due_at <= now else EscalationLevel.WARNING
        if level == EscalationLevel.BREACH:
            bosses = supervisors() if bosses is None else bosses
            recipients = bosses
        else:
            recipients = list(ticket.category.responsibles.filter(is_active=True))
        if _record(ticket, ticket.sla_clock_kind, level, recipients):
            done += 1
    return done


def _record(ticket, clock: str, level: str, recipients) -> bool:
    """The row, the event and the mail in one transaction; False if done before."""
    try:
        with transaction.atomic():
            Escalation.objects.create(ticket=ticket, clock=clock, level=level)
            if level == EscalationLevel.BREACH:
                due = (
                    ticket.first_response_due_at
                    if clock == ClockKind.FIRST_RESPONSE
                    else ticket.resolution_due_at
                )
                services.record_breach(ticket, clock=clock, due_at=due)
            else:
                services.set_service_level(
                    ticket, clocks={}, change="warned", data={"clock": clock}
                )
            _mail(ticket, clock, level, recipients)
    except IntegrityError:
        return False  # another run got there first: once each
    return True


def _mail(ticket, clock: str, level: str, recipients) -> None:
    category_label = filing.category_label(ticket.organisation)  # "Unit" at the agency
    rows = []
    for user in recipients:
        if not user.wants_mail("team"):
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            values = {
                "id": ticket.pk,
                "subject": ticket.subject,
                "clock": ClockKind(clock).label,
            }
            if level == EscalationLevel.BREACH:
                headline = _("Ticket #%(id)s missed its %(clock)s due: %(subject)s") % values
            else:
                headline = _("Ticket #%(id)s is about to miss its %(clock)s due: %(subject)s") % (
                    values
                )
            headline = " ".join(headline.split())
            context = {
                "ticket": ticket,
                "category_label": category_label,
                "headline": headline,
                "due": ticket.due_at,
                "url": settings.SITE_URL.rstrip("/") + ticket.get_absolute_url(),
            }
            rows.append(
                OutgoingMail(
                    ticket_id=ticket.pk,
                    topic="team",
                    to=user.email,
                    subject=headline[:255],
                    text=render_to_string("sla/email/escalation.txt", context),
                )
            )
    outbox.enqueue_many(rows)
