import uuid

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.renderers import Jinja2
from django.utils.translation import gettext_lazy as _

from accounts import loading, phones
from categories.models import Category
from common.calendars import CalendarDateField

from . import configuration, filing, services, uploads
from .models import (
    Channel,
    Component,
    ParentRecord,
    Priority,
    Product,
    Status,
    TicketKind,
)
from .records import FieldType

DESCRIPTION_MAX_LENGTH = 10_000


# Widgets drawn through Django's own Jinja2 copies of its widget templates: the same HTML
# for a fraction of Django's template engine's cost. One renderer for every such form: it
# keeps the compiled templates.
FAST_WIDGETS = Jinja2()


class PageForm(forms.Form):
    """A form of the ticket's page (drawn by `{% page_form %}`): a page carries up to
    eight."""

    default_renderer = FAST_WIDGETS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, at most HELPDESK_MAX_FILES_PER_REQUEST. Each is
    judged later by `uploads.inspect`, so that a refused file never costs the ticket or
    the other files."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        files = [upload for upload in files if upload]
        if len(files) > settings.HELPDESK_MAX_FILES_PER_REQUEST:
            raise forms.ValidationError(uploads.too_many_files(), code="too_many_files")
        return files


CHOOSE_FILES_AGAIN = _(
    "The form could not be sent, and a browser does not keep chosen files: choose your "
    "documents again before you send it."
)


class ChosenFilesNotKept:
    """A form that comes back with an error says plainly, next to the file field, that
    the files chosen must be chosen again (browsers empty a file field on reload)."""

    files_field = "attachments"

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not self._errors or self.files_field not in self.fields:
            return
        chosen = self.files.getlist(self.files_field) if hasattr(self.files, "getlist") else []
        if any(chosen):
            self.add_error(self.files_field, forms.ValidationError(CHOOSE_FILES_AGAIN))


class OfferedChoiceField(forms.ModelChoiceField):
    """A choice of rows whose options `show_choices` gave from rows already read (the
    kept configuration), by the same rule as the field's queryset: a posted value is
    taken from those rows rather than asked of the database again (a query each, on
    every filing). Without them it asks, as Django's field does."""

    offered: dict[str, object] | None = None

    def to_python(self, value):
        if self.offered is None or value in self.empty_values:
            return super().to_python(value)
        if (found := self.offered.get(str(value))) is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return found


