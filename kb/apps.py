from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = _("Knowledge base")

    def ready(self):
        from . import signals  # noqa: F401  (connects the deflection rule to filing)

    def figures(self, **kwargs):
        """The dashboard's knowledge-base figures (`selectors.figures`): the dashboard
        reads them here, through `apps.get_app_config("kb")`, since capability apps
        never import each other."""
        from .selectors import figures

        return figures(**kwargs)
