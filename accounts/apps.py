from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import stamp_last_seen

        user_logged_in.connect(stamp_last_seen, dispatch_uid="accounts.stamp_last_seen")
