from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tickets"
    verbose_name = _("Tickets")

    def ready(self):
        from django.db.models.signals import post_save

        from accounts.models import Organisation, User
        from categories.models import Category

        from . import (
            checks,  # noqa: F401 - registers the deploy check
            sortkeys,
        )

        post_save.connect(sortkeys.organisation_renamed, sender=Organisation)
        post_save.connect(sortkeys.category_renamed, sender=Category)
        post_save.connect(sortkeys.user_renamed, sender=User)

        from django.db.models.signals import post_delete

        from . import configuration

        for model in configuration.MODELS:
            post_save.connect(configuration.changed, sender=model, dispatch_uid=f"config-{model}")
            post_delete.connect(configuration.changed, sender=model, dispatch_uid=f"config-{model}")

        from django.db.models import Exists, OuterRef

        from accounts import loading

        from . import filing, worklists
        from .models import Product
        from .records import ParentRecord

        # The list's, filters' and menu's word for a category ("Unit" at the agency).
        loading.register("says_unit", filing.says_unit_fact)
        # Whether this process's copy of the categories, kinds and fields is current.
        loading.register(configuration.NAME, configuration.token_fact)
        # The supervisors' "unrouted" view counts by the ids of the categories without a
        # team: loaded with the user ("3,7"), so that they cost no query of their own.
        loading.register("unrouted_category_ids", worklists.unrouted_ids_text)
        # Most deployments sell no products: their new ticket's form asks nothing of them.
        loading.register("products_exist", lambda: Exists(Product.objects.all()))
        # Few users review cases: the others' pages ask nothing about them.
        loading.register(
            "reviews_cases",
            lambda: Exists(ParentRecord.objects.filter(reviewer_id=OuterRef("pk"))),
        )
