from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases and orders")

    def ready(self):
        from django.db.models import Exists

        from accounts import loading
        from tickets.models import ParentRecord

        from . import selectors

        # The menu's link on every page: asked with the user's load, not on its own.
        loading.register("records_reached", selectors.records_reached_fact)
        loading.register("records_exist", lambda: Exists(ParentRecord.objects.all()))
