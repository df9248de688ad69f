"""Sending a closed ticket's survey and storing its answer."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role
from outbox import services as outbox

from . import tokens
from .models import Survey

LOW = 2  # a rating at or below it is told to the supervisors
# What the requester may turn off on the profile page like any notice (User.wants_mail).
TOPIC = "survey"


class SurveyClosed(Exception):
    """The answer may no longer be changed; the message is for the person."""


def change_window() -> timedelta:
    return timedelta(hours=settings.HELPDESK_SURVEY_CHANGE_HOURS)


def link(survey: Survey) -> str:
    path = reverse("satisfaction:survey", args=[tokens.make(survey)])
    return settings.SITE_URL.rstrip("/") + path


def send_survey(ticket) -> Survey | None:
    """Create the closed ticket's survey and mail its link to the requester, in the
    caller's transaction (the close's); once per ticket, and only to someone mailable."""
    requester = ticket.requester
    if not requester.wants_mail(TOPIC) or Survey.objects.filter(ticket=ticket).exists():
        return None
    survey = Survey.objects.create(ticket=ticket, requester=requester, key=secrets.token_hex(16))
    with translation.override(requester.language or settings.LANGUAGE_CODE):
        context = {"ticket": ticket, "url": link(survey), "days": settings.HELPDESK_SURVEY_DAYS}
        outbox.enqueue(
            to=requester.email,
            subject=" ".join(
                (
                    _("How did we do on ticket #%(id)s? %(subject)s")
                    % {"id": ticket.pk, "subject": ticket.subject}
                ).split()
            )[:255],
            text=render_to_string("satisfaction/email/survey.txt", context),
            topic=TOPIC,
            ticket_id=ticket.pk,
        )
    return survey


def can_change(survey: Survey, now=None) -> bool:
    return survey.answered_at is None or (now or timezone.now()) < (
        survey.answered_at + change_window()
    )


@transaction.atomic
def answer(survey: Survey, *, rating: int, comment: str = "") -> Survey:
    """Store (or, within the change window, change) the answer; a low one is told to the
    supervisors once."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    now = timezone.now()
    if not can_change(survey, now):
        raise SurveyClosed(_("This survey was answered and can no longer be changed."))
    if survey.answered_at is None:
        survey.answered_at = now
    else:
        survey.changed_at = now
    survey.rating, survey.comment = rating, comment
    if rating <= LOW and not survey.low_notified:
        survey.low_notified = True
        _tell_supervisors(survey)
    survey.save()
    return survey


def supervisors():
    return (
        get_user_model()
        .objects.filter(Q(role=Role.SUPERVISOR) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
    )


def _tell_supervisors(survey: Survey) -> None:
    ticket = survey.ticket
    url = settings.SITE_URL.rstrip("/") + ticket.get_absolute_url()
    for user in supervisors():
        if not user.wants_mail("team"):  # turned off on the profile page
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {"ticket": ticket, "survey": survey, "url": url}
            outbox.enqueue(
                to=user.email,
                subject=" ".join(
                    (
                        _("Low satisfaction (%(rating)s/5) on ticket #%(id)s: %(subject)s")
                        % {"rating": survey.rating, "id": ticket.pk, "subject": ticket.subject}
                    ).split()
                )[:255],
                text=render_to_string("satisfaction/email/low_rating.txt", context),
                topic="team",
                ticket_id=ticket.pk,
            )
