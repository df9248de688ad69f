"""Demo data: categories, the organisation tree, the demo users and a few tickets.

`--profile` chooses the deployment's shape: TESK's (the default, below) or another's
(tickets/demo_profiles.py). Idempotent: running it again creates nothing twice.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils.translation import gettext_noop

from accounts.models import Organisation, OrganisationKind, Role, User
from categories.models import Category
from tickets import demo_profiles, services, signals
from tickets.models import Priority, Ticket, TicketKind

# The names are the catalogues' message ids, so each language shows its own.
CATEGORIES = [
    gettext_noop("Kapasite Raporu"),
    gettext_noop("Yerli Malı Belgesi"),
    gettext_noop("Dolaşım Belgesi"),
    gettext_noop("Basılı Evrak / Stok"),
    gettext_noop("Bilgi İşlem – Teknik"),
]
TESK = "Türkiye Esnaf ve Sanatkarları Konfederasyonu (TESK)"
BURSA = "Bursa Esnaf ve Sanatkarlar Odaları Birliği"
INEGOL = "İnegöl Marangozlar ve Mobilyacılar Esnaf ve Sanatkarlar Odası"
ANKARA = "Ankara Esnaf ve Sanatkarlar Odaları Birliği"
ENGINEER = "Müh. Ahmet Yılmaz"
ACCOUNTANT = "SMMM Ayşe Demir"

# (username, first name, last name, organisation, role, categories)
USERS = [
    ("tesk", "Berrin", "Doğanay", TESK, Role.SUPERVISOR, []),
    ("oda", "Mehmet", "Kaya", INEGOL, Role.MEMBER, []),
    ("bursa", "Selin", "Aydın", BURSA, Role.MEMBER, []),
    ("birlik", "Can", "Öztürk", ANKARA, Role.MEMBER, []),
    ("muhendis", "Ahmet", "Yılmaz", ENGINEER, Role.MEMBER, []),
    ("musavir", "Ayşe", "Demir", ACCOUNTANT, Role.MEMBER, []),
    ("kapasite", "Melike", "Coşkun", TESK, Role.STAFF, ["Kapasite Raporu"]),
    ("teknik", "Emre", "Şahin", TESK, Role.STAFF, ["Bilgi İşlem – Teknik"]),
]

# (requester, category, priority, subject, description, resolution or None), from the manual.
TICKETS = [
    (
        "oda",
        "Kapasite Raporu",
        Priority.MEDIUM,
        "Kapasite Raporu Prod Kodları",
        "Kapasite Raporu doldurulurken mühendislik prod kodları için sisteme giriş yapılırken "
        "sistemde prod kodları eksik olarak yer almaktadır.",
        None,
    ),
    (
        "oda",
        "Basılı Evrak / Stok",
        Priority.HIGH,
        "İstenilen belge satışı yapılmamıştır.",
        "Birlikten istenen basılı evrakların satışı sistemde görünmüyor; "
        "stok bilgisi güncel değil.",
        None,
    ),
    (
        "oda",
        "Kapasite Raporu",
        Priority.MEDIUM,
        "Kapasite raporunda eksik prod kodları",
        "Kapasite raporu düzenlenirken mühendis prod kodlarını eklemediği için "
        "hatalı giriş yapılmış.",
        "Gerekli çalışma yapılmış olup eksik prod kodları tamamlanmış ve sisteme tanımlanmış "
        "olup sorununuz çözülmüştür.",
    ),
    (
        "muhendis",
        "Bilgi İşlem – Teknik",
        Priority.HIGH,
        "E-imza ile giriş yapılamıyor",
        "Online işlemler sayfasında e-imza ile giriş yaparken "
        "'sertifika bulunamadı' hatası alıyorum.",
        None,
    ),
]


class Command(BaseCommand):
    help = "Create the demo categories, organisations, users and tickets (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="demo12345", help="Password of new demo users.")
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")
        parser.add_argument(
            "--profile",
            choices=demo_profiles.PROFILES,
            default="tesk",
            help="The deployment's shape: TESK, the agency, the vendor or the customer portal.",
        )

    def handle(self, *args, password, force, profile="tesk", **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production. Use --force to seed anyway."
            )
        # The demo addresses are not real: their notices are marked sent, not mailed
        # (here and now, not by a worker with a real mail server).
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend", CELERY_BROKER_URL=""
        ):
            if profile == "tesk":
                self.seed(password)
            else:
                self.seed_profile(profile, password)

    @transaction.atomic
    def seed_profile(self, profile, password):
        self.user("admin", password, is_staff=True, is_superuser=True)
        seeder = demo_profiles.Seeder(password)
        demo_profiles.SEEDERS[profile](seeder)
        signals.demo_seeded.send(sender=self.__class__, profile=profile)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready ({profile}): {seeder.created} new tickets.")
        )

    @transaction.atomic
    def seed(self, password):
        categories = {name: Category.objects.get_or_create(name=name)[0] for name in CATEGORIES}
        organisations = self.organisations()
        users = {"admin": self.user("admin", password, is_staff=True, is_superuser=True)}
        for username, first, last, organisation, role, teams in USERS:
            user = self.user(
                username,
                password,
                first_name=first,
                last_name=last,
                organisation=organisations[organisation],
                role=role,
            )
            for team in teams:
                categories[team].responsibles.add(user)
            users[username] = user
        created = self.tickets(users, categories)
        signals.demo_seeded.send(sender=self.__class__, profile="tesk")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready: {len(users)} users, {created} new tickets.")
        )

    def organisations(self):
        def get(name, kind, parent=None):
            organisation, _ = Organisation.objects.get_or_create(
                name=name, defaults={"kind": kind, "parent": parent}
            )
            return organisation

        tesk = get(TESK, OrganisationKind.CONFEDERATION)
        bursa = get(BURSA, OrganisationKind.UNION, tesk)
        return {
            TESK: tesk,
            BURSA: bursa,
            INEGOL: get(INEGOL, OrganisationKind.CHAMBER, bursa),
            ANKARA: get(ANKARA, OrganisationKind.UNION, tesk),
            ENGINEER: get(ENGINEER, OrganisationKind.ENGINEER, tesk),
            ACCOUNTANT: get(ACCOUNTANT, OrganisationKind.ACCOUNTANT, tesk),
        }

    def user(self, username, password, **fields):
        user, created = User.objects.get_or_create(
            username=username, defaults={**fields, "email": f"{username}@example.org"}
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        return user

    def tickets(self, users, categories) -> int:
        problem = TicketKind.objects.get(code="problem")
        created = 0
        for username, category, priority, subject, description, resolution in TICKETS:
            requester = users[username]
            if Ticket.objects.filter(requester=requester, subject=subject).exists():
                continue
            ticket = services.file_ticket(
                by=requester,
                category=categories[category],
                kind=problem,
                priority=priority,
                subject=subject,
                description=description,
            ).ticket
            if resolution:
                handler = users["kapasite"]
                ticket = services.mark_read(ticket, by=handler)
                services.resolve(ticket, by=handler, explanation=resolution)
            created += 1
        return created
