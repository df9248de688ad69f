from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api import tokens
from api.models import Scope


class Command(BaseCommand):
    help = "Create a personal API token for a user; the token is the last line printed."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")
        parser.add_argument("--days", type=int, default=settings.HELPDESK_API_TOKEN_DAYS)
        parser.add_argument("--read-only", action="store_true", help="a token that only reads")

    def handle(self, *args, username, name, days, read_only, **options):
        User = get_user_model()  # noqa: N806
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"{username!r} is not active: a token of theirs would not work.")
        if days < 1:
            raise CommandError("--days must be 1 or more.")
        scope = Scope.READ if read_only else Scope.READ_WRITE
        row, token = tokens.create(user, name=name, days=days, scope=scope)
        self.stdout.write(
            f"Token {row.name!r} for {user.username} ({row.get_scope_display()}), "
            f"valid until {row.expires_at:%Y-%m-%d %H:%M %Z}. It is shown only now:"
        )
        self.stdout.write(token)
