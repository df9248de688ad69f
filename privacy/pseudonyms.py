"""Replacing a person by their pseudonym wherever the site keeps who they are.

The account row stays, because tickets, the action log and documents point to it;
from now on it holds only `erased-<id>`, and `User.display_name` names it in the
reader's language. What else would tell who they were goes too: an organisation of
one (an engineer's or an accountant's own, named after them, with their tax number),
what their application proposed, their sign-in records (django-axes), the admin's
history of their row, and the mail addressed to them.
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django_otp import devices_for_user

from accounts.models import OrganisationKind, RegistrationRequest, User, erased_username
from outbox.models import OutgoingMail

# Organisations of one person: their name and tax number are that person's.
ONE_PERSON_KINDS = (OrganisationKind.ENGINEER, OrganisationKind.ACCOUNTANT)


def pseudonymise(person: User) -> None:
    """Run inside the erasure's transaction, with the person's row locked."""
    # Sign-in records hold the name as typed: the username or the address, folded.
    sign_in_names = {person.username, person.email} - {""}
    sign_in_names |= {name.casefold() for name in sign_in_names}
    address = person.email
    person.username = erased_username(person.pk)
    person.first_name = person.last_name = person.email = person.phone = person.language = ""
    person.muted_topics = []
    person.is_active = person.is_staff = person.is_superuser = False
    person.last_login = None
    # A changed password hash also ends every session of theirs on its next request.
    person.set_unusable_password()
    person.save()
    person.groups.clear()
    person.user_permissions.clear()
    person.team_categories.clear()
    # The authenticator and the recovery codes (kept as typed) go with the person.
    for device in devices_for_user(person, confirmed=None):
        device.delete()
    _pseudonymise_organisation_of_one(person)
    RegistrationRequest.objects.filter(user=person).update(
        proposed_name="", proposed_tax_number="", reason=""
    )
    for record in (AccessAttempt, AccessFailureLog, AccessLog):
        record.objects.filter(username__in=sign_in_names).delete()
    _rename_in_admin_history(person, str(person))
    if address:
        OutgoingMail.objects.filter(to__iexact=address).delete()


def _pseudonymise_organisation_of_one(person: User) -> None:
    organisation = person.organisation
    if (
        organisation is None
        or organisation.kind not in ONE_PERSON_KINDS
        or organisation.members.exclude(pk=person.pk).exists()
        or organisation.children.exists()
    ):
        return
    organisation.name = erased_username(organisation.pk)
    organisation.tax_number = organisation.city = organisation.email = organisation.phone = ""
    organisation.save()
    _rename_in_admin_history(organisation, organisation.name)


def _rename_in_admin_history(instance, name: str) -> None:
    """The admin's history names each row as it was when changed."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=str(instance.pk)
    ).update(object_repr=name)
