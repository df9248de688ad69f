"""The record of what was done to personal data: erasures and anonymised tickets.

Both are append-only (`APPEND_ONLY`: the site's database role may not change or
delete them, common/dbroles.py): they are the evidence that a request or the
retention rule was carried out, and they name nobody but by account id.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    SUPERVISOR = "supervisor", _("A supervisor")
    OPERATOR = "operator", _("The operator (command line)")
    RETENTION = "retention", _("The retention rule")


class Erasure(models.Model):
    """One person erased: by whom, when, and whether their text went too.

    `person` is the account row, which from then on holds only the pseudonym; one
    erasure per person, so that erasing twice records nothing twice.
    """

    APPEND_ONLY = True

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="erasure",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erased by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(_("by whose decision"), max_length=20, choices=Source.choices)
    redacted_text = models.BooleanField(_("text redacted"))
    # Tickets whose log got a `redacted` event for this erasure.
    tickets = models.PositiveIntegerField(_("tickets redacted"), default=0)
    created_at = models.DateTimeField(_("erased on"), auto_now_add=True)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.person.display_name()


class AnonymisedTicket(models.Model):
    """A closed ticket whose personal text the retention rule removed: done once."""

    APPEND_ONLY = True

    ticket = models.OneToOneField(
        "tickets.Ticket",
        verbose_name=_("ticket"),
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="anonymisation",
    )
    created_at = models.DateTimeField(_("anonymised on"), auto_now_add=True)

    class Meta:
        verbose_name = _("anonymised ticket")
        verbose_name_plural = _("anonymised tickets")
        ordering = ["-created_at"]

    def __str__(self):
        return f"#{self.ticket_id}"
