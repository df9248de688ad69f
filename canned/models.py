from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    """What sending the text does to the ticket; each is a service of tickets/."""

    REPLY = "reply", _("Reply (the status follows the reply)")
    REQUEST_INFO = "request_info", _("Request information")
    RESOLVE = "resolve", _("Resolve")


class CannedReply(models.Model):
    """A text a team sends again and again, with placeholders filled per ticket."""

    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(
        _("text"),
        max_length=10_000,
        help_text=_(
            "Placeholders: {requester} the requester's name, {ticket} the ticket number, "
            "{organisation} the requester's organisation."
        ),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    # Empty: shared by every team (written by supervisors).
    category = models.ForeignKey(
        "categories.Category",
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: shared by every team."),
    )
    action = models.CharField(
        _("sets the status"), max_length=20, choices=Action.choices, default=Action.REPLY
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["category", "language"], name="canned_category_language")]

    def __str__(self):
        return self.title
