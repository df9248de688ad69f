from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from . import selectors


@login_required
@require_GET
def record_index(request):
    records = selectors.record_list(request.user)
    return render(request, "cases/index.html", {"records": records})


@login_required
@require_GET
def record_detail(request, pk):
    # A record the user may not see is 404, like a ticket.
    record = get_object_or_404(
        selectors.visible_records(request.user).select_related("organisation", "reviewer"), pk=pk
    )
    context = {
        "record": record,
        "tickets": selectors.requests_of(record, request.user),
        "may_file": selectors.may_file_about(record, request.user),
    }
    return render(request, "cases/detail.html", context)
