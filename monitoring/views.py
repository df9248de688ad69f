from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4

from . import health, metrics
from .access import may_scrape


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """For load balancers: 200 while every configured part answers, else 503 naming the
    part that is down. Reads no session and sets no cookie."""
    parts = health.run()
    up = all(state == health.OK for state in parts.values())
    return JsonResponse({"status": "ok" if up else "error", **parts}, status=200 if up else 503)


@login_not_required
@require_GET
@never_cache
def metrics_page(request):
    """Prometheus' scrape: a 404 unless enabled and asked from an allowed address."""
    if not may_scrape(request):
        raise Http404
    # The classic text format, which every Prometheus reads; our names are plain ASCII.
    return HttpResponse(metrics.scrape(), content_type=CONTENT_TYPE_PLAIN_0_0_4)
