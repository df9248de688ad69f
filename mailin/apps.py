from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailinConfig(AppConfig):
    """E-mail in: tickets and replies by mail (issue 15), through tickets/services.py."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "mailin"
    verbose_name = _("E-mail in")

    def ready(self):
        from common import personal_data as privacy

        from . import personal_data

        privacy.collect.connect(personal_data.held_mail, dispatch_uid="mailin")
        privacy.erase.connect(personal_data.erase, dispatch_uid="mailin")
        privacy.expire.connect(personal_data.expire, dispatch_uid="mailin")
