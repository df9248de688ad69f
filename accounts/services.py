"""Every change of an account or an application: one function, one transaction."""

from dataclasses import dataclass
from functools import partial

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import mail
from .models import Organisation, RegistrationRequest, RegistrationStatus, Role, User


class RegistrationError(Exception):
    """An application that cannot be decided as asked; the message says why."""


@dataclass(frozen=True)
class ProposedOrganisation:
    """An organisation an applicant did not find in the directory; created on approval."""

    name: str
    kind: str
    tax_scheme: str
    tax_number: str
    parent: Organisation


@transaction.atomic
def register(
    *,
    username: str,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    organisation: Organisation | None = None,
    proposal: ProposedOrganisation | None = None,
    language: str = "",
    base_url: str = "",
) -> RegistrationRequest | None:
    """Create an inactive member account and its application; tell the admins.

    Everything that grants anything (activity, staff, role, organisation) is set here,
    never taken from the form: the admin's approval is what opens the account.

    When the e-mail address or the username already belongs to an account, nothing is
    stored (None is returned) and the applicant is told by mail instead, so that the
    answer on the page tells nobody who has an account.
    """
    if (organisation is None) == (proposal is None):
        raise ValueError("Choose an organisation or propose one, not both.")
    email = User.objects.normalize_email(email)
    tell_if_taken = partial(
        _tell_if_taken,
        username,
        email,
        name=f"{first_name} {last_name}".strip(),
        language=language,
        base_url=base_url,
    )
    if tell_if_taken():
        make_password(password)  # as long as a new account takes
        return None
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        is_active=False,
        is_staff=False,
        is_superuser=False,
        role=Role.MEMBER,
        organisation=None,
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Someone took the username or the address since the check.
        if tell_if_taken():
            return None
        raise
    registration = RegistrationRequest.objects.create(
        user=user,
        organisation=organisation,
        proposed_name=proposal.name if proposal else "",
        proposed_kind=proposal.kind if proposal else "",
        proposed_tax_scheme=proposal.tax_scheme if proposal else "",
        proposed_tax_number=proposal.tax_number if proposal else "",
        proposed_parent=proposal.parent if proposal else None,
        language=language,
    )
    transaction.on_commit(partial(mail.application_received, registration.pk, base_url))
    return registration


def _tell_if_taken(username: str, email: str, *, name: str, language: str, base_url: str) -> bool:
    """Mail the applicant when the address or the username is someone's; True if so.

    The address first: its owner may have forgotten they have an account, and is
    pointed to the password reset. Usernames are compared ignoring case.
    """
    holder = User.objects.filter(email__iexact=email).first()
    if holder is not None:
        mail.address_taken(holder, language=language, base_url=base_url)
        return True
    if User.objects.filter(username__iexact=username).exists():
        mail.username_taken(
            email, username=username, name=name, language=language, base_url=base_url
        )
        return True
    return False


def _lock_pending(registration: RegistrationRequest) -> RegistrationRequest:
    # Lock first: two admins may decide the same application at once.
    registration = RegistrationRequest.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.PENDING:
        raise RegistrationError(
            _("The application of %(username)s was already decided.")
            % {"username": registration.user.username}
        )
    return registration


def _proposed_organisation(registration: RegistrationRequest) -> Organisation:
    organisation = Organisation(
        name=registration.proposed_name,
        kind=registration.proposed_kind,
        parent=registration.proposed_parent,
        tax_scheme=registration.proposed_tax_scheme,
        tax_number=registration.proposed_tax_number,
    )
    try:
        organisation.full_clean(exclude=Organisation.COMPUTED_FIELDS)
    except ValidationError as error:
        same = Organisation.objects.filter(
            name_key=Organisation.key_for(organisation.name),
            tax_scheme=organisation.tax_scheme,
            tax_number=organisation.tax_number,
        ).first()
        if same:
            # A colleague's approval already created it: same name, same number.
            return same
        raise RegistrationError(
            _("%(username)s: the proposed organisation cannot be created: %(errors)s")
            % {"username": registration.user.username, "errors": " ".join(error.messages)}
        ) from None
    organisation.save()
    return organisation


@transaction.atomic
def approve(registration: RegistrationRequest, *, by: User, base_url: str = "") -> User:
    """Open the account in the organisation chosen (created now if it was proposed)."""
    registration = _lock_pending(registration)
    organisation = registration.organisation or _proposed_organisation(registration)
    user = registration.user
    user.organisation = organisation
    user.is_active = True
    user.save(update_fields=["organisation", "is_active"])
    registration.organisation = organisation
    registration.status = RegistrationStatus.APPROVED
    registration.decided_at = timezone.now()
    registration.decided_by = by
    registration.save(update_fields=["organisation", "status", "decided_at", "decided_by"])
    transaction.on_commit(partial(mail.decision, registration.pk, base_url))
    return user


def update_profile(
    user: User,
    *,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    language: str,
    muted_topics: list[str],
) -> User:
    """What the profile page changes; never the role, the organisation or the flags."""
    changes = {
        "first_name": first_name,
        "last_name": last_name,
        "email": User.objects.normalize_email(email),
        "phone": phone,
        "language": language,
        "muted_topics": sorted(set(muted_topics)),
    }
    for field, value in changes.items():
        setattr(user, field, value)
    user.save(update_fields=list(changes))
    return user


@transaction.atomic
def refuse(registration: RegistrationRequest, *, by: User, reason: str, base_url: str = "") -> None:
    """Keep the account closed; the applicant is mailed the reason."""
    reason = reason.strip()
    if not reason:
        raise RegistrationError(_("Give the reason for the refusal: the applicant reads it."))
    registration = _lock_pending(registration)
    registration.status = RegistrationStatus.REFUSED
    registration.reason = reason
    registration.decided_at = timezone.now()
    registration.decided_by = by
    registration.save(update_fields=["status", "reason", "decided_at", "decided_by"])
    transaction.on_commit(partial(mail.decision, registration.pk, base_url))
