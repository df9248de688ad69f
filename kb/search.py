"""Article search: the tickets' folded text (common.text), ranked by the words found, then
by whether the reader can read the article in their own language.

A question is typed in many forms ("prod kodu", "prod kodları"), so an article matches
when it holds any of the words, and ranks by how many it holds. On PostgreSQL each
word is a LIKE that the trigram index answers (migration 0002).
"""

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import translation

from common.text import normalise, terms

from .models import Translation

# Words shorter than this match too much to be worth a lookup.
MIN_WORD = 2


def article_text(translations) -> str:
    """What search matches for an article: every translation's title and text, folded.
    The one builder of `Article.search_text`."""
    titles = [t.title for t in translations]
    bodies = [t.body for t in translations]
    return normalise("\n".join([" ".join(titles), *bodies]))


def words(query: str) -> list[str]:
    return [word for word in terms(query) if len(word) >= MIN_WORD]


def search(queryset, query: str, language: str | None = None):
    """The articles holding any word of `query`, the best matches first and, among equals,
    those the reader can read in their own language (`language`, else the active one);
    none for no words."""

    found = words(query)
    if not found:
        return queryset.none()
    anywhere = Q()
    score = Value(0)
    for word in found:
        anywhere |= Q(search_text__contains=word)
        score = score + Case(
            When(search_text__contains=word, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    language = (language or translation.get_language() or "").split("-")[0]
    readable = Translation.objects.filter(article=OuterRef("pk"), language=language)
    return (
        queryset.filter(anywhere)
        .annotate(score=Coalesce(score, 0), in_language=Exists(readable))
        .order_by("-score", "-in_language", "-published_at", "-id")
    )
