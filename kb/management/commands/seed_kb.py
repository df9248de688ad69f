"""A few demo articles on top of seed_demo's categories and users; running it again
creates nothing twice."""

import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from categories.models import Category
from kb import services
from kb.models import Article, Visibility
from tickets.seeding import texts

# slug, category, visibility, then (language, title, body) per translation, original first.
ARTICLES = [
    (
        "kapasite-raporu-prod-kodu",
        "Kapasite Raporu",
        Visibility.PUBLIC,
        [
            (
                "tr",
                "Kapasite raporunda prod kodu nasıl girilir?",
                "Kapasite raporu doldurulurken mühendislik **prod kodları** sistemde yoksa:\n\n"
                "1. Ürünün prod kodunu [TÜİK PRODCOM listesinde](https://biruni.tuik.gov.tr/) "
                "arayın.\n2. Kodu rapordaki *Üretim* bölümüne ekleyin.\n3. Kod listede yoksa "
                "Kapasite Raporu kategorisinde bir kayıt açın.\n",
            ),
            (
                "en",
                "How do I enter a prod code in a capacity report?",
                "When the **prod codes** are missing while filling in a capacity report:\n\n"
                "1. Look the product up in the PRODCOM list.\n2. Add the code in the "
                "*Production* section.\n3. If it is not listed, file a Kapasite Raporu request.\n",
            ),
        ],
    ),
    (
        "yerli-mali-belgesi-basvuru",
        "Yerli Malı Belgesi",
        Visibility.MEMBERS,
        [
            (
                "tr",
                "Yerli malı belgesi başvurusu",
                "Başvuru için gerekli belgeler:\n\n- Kapasite raporu\n- Yerli katkı oranı "
                "hesap tablosu\n",
            )
        ],
    ),
    (
        "darkhast-poshtibani",
        "Bilgi İşlem – Teknik",
        Visibility.PUBLIC,
        [
            (
                "fa",
                "ثبت درخواست پشتیبانی",
                "کارشناس رسمی میتواند از طریق **ثبت درخواست پشتیبانی** موانع کارشناسی را "
                "اعلام نماید.\n\n1. وارد درخواست کارشناسی شوید.\n2. روی «افزودن درخواست "
                "پشتیبانی» کلیک کنید.\n3. واحد، اولویت و نوع را انتخاب و «ذخیره» کنید.\n",
            ),
            (
                "tr",
                "Destek talebi nasıl açılır?",
                "Yeni kayıt formunda kategoriyi, önceliği ve türü seçip kaydedin.\n",
            ),
        ],
    ),
    (
        "prod-kodu-eslestirme-notlari",
        "Kapasite Raporu",
        Visibility.INTERNAL,
        [
            (
                "tr",
                "Prod kodu eşleştirme notları (iç)",
                "Eksik kodlar için önce PRODCOM güncellemesini kontrol edin.\n",
            )
        ],
    ),
]


BULK_PREFIX = "generated-"


class Command(BaseCommand):
    help = "Create a few demo help articles (after seed_demo)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")
        parser.add_argument(
            "--bulk",
            type=int,
            default=0,
            metavar="N",
            help="Also write generated articles until N of them exist (for the benchmark).",
        )

    def handle(self, *args, force, bulk, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production. Use --force to seed anyway."
            )
        writer = (
            get_user_model()
            .objects.filter(is_active=True, is_superuser=True)
            .order_by("pk")
            .first()
        )
        if writer is None:
            raise CommandError("No active superuser to write the articles: run seed_demo first.")
        created = 0
        for slug, category_name, visibility, translations in ARTICLES:
            category = Category.objects.filter(name=category_name).first()
            if category is None or Article.objects.filter(slug=slug).exists():
                continue
            article = None
            for language, title, body in translations:
                article = services.write(
                    by=writer,
                    article=article,
                    category=category,
                    visibility=visibility,
                    language=language,
                    title=title,
                    body=body,
                    slug=slug,
                )
            created += 1
        created += self.generate(writer, bulk)
        self.stdout.write(f"{created} articles created.")

    def generate(self, writer, wanted: int) -> int:
        """Articles written from the generated tickets' words, in their languages, spread
        over the categories; numbered, so a second run adds only the missing ones."""
        have = Article.objects.filter(slug__startswith=BULK_PREFIX).count()
        categories = list(Category.objects.filter(is_active=True).order_by("pk"))
        if wanted <= have or not categories:
            return 0
        visibilities = [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.INTERNAL]
        for number in range(have, wanted):
            rng = random.Random(number)  # noqa: S311 - the same article for the same number
            category = categories[number % len(categories)]
            language = texts.language(rng)
            title, body = texts.ticket(rng, texts.topic(category.name), language, False)
            services.write(
                by=writer,
                category=category,
                visibility=visibilities[number % len(visibilities)],
                language=language,
                title=title[:200],
                body=body,
                slug=f"{BULK_PREFIX}{number}",
            )
        return wanted - have
