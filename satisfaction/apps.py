from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SatisfactionConfig(AppConfig):
    name = "satisfaction"
    verbose_name = _("Satisfaction")

    def ready(self):
        from common import personal_data as privacy
        from tickets import panels

        from . import personal_data, signals  # (a closed ticket sends its survey)

        panels.register("satisfaction/_panel.html", signals.rating_panel)
        privacy.collect.connect(personal_data.answers, dispatch_uid="satisfaction")
        privacy.erase.connect(personal_data.erase, dispatch_uid="satisfaction")
        privacy.expire.connect(personal_data.expire, dispatch_uid="satisfaction")

    def ratings(self, tickets, *, by: str, top: int):
        """The dashboard's ratings per category or assignee (selectors.py), read through
        this config so that the dashboard needs no import of this app."""
        from .selectors import ratings

        return ratings(tickets, by=by, top=top)
