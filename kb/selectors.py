"""What the knowledge base's pages read, always through `Article.objects.visible_to`."""

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone, translation

from categories.models import Category
from tickets.models import EventKind, Status, Ticket

from . import search, services
from .models import Article, View, Visibility, Vote
from .permissions import can_write

SUGGESTIONS = 5
SEARCH_RESULTS = 30
RELATED = 5


def shown_translation(article: Article, language: str | None = None):
    """The reader's language first, else the original, else any (translations prefetched)."""
    language = language or translation.get_language() or ""
    by_language = {t.language: t for t in article.translations.all()}
    return (
        by_language.get(language.split("-")[0])
        or by_language.get(article.language)
        or next(iter(by_language.values()), None)
    )


def _with_text(articles, language=None):
    """The rows as a list, each with `shown` (its translation for this reader)."""
    articles = list(articles)
    for article in articles:
        article.shown = shown_translation(article, language)
    return articles


def readable(user):
    return (
        Article.objects.visible_to(user).select_related("category").prefetch_related("translations")
    )


def categories(user):
    """Active categories with the number of articles this reader sees in each, not drafts."""
    seen = Article.objects.visible_to(user).exclude(visibility=Visibility.DRAFT)
    counts = dict(
        seen.values_list("category_id").annotate(n=Count("id")).values_list("category_id", "n")
    )
    rows = list(Category.objects.filter(is_active=True, pk__in=counts))
    for row in rows:
        row.article_count = counts[row.pk]
    return rows


def index(user, *, query: str = "", category: Category | None = None):
    """The articles the index lists: search results, or the newest, bounded."""
    articles = readable(user)
    if category is not None:
        articles = articles.filter(category=category)
    if query:
        articles = search.search(articles, query)
    return _with_text(articles[:SEARCH_RESULTS])


def suggestions(user, *, query: str, category_id: int | None = None):
    """Published articles for the new-ticket form: those of the chosen category first."""
    articles = search.search(readable(user).exclude(visibility=Visibility.DRAFT), query)
    if category_id is not None:
        articles = articles.annotate(
            in_category=Case(
                When(category_id=category_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        ).order_by("-in_category", "-score", "-in_language", "-published_at", "-id")
    return _with_text(articles[:SUGGESTIONS])


def related(article: Article, user):
    """Other published articles of the same category this reader may see, newest first."""
    others = (
        readable(user)
        .filter(category_id=article.category_id)
        .exclude(Q(pk=article.pk) | Q(visibility=Visibility.DRAFT))
    )
    return _with_text(others[:RELATED])


def votes(article: Article) -> dict:
    return article.votes.aggregate(
        yes=Count("id", filter=Q(useful=True)), no=Count("id", filter=Q(useful=False))
    )


def history(article: Article):
    return article.revisions.select_related("author")


def source_ticket(user, value: str):
    """A resolved or closed ticket this writer sees and may write its category's articles
    about, with its explanation (the last resolution's); None otherwise."""
    if not (value.isascii() and value.isdigit()):
        return None
    ticket = (
        Ticket.objects.visible_to(user)
        .filter(pk=value, status__in=[Status.RESOLVED, Status.CLOSED])
        .select_related("category")
        .first()
    )
    if ticket is None or not can_write(user, ticket.category):
        return None
    resolution = ticket.events.filter(kind=EventKind.RESOLVED).order_by("-id").first()
    ticket.explanation = resolution.note if resolution else ""
    return ticket


def figures(*, since=None, categories=None) -> dict:
    """For a dashboard: articles viewed, useful and not useful votes, and deflections
    (a suggestion opened from the new-ticket form, no ticket filed within the hour)."""
    views = View.objects.all()
    votes_ = Vote.objects.all()
    if since is not None:
        views, votes_ = views.filter(created_at__gte=since), votes_.filter(created_at__gte=since)
    if categories is not None:
        views = views.filter(article__category__in=categories)
        votes_ = votes_.filter(article__category__in=categories)
    settled = timezone.now() - services.DEFLECTION_WINDOW
    return {
        **views.aggregate(
            viewed=Count("id"),
            deflected=Count(
                "id", filter=Q(from_suggestion=True, filed=False, created_at__lt=settled)
            ),
        ),
        **votes_.aggregate(
            useful_votes=Count("id", filter=Q(useful=True)),
            not_useful_votes=Count("id", filter=Q(useful=False)),
        ),
    }
