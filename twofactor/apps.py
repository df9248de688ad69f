from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    name = "twofactor"
    verbose_name = _("Two-factor sign-in")

    def ready(self):
        from django.db.models import Exists, OuterRef
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts import loading

        from . import checks  # noqa: F401 - registers the settings check

        # Whether an unverified session owes a code, asked on every page (middleware.py).
        loading.register(
            "has_authenticator",
            lambda: Exists(TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)),
        )
