from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommonConfig(AppConfig):
    # Template tags, middleware, the database role and the version tokens.
    name = "common"

    def ready(self):
        from .dbroles import grant_after_migrate

        post_migrate.connect(grant_after_migrate, dispatch_uid="common.grant_site_role")
