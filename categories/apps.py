from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CategoriesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "categories"
    verbose_name = _("Categories")

    def ready(self):
        from django.db.models import OuterRef, Subquery, Value
        from django.db.models.functions import Coalesce

        from accounts import loading

        from .models import Category
        from .selectors import IdsText

        # Every page asks which teams the user is on: loaded with the user, as "1,5".
        teams = Category.responsibles.through.objects.filter(user_id=OuterRef("pk"))
        loading.register(
            "team_category_ids",
            lambda: Coalesce(
                Subquery(
                    teams.values("user_id").annotate(ids=IdsText("category_id")).values("ids")
                ),
                Value(""),
            ),
        )
