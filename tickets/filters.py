"""The list's filters (the manual's "Sorgulama Kriterleri") and its sorting.

Every value arrives from a query string: a value that does not validate is left
out (the other filters still apply), and only the names below reach the ORM.
"""

import datetime

import django_filters
from django import forms
from django.conf import settings
from django.db import connection
from django.db.models import IntegerField, Q, Value
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from categories.selectors import handles_tickets, team_category_ids
from common.calendars import CalendarDateFilter
from common.text import terms

from . import configuration, filing, search
from .forms import FAST_WIDGETS
from .models import OPEN_STATUSES, CustomField, Priority, Status, Ticket
from .records import FieldType

MAX_ID = 2**63 - 1
OPEN, MINE, ME, NOBODY = "open", "mine", "me", "none"
DUE_SOON, OVERDUE = "due_soon", "overdue"
# The GET parameters that narrow the list; without any, a user's default view applies.
FILTER_PARAMS = (
    "q",
    "organisation",
    "category",
    "status",
    "priority",
    "kind",
    "team",
    "assignee",
    "created_from",
    "created_to",
    "view",
    "parent",
)
CUSTOM_PREFIX = "cf_"


class IdFilter(django_filters.Filter):
    """An id chosen from a list, checked to be a number the database can hold.

    It takes any id rather than only the listed ones, so that an id outside the
    user's scope lists nothing instead of being dropped."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


def _is_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= 19 and 0 < int(value) <= MAX_ID


# A word found in more names than this is a common word, not a name: it is looked for
# in the text only, so that the ids passed to the ticket query stay few (and indexed).
NAMES_PER_WORD = 200


# Where a searched word may name a ticket's organisation or requester: their folded names.
NAMED = {"organisations": (Organisation, "name_key"), "people": (User, "search_key")}


def _holding(words: list[str]) -> dict[str, dict[str, list[int]]]:
    """For each of NAMED and each word, the ids of the rows whose folded name holds the
    word, unless more than NAMES_PER_WORD do: one query for both and all the words, read
    to the end (organisations and people are thousands, not millions), so that a common
    word never crowds a rare one out."""
    found = {name: {word: [] for word in words} for name in NAMED}
    if not words:
        return found
    names = list(NAMED)
    parts = []
    for source, (model, field) in enumerate(NAMED.values()):
        condition = Q()
        for word in words:
            condition |= Q(**{f"{field}__contains": word})
        rows = model.objects.filter(condition).order_by()
        parts.append(rows.values_list(Value(source, output_field=IntegerField()), "pk", field))
    for source, pk, key in parts[0].union(*parts[1:], all=True).iterator(chunk_size=2000):
        ids = found[names[source]]
        for word in words:
            if word in key and len(ids[word]) <= NAMES_PER_WORD:
                ids[word].append(pk)
    return {
        name: {word: ids for word, ids in by_word.items() if len(ids) <= NAMES_PER_WORD}
        for name, by_word in found.items()
    }


def _handled_by(user) -> Q | None:
    """The tickets whose internal notes `user` may search: all for a supervisor, their
    teams' and those assigned to them for a responsible, none for a member."""
    if user.is_supervisor:
        return Q()
    if not handles_tickets(user):
        return None
    return Q(assignee=user) | Q(category_id__in=team_category_ids(user))


class OrganisationInput(forms.TextInput):
    """A text field whose suggestions come from `tickets:organisations` as one types
    (static/js/organisation-filter.js fills its datalist); an id shows as its name."""

    def __init__(self, user):
        super().__init__(
            attrs={
                "list": "organisation-suggestions",
                "autocomplete": "off",
                "data-suggest": reverse_lazy("tickets:organisations"),
            }
        )
        self.user = user

    def format_value(self, value):
        """An id shows as its organisation's name, if the user may filter by it; else
        as typed (so that trying ids names nothing)."""
        if value and _is_id(str(value)):
            name = organisations_for(self.user).filter(pk=int(value)).values_list("name", flat=True)
            return name.first() or value
        return super().format_value(value)