class TicketForm(ChosenFilesNotKept, forms.Form):
    category = OfferedChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True)
    )
    kind = OfferedChoiceField(
        label=_("Kind"),
        queryset=TicketKind.objects.filter(is_active=True),
        to_field_name="code",
        empty_label=None,
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.MEDIUM
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = MultipleFileField(label=_("Documents"))
    # A fresh token per form: a second submit of the same form files nothing more.
    submission = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, on_behalf: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if on_behalf:
            self.fields["requester"] = forms.ModelChoiceField(
                label=_("Requester"),
                queryset=get_user_model()
                .objects.filter(is_active=True, organisation__isnull=False)
                # The filer's own deployment's directory (its organisation tree).
                .filter(requester_scope(user))
                .select_related("organisation")
                .order_by("organisation__name", "username"),
                required=False,
                help_text=_("Leave empty to file the ticket for yourself."),
            )
            self.fields["requester"].label_from_instance = lambda user: (
                f"{user.display_name()} ({user.organisation})"
            )
            self.fields["channel"] = forms.ChoiceField(
                label=_("Channel"),
                # A person at the form is not a program calling the API.
                choices=[(value, name) for value, name in Channel.choices if value != Channel.API],
                initial=Channel.PHONE,
            )
        self.fields["subject"].widget.attrs["autofocus"] = True
        self.fields["submission"].initial = uuid.uuid4
        self.on_behalf = on_behalf
        if user is not None:
            self._offer_what_the_user_may_file(user, on_behalf)

    def _offer_what_the_user_may_file(self, user, on_behalf):
        """The deployment's own categories and kinds, the user's records and products."""
        organisation = filing.viewer_organisation(user)
        config = configuration.current()
        active = config.active_categories()
        self.fields["category"].queryset = filing.scoped(
            self.fields["category"].queryset, organisation, rows=active
        )
        self.fields["category"].label = filing.category_label(organisation)
        offered = filing.offered(active, organisation)
        show_choices(self.fields["category"], offered)
        # A handler files for others: the requester's contract decides (in clean).
        kinds = TicketKind.objects.filter(is_active=True)
        active_kinds = config.active_kinds()
        offered_kinds = filing.offered(active_kinds, organisation)
        if on_behalf:
            self.fields["kind"].queryset = filing.scoped(kinds, organisation, rows=active_kinds)
        else:
            # The rule asked of the configuration's rows: the field takes the ids offered.
            offered_kinds = filing.allowed_among(offered_kinds, organisation)
            self.fields["kind"].queryset = kinds.filter(pk__in=[k.pk for k in offered_kinds])
        show_choices(self.fields["kind"], offered_kinds)
        records = ParentRecord.objects
        # On behalf: the records and products of the handler's own deployment, never
        # another's (a case's title may hold personal data).
        tree = requester_scope(user)
        parents = records.filter(tree).distinct() if on_behalf else records.fileable_by(user)
        # A member's are among the records the request's load found them to reach
        # (cases/apps.py), and products are none where there are none at all: then
        # neither is asked for (each was a query on every new ticket's form and filing).
        reached = None if on_behalf else loading.fact(user, "records_reached")
        if reached is not False and parents.exists():
            self.fields["parent"] = forms.ModelChoiceField(
                label=_("Filed about"), queryset=parents, required=False
            )
            self.order_fields(["parent"])
        if on_behalf:
            in_tree = Q(contract__organisations__path__startswith=user.organisation.path)
            products = Product.objects.filter(in_tree).distinct() if user.organisation_id else []
        else:
            products = filing.allowed_products(organisation)
        if loading.fact(user, "products_exist") is not False and products.exists():
            self.fields["product"] = forms.ModelChoiceField(
                label=_("Product"), queryset=products, required=False
            )
            self.fields["component"] = forms.ModelChoiceField(
                label=_("Component"),
                queryset=Component.objects.filter(product__in=products).select_related("product"),
                required=False,
            )
        self.custom_fields = []
        categories = {category.pk for category in offered}
        fields = [f for f in config.custom_fields if f.is_active and f.category_id in categories]
        # A member is asked only their own contract's fields; a handler filing for
        # someone sees them all, and the requester's are checked.
        if not on_behalf and any(field.contract_id is not None for field in fields):
            under = set(filing.contracts(organisation).values_list("pk", flat=True))
            fields = [f for f in fields if f.contract_id is None or f.contract_id in under]
        country = phones.region_of(organisation)
        for field in sorted(fields, key=lambda field: field.category_id):
            self.fields[f"cf_{field.pk}"] = custom_form_field(field, country)
            self.custom_fields.append(field)

    def clean(self):
        cleaned = super().clean()
        # Filing for oneself on this form is the web channel; the channel chosen
        # applies only to a ticket filed for someone else.
        requester = cleaned.get("requester")
        if requester is None or requester == self.user:
            cleaned["requester"], cleaned["channel"] = None, Channel.WEB
        self._clean_filing(cleaned)
        return cleaned

    def _clean_filing(self, cleaned):
        """The same rules the filing service enforces, as messages beside the fields."""
        if self.user is None:
            return
        category, kind = cleaned.get("category"), cleaned.get("kind")
        requester = cleaned.get("requester") or self.user
        asked = {field.pk for field in filing.fields_for(category, kind, requester.organisation)}
        fields = [field for field in getattr(self, "custom_fields", []) if field.pk in asked]
        raw = {}
        for field in fields:
            value = cleaned.get(f"cf_{field.pk}")
            if field.type == FieldType.FILE:
                # The file goes with the ticket's documents; the field keeps its name.
                if value:
                    cleaned.setdefault("attachments", []).append(value)
                value = value.name[-255:] if value else ""
            raw[field.key] = value
        try:
            cleaned["custom"] = filing.clean_values(
                fields, raw, organisation=requester.organisation
            )
        except ValidationError as error:
            by_key = {field.key: f"cf_{field.pk}" for field in fields}
            for key, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(by_key[key], message)
        if kind is None:
            return
        try:
            filing.check(
                requester=cleaned.get("requester") or self.user,
                kind=kind,
                product=cleaned.get("product"),
                component=cleaned.get("component"),
                parent=cleaned.get("parent"),
            )
        except ValidationError as error:
            field = {"kind": "kind", "product": "product", "comp": "component"}.get(
                error.code, "parent"
            )
            self.add_error(field if field in self.fields else None, error)


def requester_scope(user) -> Q:
    """Whom a handler may file for: the people of their organisation's tree."""
    if user is None or user.organisation_id is None:
        return Q()
    return Q(organisation__path__startswith=user.organisation.path)


def custom_form_field(field, country: str | None = None) -> forms.Field:
    """The form field of a custom field; the chosen category's are checked in clean()
    (required or not), so each is optional here. The script shows the category's own.
    A phone's mask is `country`'s (the filer's, phones.region_of)."""
    common = {
        "label": field.display_label(),
        "help_text": field.help_text,
        "required": False,
    }
    if field.type == FieldType.LONG_TEXT:
        made = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    elif field.type == FieldType.NUMBER:
        made = forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    elif field.type == FieldType.DATE:
        # In the page's calendar (Solar Hijri in Persian), stored Gregorian.
        made = CalendarDateField(**common)
    elif field.type == FieldType.CHOICE:
        made = forms.ChoiceField(choices=[("", "---------"), *field.choice_options()], **common)
    elif field.type == FieldType.MULTIPLE_CHOICE:
        made = forms.MultipleChoiceField(
            choices=field.choice_options(), widget=forms.CheckboxSelectMultiple, **common
        )
    elif field.type == FieldType.CHECKBOX:
        made = forms.BooleanField(**common)
    elif field.type == FieldType.FILE:
        made = forms.FileField(**common)
    elif field.type == FieldType.EMAIL:
        made = forms.CharField(
            widget=forms.EmailInput(attrs={"placeholder": "name@example.org"}), **common
        )
    elif field.type == FieldType.PHONE:
        made = forms.CharField(
            widget=forms.TextInput(attrs=phones.input_attrs(country or phones.region())), **common
        )
    else:
        made = forms.CharField(max_length=500, **common)
    made.widget.attrs.update(
        {
            "data-custom-category": field.category_id,
            "data-custom-kind": field.kind.code if field.kind_id else "",
            "data-required": "1" if field.required else "",
        }
    )
    return made


class UploadForm(forms.Form):
    attachments = MultipleFileField(label=_("Documents"))


def _text(label, *, required=True, rows=4, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class ResolveForm(PageForm):
    explanation = _text(_("Explanation"), help_text=_("What was done; the requester reads this."))


class ReplyForm(ChosenFilesNotKept, PageForm):
    body = _text(_("Message"))
    attachments = MultipleFileField(label=_("Documents"))
    submission = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, can_note: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].initial = uuid.uuid4
        if can_note:
            self.fields["internal"] = forms.BooleanField(
                label=_("Internal note (never shown to the requester)"), required=False
            )


class RequestInfoForm(PageForm):
    body = _text(_("What information is needed?"), rows=3)

    def __init__(self, *args, ticket=None, **kwargs):
        super().__init__(*args, **kwargs)
        # An escalated ticket is taken into work by asking without a comment (the
        # vendor's second line): the ticket already says what is needed.
        if ticket is not None and ticket.status == Status.REDIRECTED:
            self.fields["body"].required = False


class ReopenForm(PageForm):
    body = _text(_("Why is it not solved?"), rows=3)


class ConfirmForm(PageForm):
    """Nothing to fill in: the button says it all."""


class PriorityForm(PageForm):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)


