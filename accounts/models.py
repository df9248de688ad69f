from django.contrib.auth.models import AbstractUser
from django.db import models, transaction
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    CONFEDERATION = "confederation", _("Confederation")
    FEDERATION = "federation", _("Federation")
    UNION = "union", _("Union")
    CHAMBER = "chamber", _("Chamber")
    ENGINEER = "engineer", _("Engineer")
    ACCOUNTANT = "accountant", _("Accountant")


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
    tax_number = models.CharField(_("tax number"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [
            # Prefix matches (LIKE 'x%') use this on PostgreSQL whatever the collation.
            models.Index(fields=["path"], name="org_path_prefix", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self):
        return self.name

    @transaction.atomic
    def save(self, *args, **kwargs):
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

    def subtree(self):
        """This organisation and every one below it."""
        return Organisation.objects.filter(path__startswith=self.path)


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    RESPONSIBLE = "responsible", _("Responsible")
    SUPERVISOR = "supervisor", _("Supervisor")


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
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        blank=True,
        help_text=_("Pages and e-mail use this language; empty means the browser's."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_supervisor(self) -> bool:
        """Sees and handles every ticket: the confederation's global scope."""
        return self.is_active and (self.role == Role.SUPERVISOR or self.is_superuser)

    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def wants_mail(self, topic: str) -> bool:
        """Whether to mail this user about `topic` (a `tickets.notifications` topic)."""
        return self.is_active and bool(self.email)