class SortFilter(django_filters.OrderingFilter):
    def filter(self, qs, value):
        if not value:
            return qs
        return qs.order_by(*(self.get_ordering_value(param) for param in value), "-pk")


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


class FilterForm(forms.Form):
    # A dozen fields and a few dozen options on every list page: drawn fast (forms.py).
    default_renderer = FAST_WIDGETS


class TicketFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text", max_length=200)
    # A name typed (suggested as one types) or an id; never a select of thousands.
    organisation = django_filters.CharFilter(
        label=_("Organisation"), method="filter_organisation", max_length=200
    )
    category = IdFilter(field_name="category_id", label=_("Category"))
    # The case or order the tickets were filed about (the case page links here).
    parent = IdFilter(field_name="parent_id", label=_("Filed about"))
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(OPEN, _("Open (not resolved)"))] + Status.choices,
        method="filter_status",
        empty_label=_("All"),
    )
    priority = django_filters.ChoiceFilter(
        label=_("Priority"), choices=Priority.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), field_name="kind__code", empty_label=_("All")
    )
    team = django_filters.ChoiceFilter(
        label=_("Categories"),
        choices=[(MINE, _("My categories"))],
        method="filter_team",
        empty_label=_("All"),
    )
    assignee = django_filters.CharFilter(label=_("Assignee"), method="filter_assignee")
    # The service level's next due (sla/ keeps it on the ticket; NULL when paused or met).
    sla = django_filters.ChoiceFilter(
        label=_("Service level"),
        choices=[(DUE_SOON, _("Due soon")), (OVERDUE, _("Overdue"))],
        method="filter_sla",
        empty_label=_("All"),
    )
    # In the page's calendar: Solar Hijri in Persian (common/calendars.py).
    created_from = CalendarDateFilter(label=_("Start date"), method="filter_created_from")
    created_to = CalendarDateFilter(label=_("End date"), method="filter_created_to")
    sort = SortFilter(
        fields=(
            ("id", "id"),
            ("organisation_key", "organisation"),
            ("subject", "subject"),
            ("priority_rank", "priority"),
            ("category_key", "category"),
            ("assignee_key", "assignee"),
            ("created_at", "created"),
            ("read_at", "read"),
            ("resolved_at", "resolved"),
            ("due_at", "due"),
            ("status", "status"),
            ("last_activity_at", "activity"),
        ),
        label=_("Sort"),
    )

    class Meta:
        form = FilterForm

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["organisation"].extra["widget"] = OrganisationInput(user)
        self.filters["category"].label = filing.category_label(filing.viewer_organisation(user))
        self.filters["category"].extra["widget"] = forms.Select(
            choices=[("", _("All"))] + [(c.pk, str(c)) for c in configuration.current().categories]
        )
        self.filters["kind"].extra["choices"] = [
            (kind.code, str(kind)) for kind in configuration.current().kinds
        ]
        self.filters["assignee"].extra["widget"] = forms.Select(
            choices=[("", _("All")), (ME, _("Assigned to me")), (NOBODY, _("Unassigned"))]
        )
        self.user = user
        self.custom_filters = []
        for key, field in choice_fields(user).items():
            name = f"{CUSTOM_PREFIX}{key}"
            self.filters[name] = django_filters.ChoiceFilter(
                field_name=name,
                label=field.display_label(),
                choices=field.choice_options(),
                method=self.filter_custom,
                empty_label=_("All"),
            )
            self.filters[name].custom_field = field
            self.custom_filters.append(name)

    def filter_queryset(self, queryset):
        """The filters and the sort, and what the filters imply of the sort's column:
        the rows they keep sit together in its index, which is then read at them rather
        than past every other row before them (a second at a million). Sorted by
        category, the names of the categories kept. Sorted by resolution, open tickets
        have none (the `open_unresolved` constraint): the order is the ids' alone."""
        queryset = super().filter_queryset(queryset)
        sort = self.sorted_by
        if sort == "category" and (kept := self.kept_categories()) is not None:
            queryset = queryset.filter(category_key__in=configuration.category_keys(kept))
        if sort == "resolved" and self.form.cleaned_data.get("status") in (OPEN, *OPEN_STATUSES):
            queryset = queryset.order_by("-pk")
        return queryset

    @property
    def sorted_by(self) -> str:
        """The column the list is sorted by (`?sort=`'s name, either direction); "" for
        the default order."""
        return (self.form.cleaned_data.get("sort") or [""])[0].lstrip("-")

    def kept_categories(self) -> set[int] | None:
        """The categories the `team` and `category` filters keep; None: all of them."""
        data, kept = self.form.cleaned_data, None
        if data.get("team") == MINE:
            kept = set(team_category_ids(self.user))
        if data.get("category"):
            kept = {data["category"]} if kept is None else kept & {data["category"]}
        return kept

    @property
    def custom_filter_fields(self):
        """The bound fields of the custom choice filters, for the template."""
        return [self.form[name] for name in self.custom_filters]

    def filter_custom(self, queryset, name, value):
        """A choice field's value: JSON containment, served by the GIN index on PostgreSQL."""
        field = self.filters[name].custom_field
        key = name.removeprefix(CUSTOM_PREFIX)
        several = field.type == FieldType.MULTIPLE_CHOICE
        if connection.vendor == "postgresql":
            return queryset.filter(custom__contains={key: [value] if several else value})
        # SQLite (development) has no JSON containment: the key's value, or its text.
        if several:
            return queryset.filter(**{f"custom__{key}__icontains": f'"{value}"'})
        return queryset.filter(**{f"custom__{key}": value})

    @property
    def form(self):
        """The form, its widgets classed for Bootstrap (templates/tickets/
        _filter_field.html), a field whose value was refused marked so."""
        form = super().form
        if not getattr(form, "classed", False):
            errors = form.errors if form.is_bound else {}
            for name, field in form.fields.items():
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                if name in errors:
                    css += " is-invalid"
                field.widget.attrs["class"] = css
            form.classed = True
        return form

    def drawn_as(self) -> str | None:
        """What the form's fields, as drawn, depend on besides the language and whether
        the user handles tickets: the list draws them once a process for each
        (common/templatetags/fragments.py), a tenth to a fifth of its CPU. None where they depend
        on more: an organisation given by id (shown by its name, if this user may
        filter by it); and a search, each its own."""
        if self.data.get("q") or _is_id(str(self.data.get("organisation") or "")):
            return None
        form = self.form
        # What each field shows, a refused value's message too.
        values = [(name, form[name].value()) for name in form.fields]
        label = self.filters["category"].label  # by the viewer's organisation
        # A key's custom field, by the categories offered to the user's organisation.
        custom = [self.filters[name].custom_field.pk for name in self.custom_filters]
        return repr((configuration.current().token, str(label), custom, values))

    def filter_organisation(self, queryset, name, value):
        """An id lists that organisation; a name its organisation when it is the whole
        name, else every organisation whose name holds it."""
        if _is_id(value):
            return queryset.filter(organisation_id=int(value))
        key = Organisation.key_for(value)
        if not key:
            return queryset
        whole = Organisation.objects.filter(name_key=key).values_list("pk", flat=True)[:1]
        if whole:
            return queryset.filter(organisation_id=whole[0])
        return queryset.filter(organisation__in=Organisation.objects.filter(name_key__contains=key))

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_team(self, queryset, name, value):
        return queryset.filter(category__in=team_category_ids(self.user))

    def filter_assignee(self, queryset, name, value):
        """ "me", "none", or a user's id; anything else is ignored."""
        if value == ME:
            return queryset.filter(assignee=self.user)
        if value == NOBODY:
            return queryset.filter(assignee__isnull=True)
        if _is_id(value):
            return queryset.filter(assignee_id=int(value))
        return queryset

    def filter_sla(self, queryset, name, value):
        """Running clocks past their due, or due within HELPDESK_SLA_DUE_SOON_MINUTES."""
        now = timezone.now()
        if value == OVERDUE:
            return queryset.filter(due_at__lte=now)
        soon = now + datetime.timedelta(minutes=settings.HELPDESK_SLA_DUE_SOON_MINUTES)
        return queryset.filter(due_at__gt=now, due_at__lte=soon)

    def filter_text(self, queryset, name, value):
        """Every word must be found: in the text (on PostgreSQL also in another form of
        the word), as the ticket's number, or in the name of its organisation or
        requester. On PostgreSQL, unless a sort is chosen, the best matches come first."""
        words = terms(value)
        stemmed = connection.vendor == "postgresql"
        named = _holding(words)
        organisations, people = named["organisations"], named["people"]
        handled = _handled_by(self.user)
        condition = Q()
        for word in words:
            found = Q(search_text__contains=word)
            if stemmed:
                found |= Q(search.matches(word))
            if handled is not None:
                found |= Q(note_text__contains=word) & handled
            number = word.removeprefix("#")
            if _is_id(number):
                found |= Q(pk=int(number))
            if organisations.get(word):
                found |= Q(organisation_id__in=organisations[word])
            if people.get(word):
                found |= Q(requester_id__in=people[word])
            condition &= found
        queryset = queryset.filter(condition)
        if stemmed and words and not self.form.cleaned_data.get("sort"):
            # Past the count limit the list drops the rank (paging.affordable).
            queryset = queryset.annotate(search_rank=search.rank(words)).order_by(
                "-search_rank", *Ticket._meta.ordering
            )
        return queryset

    def filter_created_from(self, queryset, name, value):
        if not datetime.date(1900, 1, 1) <= value <= datetime.date(9000, 1, 1):
            return queryset
        return queryset.filter(created_at__gte=_start_of(value))

    def filter_created_to(self, queryset, name, value):
        if not datetime.date(1900, 1, 1) <= value <= datetime.date(9000, 1, 1):
            return queryset
        return queryset.filter(created_at__lt=_start_of(value + datetime.timedelta(days=1)))


