"""A few demo canned replies on top of seed_demo's categories; running it again creates
nothing twice."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from canned.models import Action, CannedReply
from categories.models import Category

# title, category name (None: shared), language, action, body
REPLIES = [
    (
        "Teşekkür / inceleniyor",
        None,
        "tr",
        Action.REPLY,
        "Sayın {requester}, {ticket} numaralı kaydınız alınmıştır ve incelenmektedir.",
    ),
    (
        "Thanks / looking into it",
        None,
        "en",
        Action.REPLY,
        "Dear {requester}, we received ticket {ticket} and are looking into it.",
    ),
    (
        "Oda sicil numarası",
        "Kapasite Raporu",
        "tr",
        Action.REQUEST_INFO,
        "Sayın {requester}, {ticket} numaralı kayıt için {organisation} oda sicil "
        "numaranızı ve raporun kapasite numarasını yazar mısınız?",
    ),
    (
        "Prod kodları tanımlandı",
        "Kapasite Raporu",
        "tr",
        Action.RESOLVE,
        "Sayın {requester}, eksik prod kodları sisteme tanımlanmıştır; raporunuzu yeniden "
        "gönderebilirsiniz.",
    ),
    (
        "Şifre sıfırlama",
        "Bilgi İşlem – Teknik",
        "tr",
        Action.RESOLVE,
        "Sayın {requester}, şifreniz sıfırlandı; giriş sayfasındaki bağlantıyla yeni "
        "şifrenizi belirleyebilirsiniz.",
    ),
]


class Command(BaseCommand):
    help = "Create a few demo canned replies (after seed_demo); idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production. Use --force to seed anyway."
            )
        created = 0
        for title, category_name, language, action, body in REPLIES:
            category = None
            if category_name:
                category = Category.objects.filter(name=category_name).first()
                if category is None:
                    continue  # seed_demo has not run: its categories are missing
            _, made = CannedReply.objects.get_or_create(
                title=title,
                category=category,
                language=language,
                defaults={"action": action, "body": body},
            )
            created += made
        self.stdout.write(f"{created} canned replies created.")
