from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = _("Knowledge base")

    def ready(self):
        from tickets import panels as ticket_panels

        from . import panels, signals  # noqa: F401  (signals: the deflection rule on filing)

        ticket_panels.register("kb/_ticket_panel.html", panels.ticket_articles)
