"""The knowledge base's figures for the dashboard, read through kb's app config (the
dashboard may not import kb), against its rows."""

from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from kb import services as kb_services
from kb.models import View, Visibility


def _article(by, category, slug):
    return kb_services.write(
        by=by,
        article=None,
        category=category,
        visibility=Visibility.PUBLIC,
        language="tr",
        title=f"Başlık {slug}",
        body="Metin",
        slug=slug,
    )


def test_views_votes_and_deflections_match_the_rows(
    supervisor, capacity, technical, member, chamber_colleague
):
    mine = _article(supervisor, capacity, "prod-kodu")
    other = _article(supervisor, technical, "sifre")
    kb_services.record_view(mine, user=member, from_suggestion=True)
    kb_services.record_view(mine, user=chamber_colleague, from_suggestion=True)
    kb_services.record_view(other, user=member)
    # two hours ago, nothing filed after: a deflection; the others are too recent to tell
    View.objects.filter(user=chamber_colleague).update(
        created_at=timezone.now() - timedelta(hours=2)
    )
    kb_services.vote(mine, user=member, address="", useful=True)
    kb_services.vote(mine, user=chamber_colleague, address="", useful=False)
    since = timezone.now() - timedelta(days=30)
    figures = apps.get_app_config("kb").figures
    # when
    every = figures(categories=None, since=since)
    one_team = figures(categories={capacity.pk}, since=since)
    later = figures(categories=None, since=timezone.now() - timedelta(hours=1))
    # then
    assert every == {"viewed": 3, "deflected": 1, "useful_votes": 1, "not_useful_votes": 1}
    assert every["viewed"] == View.objects.count()
    assert one_team == {"viewed": 2, "deflected": 1, "useful_votes": 1, "not_useful_votes": 1}
    assert (
        later["viewed"]
        == View.objects.filter(created_at__gte=timezone.now() - timedelta(hours=1)).count()
        == 2
    )
