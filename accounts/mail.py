"""The e-mail of accounts: a notice of an application to the admins, the decision to
the applicant, password reset links.

Each message is written in its reader's language to the outbox and sent after the
commit; while the mail server is down it waits there and `send_mail_queue` retries it,
so neither the mail nor the decision is lost, and no page waits on the mail server.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from outbox import services as outbox

from .models import RegistrationRequest, User


def write(
    to: str, *, subject_template: str, body_template: str, context: dict, language: str
) -> None:
    """Render one mail in `language` and put it in the outbox."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
    outbox.enqueue(topic="account", to=to, subject=subject[:255], text=body)


def _send(to: str, template: str, context: dict, language: str) -> None:
    write(
        to,
        subject_template=f"{template}_subject.txt",
        body_template=f"{template}.txt",
        context=context,
        language=language,
    )


def reviewers():
    """Active staff who may decide applications, with an address to write to."""
    return (
        User.objects.with_perm(
            "accounts.change_registrationrequest",
            include_superusers=True,
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .filter(is_staff=True)
        .exclude(email="")
    )


def application_received(registration_id: int, base_url: str) -> None:
    registration = RegistrationRequest.objects.select_related(
        "user", "organisation", "proposed_parent"
    ).get(pk=registration_id)
    context = {
        "registration": registration,
        "applicant": registration.user,
        "review_url": base_url
        + reverse("admin:accounts_registrationrequest_change", args=[registration.pk]),
    }
    for reviewer in reviewers():
        _send(reviewer.email, "accounts/email/application_received", context, reviewer.language)


def decision(registration_id: int, base_url: str) -> None:
    """Tell the applicant that the application was approved or refused (and why)."""
    registration = RegistrationRequest.objects.select_related("user", "organisation").get(
        pk=registration_id
    )
    context = {
        "registration": registration,
        "applicant": registration.user,
        "login_url": base_url + reverse("login"),
    }
    _send(
        registration.user.email,
        f"accounts/email/registration_{registration.status}",
        context,
        registration.user.language or registration.language,
    )


def address_taken(holder: User, *, language: str, base_url: str) -> None:
    """Tell the owner of an address that an application named it: no second account."""
    context = {
        "holder": holder,
        "reset_url": base_url + reverse("password_reset"),
        "login_url": base_url + reverse("login"),
    }
    _send(holder.email, "accounts/email/address_taken", context, holder.language or language)


def username_taken(email: str, *, username: str, name: str, language: str, base_url: str) -> None:
    """Tell an applicant that the username chosen belongs to someone else."""
    context = {
        "username": username,
        "name": name or username,
        "register_url": base_url + reverse("register"),
    }
    _send(email, "accounts/email/username_taken", context, language)
