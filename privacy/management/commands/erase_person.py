from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from privacy import services


class Command(BaseCommand):
    help = (
        "Erase a person: their name, e-mail, phone and username are replaced by a "
        "pseudonym everywhere and their account is closed; their tickets and the action "
        "log stay. With --redact-text, what they wrote goes too."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--redact-text",
            action="store_true",
            help="also remove their tickets' subjects and descriptions, their messages "
            "and their documents",
        )

    def handle(self, *args, username, redact_text, **options):
        person = User.objects.filter(username=username).first()
        if person is None:
            raise CommandError(f"There is no user {username!r}.")
        try:
            erasure = services.erase(person, by=None, redact_text=redact_text)
        except services.AlreadyErased:
            self.stdout.write(f"{username} was already erased; nothing changed.")
            return
        done = f"Erased: the account is now {erasure.person.username}"
        if redact_text:
            done += f"; text redacted on {erasure.tickets} ticket(s)"
        self.stdout.write(done + ".")
