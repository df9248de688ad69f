"""The exports page: ask for a big export, watch it being built, download it."""

import logging

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from common import storage

from . import services
from .models import Export, State

logger = logging.getLogger(__name__)

SHOWN = 20


@require_http_methods(["GET", "POST"])
def export_list(request):
    if request.method == "POST":
        try:
            services.request(
                request.user, query=request.POST.get("query", ""), language=get_language()
            )
        except services.TooManyPending:
            messages.error(
                request,
                _("You already have %(count)s exports being prepared. Wait until one is ready.")
                % {"count": services.PENDING_PER_USER},
            )
        else:
            messages.success(
                request, _("Your export is being prepared. This page shows when it is ready.")
            )
        return redirect("exports:list")
    exports = list(Export.objects.filter(user=request.user)[:SHOWN])
    pending = any(export.state in (State.QUEUED, State.RUNNING) for export in exports)
    return render(
        request,
        "exports/list.html",
        {"exports": exports, "pending": pending, "keep_days": settings.HELPDESK_EXPORT_KEEP_DAYS},
    )


@require_GET
def export_new(request):
    """Where the list sends an export too large for one request: confirm to queue it."""
    query = request.GET.urlencode()
    return render(
        request,
        "exports/new.html",
        {
            "query": query,
            "list_url": reverse("tickets:list") + (f"?{query}" if query else ""),
            "limit": number_format(settings.HELPDESK_EXPORT_MAX_ROWS, force_grouping=True),
        },
    )


@require_GET
def export_download(request, pk):
    export = Export.objects.filter(pk=pk, user=request.user, state=State.DONE).first()
    if export is None or not export.file:
        raise Http404
    try:
        handle = export.file.open("rb")
        handle.read(0)
    except FileNotFoundError:
        raise Http404 from None
    except storage.STORE_ERRORS:
        logger.exception("The document store did not give back export #%s.", export.pk)
        return render(
            request,
            "503.html",
            {"message": _("The export cannot be fetched just now. Try again in a few minutes.")},
            status=503,
        )
    stamp = export.created_at.strftime("%Y-%m-%d-%H%M")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"tickets-{stamp}.csv",
        content_type="text/csv; charset=utf-8",
    )
