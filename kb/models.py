"""Articles of the knowledge base, their translations, history, files, votes and views."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tickets import uploads

from .querysets import ArticleQuerySet


class Visibility(models.TextChoices):
    DRAFT = "draft", _("Draft")
    # Handlers (category teams) and supervisors.
    INTERNAL = "internal", _("Internal")
    MEMBERS = "members", pgettext_lazy("visibility", "Members")
    # Anyone, without signing in.
    PUBLIC = "public", _("Public")


class Article(models.Model):
    category = models.ForeignKey(
        "categories.Category",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    slug = models.SlugField(_("address"), max_length=120, unique=True, allow_unicode=False)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.DRAFT
    )
    # The language it was written in: shown when the reader's has no translation.
    language = models.CharField(_("original language"), max_length=10, choices=settings.LANGUAGES)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The resolved ticket whose explanation it was drafted from, if any.
    from_ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("drafted from ticket"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)
    # First left the drafts; a later return to draft keeps the date.
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    edited_at = models.DateTimeField(_("edited on"), auto_now=True)
    # Every translation's title and text folded (common.text), built by `search.article_text`
    # alone; a trigram index serves it on PostgreSQL (migration 0002).
    search_text = models.TextField(editable=False, default="")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["category", "visibility"], name="kb_article_cat_vis")]

    def __str__(self):
        return self.slug

    def get_absolute_url(self):
        return reverse("kb:article", args=[self.slug])


class Translation(models.Model):
    """The article in one language; the current text, whose past is in `Revision`."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown: headings, lists, links, tables."))
    edited_at = models.DateTimeField(_("edited on"), auto_now=True)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(fields=["article", "language"], name="kb_one_per_language")
        ]

    def __str__(self):
        return f"{self.article.slug} [{self.language}]"


class AppendOnlyError(Exception):
    """An article's history is only ever added to."""


class RevisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Revisions cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Revisions cannot be deleted.")

    def _raw_delete(self, using):
        raise AppendOnlyError("Revisions cannot be deleted.")


class Revision(models.Model):
    """One saved version of one translation: who wrote what, when. Never changed."""

    # The site's database role may only add to this table (common.dbroles).
    APPEND_ONLY = True

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="revisions")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("saved on"), auto_now_add=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.article_id} [{self.language}] {self.created_at}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Revisions cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Revisions cannot be deleted.")


class Vote(models.Model):
    """ "Was this useful?": one per voter and article, the first one counts."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    # "user:<id>" when signed in, else "address:<digest>" (see services.vote).
    voter = models.CharField(max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    useful = models.BooleanField(_("useful"))
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["article", "voter"], name="kb_one_vote_per_voter")
        ]

    def __str__(self):
        return f"{self.article_id} {self.voter} {self.useful}"


class View(models.Model):
    """An article opened; from the new-ticket form's suggestions, a possible deflection."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="views")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_suggestion = models.BooleanField(default=False)
    # The same user filed a ticket within the hour after: not a deflection (signals.py).
    filed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["user", "created_at"],
                condition=models.Q(from_suggestion=True, filed=False),
                name="kb_view_open_suggestion",
            )
        ]

    def __str__(self):
        return f"{self.article_id} {self.created_at}"


def file_path(instance, filename):
    """A random name with the suffix of the detected type, never the sender's name."""
    return f"kb/{uuid.uuid4().hex}.{uploads.suffix(instance.content_type, filename)}"


class File(models.Model):
    """An image or document an article shows or links to: accepted by the tickets' checks
    (tickets/uploads.py), downloaded with the article's visibility (/kb/files/<id>/)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=file_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    is_image = models.BooleanField(default=False)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("kb:file", args=[self.pk])

    @property
    def download_name(self) -> str:
        return uploads.download_name(self.original_name, self.content_type)

    @property
    def markdown(self) -> str:
        """The line a writer pastes into the text: an image, or a link to the file."""
        label = PurePath(self.original_name).stem.replace("]", "").replace("[", "") or "file"
        prefix = "!" if self.is_image else ""
        return f"{prefix}[{label}]({self.get_absolute_url()})"
