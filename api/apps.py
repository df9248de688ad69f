from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "API"

    def ready(self):
        from common.personal_data import collect

        from . import personal_data, schema  # noqa: F401 - schema registers the token scheme

        # The user's tokens in their privacy export, without privacy/ knowing the API.
        collect.connect(personal_data.tokens, dispatch_uid="api-tokens")
