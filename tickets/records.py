"""What a ticket may be filed about, and under which terms; the form's extra fields.

These live in tickets/ because filing and seeing depend on them and tickets/ imports no
capability app: a parent record's reviewer sees its requests (`visible_to`); a contract
decides which kinds an organisation may file and which products it may name; a custom
field is validated where the ticket is filed. The pages about them (a case and its
requests) are the `cases` app's.
"""

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from common import calendars


class ParentKind(models.TextChoices):
    CASE = "case", pgettext_lazy("parent record", "Case")
    ORDER = "order", pgettext_lazy("parent record", "Order")
    RETURN = "return", pgettext_lazy("parent record", "Return")


class ParentRecordQuerySet(models.QuerySet):
    def fileable_by(self, user):
        """The records a member may file about: their organisation's and those below it.

        Staff file about nothing of their own (they file on a member's behalf)."""
        from accounts.models import Role

        if not user.is_authenticated or not user.organisation_id or user.role != Role.MEMBER:
            return self.none()
        return self.filter(organisation__path__startswith=user.organisation.path)


class ParentRecord(models.Model):
    """A record a request is filed about: an expert's case, a customer's order or return."""

    kind = models.CharField(_("type"), max_length=10, choices=ParentKind.choices)
    number = models.CharField(_("number"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    # Whose members file about it (the expert, the customer).
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="parent_records",
    )
    authority = models.CharField(_("referring authority"), max_length=200, blank=True)
    # The referring authority's reviewer: sees, answers and resolves the requests of it.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referred_records",
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    objects = ParentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("parent record")
        verbose_name_plural = _("parent records")
        ordering = ["kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="parent_kind_number")
        ]

    def __str__(self):
        return f"{self.number} — {self.title}"

    @property
    def erp_url(self) -> str:
        """The order's or return's page in the ERP, when the site names one."""
        template = settings.HELPDESK_ERP_ORDER_URL
        if not template or self.kind == ParentKind.CASE:
            return ""
        return template.replace("{number}", self.number)


class Contract(models.Model):
    """A customer's contract: the organisations working under it may file its kinds."""

    customer = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    number = models.CharField(_("number"), max_length=50, unique=True)
    organisations = models.ManyToManyField(
        "accounts.Organisation",
        verbose_name=_("organisations working under it"),
        related_name="working_contracts",
        blank=True,
    )
    kinds = models.ManyToManyField("tickets.TicketKind", verbose_name=_("kinds"), blank=True)
    products = models.ManyToManyField("tickets.Product", verbose_name=_("products"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number} ({self.customer})"


class Product(models.Model):
    """A software product (программный комплекс) tickets may name."""

    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Component(models.Model):
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="components"
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        ordering = ["product__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["product", "name"], name="component_product_name")
        ]

    def __str__(self):
        return f"{self.product} / {self.name}"


class FieldType(models.TextChoices):
    TEXT = "text", _("Text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    CHECKBOX = "checkbox", _("Checkbox")
    FILE = "file", _("File")
    EMAIL = "email", _("E-mail address")
    # International format, "+" and the country code first (the vendor's mask: +7 ...).
    PHONE = "phone", _("Phone number")


class CustomField(models.Model):
    """An extra field on a category's form (only for one kind, or under one contract, when set).

    Values are kept in `Ticket.custom` under `key`, which never changes once made:
    editing the label, help text, choices or requirement never loses a stored value.
    """

    category = models.ForeignKey(
        "categories.Category",
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="custom_fields",
    )
    kind = models.ForeignKey(
        "tickets.TicketKind",
        verbose_name=_("only for kind"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    # Asked only of organisations working under this contract (the vendor's customers).
    contract = models.ForeignKey(
        "tickets.Contract",
        verbose_name=_("only under contract"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    key = models.CharField(
        _("key"),
        max_length=40,
        help_text=_("Lower-case letters, digits, single - or _; never changes once saved."),
        # No "__": the key is used in JSON lookups (`custom__<key>`).
        validators=[RegexValidator(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*\Z")],
    )
    type = models.CharField(_("type"), max_length=20, choices=FieldType.choices)
    label = models.CharField(_("label"), max_length=200)
    # {"fa": "...", "ru": "...", "tr": "..."}: the label in each language, else `label`.
    labels = models.JSONField(_("label per language"), default=dict, blank=True)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    # [{"value": "a", "label": "A", "labels": {"ru": "..."}}] for choice fields.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["category", "key"], name="custom_field_key")]

    def __str__(self):
        return self.display_label()

    def display_label(self) -> str:
        return self.labels.get((get_language() or "")[:2]) or self.label

    def choice_options(self) -> list[tuple[str, str]]:
        language = (get_language() or "")[:2]
        return [
            (
                str(choice["value"]),
                (choice.get("labels") or {}).get(language) or choice.get("label", choice["value"]),
            )
            for choice in self.choices
        ]

    def display_value(self, value) -> str:
        """The stored value as a reader sees it (choice labels, yes/no)."""
        if value in (None, "", []):
            return ""
        if self.type in (FieldType.CHOICE, FieldType.MULTIPLE_CHOICE):
            names = dict(self.choice_options())
            values = value if isinstance(value, list) else [value]
            return ", ".join(names.get(str(item), str(item)) for item in values)
        if self.type == FieldType.CHECKBOX:
            return str(_("Yes") if value else _("No"))
        if self.type == FieldType.DATE:
            # In the reader's calendar (Solar Hijri in Persian).
            try:
                return calendars.format_datetime(datetime.date.fromisoformat(str(value)))
            except ValueError:
                return str(value)
        return str(value)