def show_choices(field: forms.ModelChoiceField, rows) -> None:
    """Offer `rows`, already read, as the field's options: the page asks nothing more. A
    posted value is still checked against the field's queryset, unless the field is an
    OfferedChoiceField, which takes it from `rows`."""
    empty = [] if field.empty_label is None else [("", field.empty_label)]
    field.choices = empty + [
        (field.prepare_value(row), field.label_from_instance(row)) for row in rows
    ]
    if isinstance(field, OfferedChoiceField):
        field.offered = {str(field.prepare_value(row)): row for row in rows}


class RedirectForm(PageForm):
    category = forms.ModelChoiceField(label=_("New category"), queryset=Category.objects.none())
    body = _text(_("Reason"), required=False, rows=2)

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, **kwargs)
        # The units of the ticket's own deployment, not another's.
        active = configuration.current().active_categories()
        categories = filing.scoped(
            Category.objects.filter(is_active=True), ticket.organisation, rows=active
        )
        self.fields["category"].queryset = categories.exclude(pk=ticket.category_id)
        self.fields["category"].label = filing.category_label(ticket.organisation, new=True)
        if not self.is_bound:
            offered = filing.offered(active, ticket.organisation)
            show_choices(
                self.fields["category"], [c for c in offered if c.pk != ticket.category_id]
            )


class AssignForm(PageForm):
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=None)

    def __init__(self, *args, ticket, user, team=None, **kwargs):
        """`team`: the category's active responsibles in their order, when the page has
        read them already (relations.followers_and_colleagues)."""
        super().__init__(*args, **kwargs)
        candidates = services.assignable(ticket)
        if user.is_supervisor:
            candidates = candidates | get_user_model().objects.filter(pk=user.pk)
        self.fields["assignee"].queryset = candidates.distinct()
        self.fields["assignee"].label_from_instance = lambda person: person.display_name()
        if team is not None and not self.is_bound:
            people = list(team)
            if user.is_supervisor and all(person.pk != user.pk for person in people):
                people = sorted([*people, user], key=lambda p: (p.first_name, p.username))
            show_choices(self.fields["assignee"], people)
