"""Saved searches: a filter combination of the list kept under a name, private to its
owner or shared with the team of one of the owner's categories.

Another user's private search, or another team's, is a 404 like a missing one.
"""

from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from categories.models import Category
from categories.selectors import team_categories_of, team_category_ids
from common.prepared import Prepared

from .filters import FILTER_PARAMS
from .models import SavedSearch

# What a saved search keeps of a query string: the filters, the view and the sort.
KEPT = (*FILTER_PARAMS, "sort")
MAX_SHOWN = 30


def clean_query(query: str) -> str:
    """The parameters of `query` the list understands, in a stable order."""
    params = QueryDict(query[:2000])
    kept = QueryDict(mutable=True)
    for name in KEPT:
        values = [value[:200] for value in params.getlist(name) if value][:5]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


def visible_to(user):
    """The saved searches `user` may use: their own and their teams' shared ones."""
    if not user.is_authenticated:
        return SavedSearch.objects.none()
    shared = Q(team_id__in=team_category_ids(user)) if team_category_ids(user) else Q(pk__in=[])
    return SavedSearch.objects.filter(Q(owner=user) | shared)


def _shown_to(user_id):
    """`visible_to`'s, first by name, with the teams read in the query: by the user's id
    alone, so that the SQL is compiled once a process (common/prepared.py). Their own
    and their teams' as a union, each read from its index: with the teams' in a
    subquery, an OR would read every saved search (9 ms at 100,000)."""
    teams = team_categories_of(user_id)
    own = SavedSearch.objects.filter(owner_id=user_id).order_by()
    shared = SavedSearch.objects.filter(team_id__in=teams).order_by()
    return own.union(shared).order_by("name", "pk")[:MAX_SHOWN]


_SHOWN = Prepared(_shown_to)  # every list shows them


def shown_to(user) -> list[SavedSearch]:
    return _SHOWN.rows(user.pk) if user.is_authenticated else []


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=80)
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    # What is kept fits SavedSearch.query (1,000 characters); longer is refused below.
    team = forms.ModelChoiceField(
        label=gettext_lazy("Shared with"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=gettext_lazy("Only me"),
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        team = self.fields["team"]
        team.queryset = Category.objects.filter(pk__in=team_category_ids(user))
        team.label_from_instance = lambda c: _("The team of %(category)s") % {"category": c}
        # Read when shown, in one query (the queryset's own choices count the rows first).
        team.choices = lambda: [
            ("", team.empty_label),
            *((c.pk, team.label_from_instance(c)) for c in team.queryset),
        ]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the search a name."))
        return name

    def clean_query(self):
        query = clean_query(self.cleaned_data.get("query", ""))
        if not query:
            raise forms.ValidationError(_("Choose some criteria before saving the search."))
        if len(query) > SavedSearch._meta.get_field("query").max_length:
            raise forms.ValidationError(_("These criteria are too long to save."))
        return query


def save(*, by, name: str, query: str, team=None) -> SavedSearch:
    """Keep a search under `name` (the owner's one of that name is replaced)."""
    if team is not None and team.pk not in team_category_ids(by):
        raise ValueError("not the owner's team")
    saved, _created = SavedSearch.objects.update_or_create(
        owner=by, name=name, defaults={"query": query, "team": team}
    )
    return saved


def delete(saved: SavedSearch, *, by) -> None:
    """Only the owner removes a saved search."""
    if saved.owner_id != by.pk:
        raise SavedSearch.DoesNotExist
    saved.delete()
