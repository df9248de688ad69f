from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Concat, Lower, Substr, Upper
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.text import normalise

from . import taxnumbers
from .phones import PhoneNumberField
from .taxnumbers import TaxScheme


class OrganisationKind(models.TextChoices):
    CONFEDERATION = "confederation", _("Confederation")
    FEDERATION = "federation", _("Federation")
    UNION = "union", _("Union")
    CHAMBER = "chamber", _("Chamber")
    ENGINEER = "engineer", _("Engineer")
    ACCOUNTANT = "accountant", _("Accountant")
    # The other deployments' shapes (seed_demo --profile).
    AGENCY = "agency", _("Agency")
    AUTHORITY = "authority", _("Referring authority")
    EXPERT = "expert", _("Official expert")
    COMPANY = "company", _("Company")
    CUSTOMER = "customer", _("Customer")


class Organisation(models.Model):
    """A node of the federation's tree: TESK, a federation, a union, a chamber, ...

    `path` holds the ids from the root down ("1/4/9/"), so that a subtree is one
    indexed prefix match instead of a recursive walk.
    """

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    # The name folded for comparison (case, accents, the four Turkish i's), so that
    # "İNEGÖL" and "inegöl" are one organisation.
    name_key = models.CharField(max_length=255, editable=False, default="")
    tax_scheme = models.CharField(
        _("tax number country"), max_length=2, choices=TaxScheme.choices, default=TaxScheme.TR
    )
    tax_number = models.CharField(_("tax number"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = PhoneNumberField(_("phone"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [
            # Prefix matches (LIKE 'x%') use this on PostgreSQL whatever the collation.
            models.Index(fields=["path"], name="org_path_prefix", opclasses=["varchar_pattern_ops"])
        ]
        constraints = [
            models.UniqueConstraint(fields=["name_key"], name="org_name_key_unique"),
            models.UniqueConstraint(
                fields=["tax_scheme", "tax_number"],
                condition=~models.Q(tax_number=""),
                name="org_tax_number_unique",
            ),
        ]

    # Filled by save(); full_clean() must not ask a form for them.
    COMPUTED_FIELDS = ["path", "name_key"]

    def __str__(self):
        return self.name

    @transaction.atomic
    def save(self, *args, **kwargs):
        self.name_key = self.key_for(self.name)
        old_path = self.path
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else ""
        new_path = f"{parent_path}{self.pk}/"
        if new_path == old_path:
            return
        if self.parent_id and f"/{self.pk}/" in f"/{parent_path}":
            raise ValueError("An organisation cannot be placed under its own subtree.")
        Organisation.objects.filter(pk=self.pk).update(path=new_path)
        if old_path:
            # Moved: every descendant's path starts with the new prefix.
            Organisation.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(models.Value(new_path), Substr("path", len(old_path) + 1))
            )
        self.path = new_path

    @staticmethod
    def key_for(name: str) -> str:
        return " ".join(normalise(name).split())

    def clean(self):
        """Tidy the name and the tax number; refuse duplicates, naming the record."""
        self.name = " ".join((self.name or "").split())
        self.name_key = self.key_for(self.name)
        errors = {}
        try:
            self.tax_number = taxnumbers.compact(self.tax_scheme, self.tax_number)
        except ValidationError as error:
            errors["tax_number"] = error
        others = Organisation.objects.exclude(pk=self.pk)
        same_name = others.filter(name_key=self.name_key).first() if self.name_key else None
        if same_name:
            errors["name"] = ValidationError(
                _("This organisation is already in the directory: “%(name)s” (no. %(id)s)."),
                code="duplicate_name",
                params={"name": same_name.name, "id": same_name.pk},
            )
        if self.tax_number and "tax_number" not in errors:
            same_number = others.filter(
                tax_scheme=self.tax_scheme, tax_number=self.tax_number
            ).first()
            if same_number:
                errors["tax_number"] = ValidationError(
                    _(
                        "This tax number belongs to “%(name)s” (no. %(id)s), "
                        "already in the directory."
                    ),
                    code="duplicate_tax_number",
                    params={"name": same_number.name, "id": same_number.pk},
                )
        if (
            self.pk
            and self.parent_id
            and (self.parent_id == self.pk or f"/{self.pk}/" in f"/{self.parent.path}")
        ):
            errors["parent"] = ValidationError(
                _("An organisation cannot be placed under itself or one of its own."),
                code="parent_cycle",
            )
        if errors:
            raise ValidationError(errors)

    def subtree(self):
        """This organisation and every one below it."""
        return Organisation.objects.filter(path__startswith=self.path)


class Role(models.TextChoices):
    """What a user sees by standing. Whether someone handles tickets is not a role but
    team membership (`categories.selectors.handles_tickets`)."""

    # Sees their organisation's tickets and those below it; acts for their organisation.
    MEMBER = "member", _("Member")
    # The confederation's staff: sees by team and assignment only, never by organisation
    # (TESK's subtree is every ticket), and is never the requester's side of one.
    STAFF = "staff", _("Staff")
    SUPERVISOR = "supervisor", _("Supervisor")


class NotificationTopic(models.TextChoices):
    """What a user may be mailed about (`User.wants_mail`); ticket notices pick one each."""

    FILED = "filed", _("A ticket is filed for me")
    ANSWERED = "answered", _("My ticket gets a reply")
    INFO_REQUESTED = "info_requested", _("Information is requested on my ticket")
    RESOLVED = "resolved", _("My ticket is resolved")
    TEAM = "team", _("A ticket of my categories is new, redirected or reopened")
    ASSIGNED = "assigned", _("A ticket is assigned to me")
    FOLLOWING = "following", _("A ticket I follow changes")
    MENTIONED = "mentioned", _("A colleague mentions me in an internal note")


# Topics about handling others' tickets; members are not offered them.
HANDLER_TOPICS = {NotificationTopic.TEAM, NotificationTopic.ASSIGNED, NotificationTopic.MENTIONED}


def erased_username(pk: int) -> str:
    """The username an erased account keeps: its id, nothing about the person."""
    return f"erased-{pk}"


# Who sees every ticket (with the teams' members, who handles tickets).
SUPERVISING = models.Q(role=Role.SUPERVISOR) | models.Q(is_superuser=True)


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    phone = PhoneNumberField(_("phone"), blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        blank=True,
        help_text=_("Pages and e-mail use this language; empty means the browser's."),
    )
    # Opt-outs rather than opt-ins, so that a topic added later reaches everyone.
    muted_topics = models.JSONField(
        _("mail not wanted about"),
        default=list,
        blank=True,
        help_text=_("Notification topics this user turned off on the profile page."),
    )

    # The names, username and address folded, for the ticket list's search; kept by save().
    search_key = models.CharField(max_length=600, editable=False, default="")
    SEARCHED_FIELDS = ("first_name", "last_name", "username", "email")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [
            # The few who see every ticket: the list's assignees start from them.
            models.Index(fields=["role"], condition=SUPERVISING, name="user_supervising"),
            # Sign-in by either name, case aside (selectors.user_for_login): as `iexact`
            # compares them, not a scan of every user.
            models.Index(Upper("username"), name="user_username_upper"),
            models.Index(Upper("email"), name="user_email_upper"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_ci",
                violation_error_message=_("A user with this e-mail address already exists."),
            )
        ]

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if fields is None or set(fields) & set(self.SEARCHED_FIELDS):
            self.search_key = normalise(
                " ".join(getattr(self, name) or "" for name in self.SEARCHED_FIELDS)
            )
            if fields is not None:
                kwargs["update_fields"] = [*fields, "search_key"]
        super().save(*args, **kwargs)

    @property
    def is_supervisor(self) -> bool:
        """Sees and handles every ticket: the confederation's global scope."""
        return self.is_active and (self.role == Role.SUPERVISOR or self.is_superuser)

    @property
    def is_erased(self) -> bool:
        """The person was erased (privacy/): the row stays, under a pseudonym.

        Closed, with no password and the id for a name: an applicant who chose such a
        username still has a password, so nobody can pass for an erased person.
        """
        return (
            not self.is_active
            and not self.has_usable_password()
            and self.username == erased_username(self.pk)
        )

    def display_name(self) -> str:
        if self.is_erased:
            # Named in the reader's language, not in whatever was stored at erasure.
            return gettext("Erased person #%(id)s") % {"id": self.pk}
        return self.get_full_name() or self.username

    def wants_mail(self, topic: str) -> bool:
        """Whether to mail this user about `topic` (a `NotificationTopic` value)."""
        return self.is_active and bool(self.email) and topic not in (self.muted_topics or [])


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class RegistrationRequest(models.Model):
    """A self-registered account waiting for an admin; the user stays inactive until then.

    The applicant either chose an organisation of the directory or proposed a new
    one; a proposed organisation is created only when the application is approved.
    """

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="registration"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
        db_index=True,
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty while the applicant's organisation is only proposed."),
    )
    proposed_name = models.CharField(_("proposed organisation"), max_length=255, blank=True)
    proposed_kind = models.CharField(
        _("kind"), max_length=20, choices=OrganisationKind.choices, blank=True
    )
    proposed_tax_scheme = models.CharField(
        _("tax number country"), max_length=2, choices=TaxScheme.choices, blank=True
    )
    proposed_tax_number = models.CharField(_("tax number"), max_length=20, blank=True)
    proposed_parent = models.ForeignKey(
        Organisation,
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The language the applicant registered in: their e-mail is written in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    reason = models.TextField(_("reason for refusal"), blank=True)
    created_at = models.DateTimeField(_("applied on"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at"]

    def __str__(self):
        return self.user.username

    @property
    def organisation_name(self) -> str:
        return self.organisation.name if self.organisation_id else self.proposed_name
