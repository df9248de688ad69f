from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = _("Knowledge base")

    def ready(self):
        from tickets import panels as ticket_panels

        from . import panels, signals  # noqa: F401  (signals: the deflection rule on filing)

        ticket_panels.register(
            "kb/_ticket_panel.html", panels.ticket_articles, fact=(panels.DRAFTED, panels.drafted)
        )

    def figures(self, **kwargs):
        """The dashboard's knowledge-base figures (`selectors.figures`): the dashboard
        reads them here, through `apps.get_app_config("kb")`, since capability apps
        never import each other."""
        from .selectors import figures

        return figures(**kwargs)
