from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from common import dbroles


class Command(BaseCommand):
    help = (
        "Give the site's PostgreSQL role (DATABASE_SITE_ROLE, or the one named) its "
        "rights: no UPDATE, DELETE or TRUNCATE on the action log. Run as the tables' "
        "owner; `migrate` does it by itself when DATABASE_SITE_ROLE is set."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", nargs="?", default=None)

    def handle(self, *args, role, **options):
        role = role or settings.DATABASE_SITE_ROLE
        if not role:
            raise CommandError("Name the role, or set DATABASE_SITE_ROLE.")
        if connection.vendor != "postgresql":
            raise CommandError("Database roles exist on PostgreSQL only.")
        try:
            statements = dbroles.grant(role)
        except ValueError as error:
            raise CommandError(str(error)) from None
        for statement in statements:
            self.stdout.write(statement)
