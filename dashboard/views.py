"""The dashboard page, each of its tables as CSV or XLSX, and the weekly summary's
opt-in. Every figure counts the tickets of `scope.scope_for`: a filter outside the
viewer's scope counts nothing."""

import jdatetime
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Organisation, OrganisationKind
from categories.models import Category
from categories.selectors import team_category_ids
from common import calendars
from common.replica import reads_from_replica

from . import charts, downloads, figures
from .models import SummarySubscription
from .scope import scope_for
from .tables import TABLES, Table, build, build_all


def _day_and_month(day) -> str:
    """A week's axis label, in the page's calendar (Solar Hijri in Persian)."""
    if calendars.uses_solar_hijri():
        return calendars.persian_digits(jdatetime.date.fromgregorian(date=day).strftime("%d/%m"))
    return day.strftime("%d.%m")


def _chart(table: Table, rtl: bool):
    """The table's picture, whose text alternative says what it shows in words."""
    if table.chart == "trend":
        labels = [_day_and_month(row[0]) for row in table.rows]
        filed = [row[1] for row in table.rows]
        resolved = [row[2] for row in table.rows]
        description = _(
            "%(weeks)s weeks: %(filed)s tickets filed and %(resolved)s resolved in all; "
            "the last full week %(last_filed)s filed and %(last_resolved)s resolved."
        ) % {
            "weeks": len(table.rows),
            "filed": sum(filed),
            "resolved": sum(resolved),
            "last_filed": filed[-2] if len(filed) > 1 else 0,
            "last_resolved": resolved[-2] if len(resolved) > 1 else 0,
        }
        series = [
            (str(table.headers[1]), "series-filed", filed),
            (str(table.headers[2]), "series-resolved", resolved),
        ]
        return charts.trend(str(table.title), description, labels, series, rtl=rtl)
    if table.chart == "bars" and table.rows:
        items = [(row[table.label_column], row[table.value_column] or 0) for row in table.rows]
        description = "; ".join(f"{label}: {value}" for label, value in items)
        return charts.bars(str(table.title), description, items, rtl=rtl)
    return None


def _filters(user):
    """The choices of the page's filter form: only what lies inside the viewer's scope."""
    if user.is_supervisor:
        # The upper tree: a union's subtree holds its chambers and their people.
        upper = (
            OrganisationKind.CONFEDERATION,
            OrganisationKind.FEDERATION,
            OrganisationKind.UNION,
        )
        organisations = Organisation.objects.filter(kind__in=upper)
        categories = Category.objects.all()
    else:
        organisations = Organisation.objects.none()
        categories = Category.objects.filter(pk__in=team_category_ids(user))
    return organisations.order_by("name")[:200], categories.order_by("name")


@require_GET
@reads_from_replica
def dashboard(request):
    scope = scope_for(request.user, request.GET)
    since = figures.period_start()
    rtl = get_language_bidi()
    sections = []
    for table in build_all(TABLES, scope, since).values():
        if table is not None:
            sections.append({"table": table, "chart": _chart(table, rtl)})
    organisations, categories = _filters(request.user)
    context = {
        "scope": scope,
        "sections": sections,
        "since": since,
        "since_day": timezone.localdate(since),  # shown in the page's calendar
        "organisations": organisations,
        "categories": categories,
        "query": request.GET.urlencode(),
        "subscribed": request.user.is_supervisor
        and SummarySubscription.objects.filter(user=request.user).exists(),
    }
    return render(request, "dashboard/index.html", context)


@require_GET
@reads_from_replica
def table_download(request, slug, fmt):
    if slug not in TABLES or fmt not in ("csv", "xlsx"):
        raise Http404
    table = build(slug, scope_for(request.user, request.GET), figures.period_start())
    if table is None:
        raise Http404
    return downloads.csv_response(table) if fmt == "csv" else downloads.xlsx_response(table)


@require_POST
def summary_subscription(request):
    """A supervisor turns the weekly summary mail on or off."""
    if not request.user.is_supervisor:
        raise Http404
    if request.POST.get("weekly") == "on":
        SummarySubscription.objects.get_or_create(user=request.user)
        messages.success(request, _("You will get the weekly summary by mail."))
    else:
        SummarySubscription.objects.filter(user=request.user).delete()
        messages.success(request, _("You will no longer get the weekly summary."))
    return redirect("dashboard:index")
