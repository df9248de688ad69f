from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """What a ticket is about; its team of responsibles reads and resolves it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    responsibles = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsibles"),
        blank=True,
        related_name="team_categories",
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Offered only to the organisations of this tree (a deployment's own units).
    scope = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("offered within"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self):
        # Seeded names are in the catalogues; names an admin adds show as typed.
        return gettext(self.name)
