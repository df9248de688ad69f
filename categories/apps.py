from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CategoriesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "categories"
    verbose_name = _("Categories")

    def ready(self):
        from django.db.models import Exists, OuterRef

        from accounts import loading

        from .models import Category

        # Most users are on no team: their pages then ask nothing about teams.
        loading.register(
            "on_a_team",
            lambda: Exists(Category.responsibles.through.objects.filter(user_id=OuterRef("pk"))),
        )
