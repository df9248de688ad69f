"""The knowledge base's figures for the dashboard, which reads them through this app's
config (`apps.get_app_config("kb").figures`): capability apps never import each other."""

from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from .models import View, Vote
from .services import DEFLECTION_WINDOW


def figures(*, category_ids=None, since: datetime) -> dict[str, int]:
    """Views, useful and not useful votes, and deflections since `since`, of the articles
    in `category_ids` (None: all). A deflection is a suggestion opened on the new-ticket
    form by someone who filed nothing within the window after (services.mark_filed)."""
    views = View.objects.filter(created_at__gte=since)
    votes = Vote.objects.filter(created_at__gte=since)
    if category_ids is not None:
        views = views.filter(article__category_id__in=category_ids)
        votes = votes.filter(article__category_id__in=category_ids)
    settled = timezone.now() - DEFLECTION_WINDOW
    deflected = Q(from_suggestion=True, filed=False, created_at__lt=settled)
    counted = votes.aggregate(
        yes=Count("id", filter=Q(useful=True)), no=Count("id", filter=Q(useful=False))
    )
    return {
        **views.aggregate(views=Count("id"), deflections=Count("id", filter=deflected)),
        "useful": counted["yes"],
        "not_useful": counted["no"],
    }