def choice_fields(user) -> dict[str, CustomField]:
    """The active choice custom fields of the categories offered in the user's deployment
    (tickets/filing.py), by key: one filter per key, whatever the category."""
    organisation = user.organisation if user.organisation_id else None
    config = configuration.current()
    offered = {category.pk for category in filing.offered(config.categories, organisation)}
    fields = sorted(
        (
            field
            for field in config.custom_fields
            if field.is_active
            and field.type in (FieldType.CHOICE, FieldType.MULTIPLE_CHOICE)
            and field.category_id in offered
        ),
        key=lambda field: -field.pk,
    )
    return {field.key: field for field in fields}


def with_default_view(user, params):
    """A responsible's list opens on the open tickets of their categories."""
    custom = any(key.startswith(CUSTOM_PREFIX) for key in params)
    if any(key in params for key in FILTER_PARAMS) or custom or user.is_supervisor:
        return params
    if not team_category_ids(user):
        return params
    params = params.copy()
    params["status"], params["team"] = OPEN, MINE
    return params


def chosen_categories(params) -> list[int] | None:
    """The categories the list's `category` filter keeps, read as it reads them; None
    when it keeps all. Handed to `visible_to`, which may then leave its rule out."""
    value = params.get("category") or ""
    return [int(value)] if _is_id(value) else None


def organisations_for(user):
    """The organisations a user may filter by: their subtree, or all for handlers."""
    if handles_tickets(user):
        return Organisation.objects.only("pk", "name")
    if user.organisation_id:
        return user.organisation.subtree().only("pk", "name")
    return Organisation.objects.none()
