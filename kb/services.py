"""Every change to the knowledge base: writing (with its revision), votes and views."""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common import storage
from common.text import normalise
from tickets import uploads

from . import search
from .models import Article, File, Revision, Translation, View, Visibility, Vote
from .permissions import can_write

# A suggestion opened, then a ticket filed by the same person within this time: not a
# deflection (signals.py).
DEFLECTION_WINDOW = timedelta(hours=1)


# The knowledge base's own pages under /kb/.
RESERVED_SLUGS = {"new", "suggest", "files"}


def free_slug(title: str) -> str:
    """An unused address from a title; Turkish letters folded, other scripts numbered."""
    base = slugify(normalise(title))[:100] or "article"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Article.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def write(
    *,
    by,
    article: Article | None = None,
    category,
    visibility: str,
    language: str,
    title: str,
    body: str,
    slug: str = "",
    from_ticket=None,
) -> Article:
    """Create an article, or save one translation of it, with its category and visibility;
    each save is a revision. The writer must be on the team of the category (the old and
    the new one when it moves), or a supervisor."""
    if not can_write(by, category):
        raise PermissionDenied
    if article is None:
        article = Article(
            created_by=by,
            language=language,
            slug=slug or free_slug(title),
            from_ticket=from_ticket,
        )
    else:
        article = Article.objects.select_for_update().get(pk=article.pk)
        if not can_write(by, article.category):
            raise PermissionDenied
    article.category = category
    article.visibility = visibility
    if visibility != Visibility.DRAFT and article.published_at is None:
        article.published_at = timezone.now()
    article.save()
    Translation.objects.update_or_create(
        article=article, language=language, defaults={"title": title, "body": body}
    )
    Revision.objects.create(
        article=article,
        language=language,
        title=title,
        body=body,
        visibility=visibility,
        author=by,
    )
    article.search_text = search.article_text(article.translations.all())
    Article.objects.filter(pk=article.pk).update(search_text=article.search_text)
    return article


def voter_key(*, user, address: str) -> str:
    """Who a vote counts for: the account when signed in, else the address (an office
    behind one address votes once), kept as a keyed digest rather than the address."""
    if user.is_authenticated:
        return f"user:{user.pk}"
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return f"address:{digest.hexdigest()[:40]}"


def vote(article: Article, *, user, address: str, useful: bool, comment: str = "") -> bool:
    """Record "was this useful?"; False when this voter had voted already (the first
    vote stands, so that many votes from one voter count once)."""
    try:
        with transaction.atomic():
            Vote.objects.create(
                article=article,
                voter=voter_key(user=user, address=address),
                user=user if user.is_authenticated else None,
                useful=useful,
                comment=comment,
            )
    except IntegrityError:
        return False
    return True


def record_view(article: Article, *, user, from_suggestion: bool = False) -> None:
    View.objects.create(
        article=article,
        user=user if user.is_authenticated else None,
        # Only a signed-in member can file afterwards; only then can it be a deflection.
        from_suggestion=from_suggestion and user.is_authenticated,
    )


def mark_filed(user) -> int:
    """The user filed a ticket: the suggestions they opened in the hour before were no
    deflection."""
    since = timezone.now() - DEFLECTION_WINDOW
    return View.objects.filter(
        user=user, from_suggestion=True, filed=False, created_at__gte=since
    ).update(filed=True)


def attach(article: Article, *, by, upload) -> File:
    """Store an image or document for an article after the tickets' checks on its content;
    ValidationError (with a message for the writer) when refused."""
    if not can_write(by, article.category):
        raise PermissionDenied
    inspected = uploads.inspect(upload)
    try:
        # Its own savepoint: a store that fails mid-save leaves any outer transaction usable.
        with transaction.atomic():
            return File.objects.create(
                article=article,
                file=upload,
                original_name=(upload.name or "")[:255],
                content_type=inspected.content_type,
                is_image=inspected.is_image,
                size=upload.size,
                uploaded_by=by,
            )
    except storage.STORE_ERRORS as error:
        raise ValidationError(
            _(
                "Your documents could not be stored just now, so nothing was saved. Please "
                "try again in a few minutes; if it keeps failing, tell the administrators."
            )
        ) from error
