"""A closed ticket's satisfaction survey: sent to the requester, answered once."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Survey(models.Model):
    ticket = models.OneToOneField(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="+"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The secret half of the link's signed token: a link for another key is forged.
    key = models.CharField(max_length=32, editable=False)
    sent_at = models.DateTimeField(_("sent on"), auto_now_add=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    # The first answer: it may be changed until a day after, then the link is used.
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed on"), null=True, blank=True)
    # Supervisors are told of a low rating once, however often it is changed.
    low_notified = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        indexes = [
            models.Index(
                fields=["ticket"], condition=models.Q(rating__isnull=False), name="survey_answered"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="survey_rating_1_to_5",
            )
        ]

    def __str__(self):
        return f"#{self.ticket_id} {self.rating or '-'}"
