"""The other deployments' demo data (`seed_demo --profile agency|vendor|portal`), each
from its manual and in its language, side by side with TESK's in one database.

Each profile has its own organisation tree: its users see only its tickets, and its
categories (units) and kinds are offered only within it (their `scope`). Idempotent:
running it again creates nothing twice.
"""

from accounts.models import Organisation, OrganisationKind, Role, User
from categories.models import Category

from . import services
from .models import (
    Component,
    Contract,
    CustomField,
    ParentRecord,
    Priority,
    Product,
    Ticket,
    TicketKind,
)
from .records import FieldType, ParentKind

PROFILES = ("tesk", "agency", "vendor", "portal")
# The vendor's customer's contract (sla/ gives it service levels of its own).
VENDOR_CONTRACT = "КС-2024/117"


class Seeder:
    def __init__(self, password):
        self.password = password
        self.created = 0

    def organisation(self, name, kind, parent=None, **extra):
        organisation, _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "parent": parent, **extra}
        )
        return organisation

    def user(self, username, first, last, organisation, role, language):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "organisation": organisation,
                "role": role,
                "language": language,
                "email": f"{username}@example.org",
            },
        )
        if created:
            user.set_password(self.password)
            user.save(update_fields=["password"])
        return user

    def category(self, name, scope, team=()):
        category, _ = Category.objects.get_or_create(name=name, defaults={"scope": scope})
        category.responsibles.add(*team)
        return category

    def kind(self, code, name, scope, needs_contract=False):
        kind, _ = TicketKind.objects.get_or_create(
            code=code, defaults={"name": name, "scope": scope, "needs_contract": needs_contract}
        )
        return kind

    def field(self, category, key, **definition):
        field, _ = CustomField.objects.get_or_create(
            category=category, key=key, defaults=definition
        )
        return field

    def ticket(self, *, by, subject, **fields) -> Ticket | None:
        requester = fields.get("requester") or by
        if Ticket.objects.filter(requester=requester, subject=subject).exists():
            return None
        self.created += 1
        return services.file_ticket(by=by, subject=subject, **fields).ticket


def seed_agency(seeder: Seeder) -> None:
    """The official experts' support requests (Persian manual): cases, units, four kinds."""
    root = seeder.organisation(
        "مرکز امور کارشناسان رسمی دادگستری", OrganisationKind.AGENCY, tax_scheme="ir"
    )
    expert_office = seeder.organisation(
        "دفتر کارشناس رسمی مریم احمدی", OrganisationKind.EXPERT, root, tax_scheme="ir"
    )
    authority = seeder.organisation(
        "شعبه ۱۲ دادگاه عمومی حقوقی تهران", OrganisationKind.AUTHORITY, root, tax_scheme="ir"
    )
    expert = seeder.user("fa_expert", "مریم", "احمدی", expert_office, Role.MEMBER, "fa")
    reviewer = seeder.user("fa_reviewer", "رضا", "کریمی", authority, Role.STAFF, "fa")
    handler = seeder.user("fa_unit", "سارا", "محمدی", root, Role.STAFF, "fa")
    units = {
        "experts": seeder.category("واحد امور کارشناسان", root, [handler]),
        "system": seeder.category("واحد پشتیبانی سامانه", root),
        "inspection": seeder.category("واحد نظارت و بازرسی", root),
    }
    kinds = {
        "support": seeder.kind("support", "درخواست پشتیبانی", root),
        "extension": seeder.kind("extension", "درخواست استمهال", root),
        "non_cooperation": seeder.kind(
            "non_cooperation", "عدم همکاری / ممانعت از ورود به محل کارشناسی", root
        ),
        "inquiry": seeder.kind("inquiry", "استعلام", root),
    }
    cases = []
    for number, title in [
        ("1402-11873", "ارزیابی خسارت وارده به ساختمان مسکونی"),
        ("1402-12051", "تعیین اجرت‌المثل ملک تجاری"),
    ]:
        case, _ = ParentRecord.objects.get_or_create(
            kind=ParentKind.CASE,
            number=number,
            defaults={
                "title": title,
                "organisation": expert_office,
                "authority": authority.name,
                "reviewer": reviewer,
            },
        )
        cases.append(case)
    seeder.ticket(
        by=expert,
        parent=cases[1],
        category=units["experts"],
        kind=kinds["non_cooperation"],
        priority=Priority.HIGH,
        subject="ممانعت از ورود به محل کارشناسی",
        description="مالک ملک در روز بازدید از ورود کارشناس به محل جلوگیری کرد؛ "
        "خواهشمند است دستور لازم صادر شود.",
    )


def seed_vendor(seeder: Seeder) -> None:
    """The vendor's service desk (Russian manual): contracts decide the kinds."""
    root = seeder.organisation("Кейсистемс", OrganisationKind.COMPANY, tax_scheme="ru")
    customer = seeder.organisation(
        "Министерство финансов Чувашской Республики",
        OrganisationKind.CUSTOMER,
        root,
        tax_scheme="ru",
    )
    client_org = seeder.organisation(
        "Управление образования г. Чебоксары", OrganisationKind.COMPANY, customer, tax_scheme="ru"
    )
    no_contract = seeder.organisation(
        "МБУ «Централизованная бухгалтерия» г. Канаш",
        OrganisationKind.COMPANY,
        root,
        tax_scheme="ru",
    )
    line1 = seeder.user("ru_line1", "Ольга", "Смирнова", root, Role.STAFF, "ru")
    line2 = seeder.user("ru_line2", "Дмитрий", "Иванов", root, Role.STAFF, "ru")
    client = seeder.user("ru_client", "Анна", "Петрова", client_org, Role.MEMBER, "ru")
    seeder.user("ru_nocontract", "Игорь", "Васильев", no_contract, Role.MEMBER, "ru")
    first = seeder.category("Первая линия поддержки", root, [line1])
    seeder.category("Вторая линия поддержки", root, [line2])
    kinds = [
        seeder.kind("consultation", "Консультация", root),
        seeder.kind("error", "Ошибка", root, needs_contract=True),
        seeder.kind("improvement", "Доработка", root, needs_contract=True),
        seeder.kind("setup", "Настройка", root, needs_contract=True),
    ]
    products = {}
    for name, components in [
        ("Бюджет-СМАРТ", ["Планирование", "Исполнение бюджета"]),
        ("Свод-СМАРТ", ["Отчётность", "Консолидация"]),
        ("Web-Торги-КС", ["Закупки"]),
    ]:
        product, _ = Product.objects.get_or_create(name=name)
        for component in components:
            Component.objects.get_or_create(product=product, name=component)
        products[name] = product
    contract, made = Contract.objects.get_or_create(
        number=VENDOR_CONTRACT, defaults={"customer": customer}
    )
    if made:
        contract.organisations.add(customer, client_org)
        contract.kinds.add(*kinds)
        contract.products.add(products["Бюджет-СМАРТ"], products["Свод-СМАРТ"])
    for category in Category.objects.filter(scope=root):
        seeder.field(
            category,
            "system_info",
            type=FieldType.LONG_TEXT,
            label="System information",
            labels={"ru": "Информация о системе", "en": "System information"},
            help_text="Меню / О программе / Скопировать в буфер",
            position=1,
        )
        seeder.field(
            category,
            "connection",
            type=FieldType.CHOICE,
            label="Connection type",
            labels={"ru": "Тип связи", "en": "Connection type"},
            choices=[
                {"value": "service_desk", "label": "Сервис-Деск"},
                {"value": "phone", "label": "Телефон"},
                {"value": "email", "label": "Электронная почта"},
            ],
            position=2,
        )
    # The applicant typed in when not in the directory (the requester is then the
    # organisation's member the first line chose, or the first line itself).
    typed = "Если заявителя нет в справочнике"
    for position, (key, kind, label, ru) in enumerate(
        [
            ("applicant_name", FieldType.TEXT, "Applicant", "Заявитель (ФИО)"),
            ("applicant_email", FieldType.EMAIL, "Applicant's e-mail", "Email заявителя"),
            ("applicant_phone", FieldType.PHONE, "Applicant's phone", "Телефон заявителя"),
        ],
        start=3,
    ):
        seeder.field(
            first,
            key,
            type=kind,
            label=label,
            labels={"ru": ru, "en": label},
            help_text=typed,
            position=position,
        )
    seeder.ticket(
        by=line1,
        requester=client,
        channel="phone",
        category=first,
        kind=kinds[1],
        priority=Priority.HIGH,
        product=products["Свод-СМАРТ"],
        component=Component.objects.get(product=products["Свод-СМАРТ"], name="Отчётность"),
        custom={"system_info": "Свод-СМАРТ 24.1.15, PostgreSQL 14", "connection": "phone"},
        subject="Не формируется отчёт 0503317",
        description="При формировании отчёта 0503317 за квартал выдаётся ошибка "
        "«Нарушение контрольного соотношения».",
    )


def seed_portal(seeder: Seeder) -> None:
    """The customer portal (1C:Drive manual): requests about the customer's orders."""
    root = seeder.organisation("Demir Ticaret A.Ş.", OrganisationKind.COMPANY)
    customer = seeder.organisation("Yıldız Mobilya Ltd. Şti.", OrganisationKind.CUSTOMER, root)
    agent = seeder.user("portal_agent", "Elif", "Arslan", root, Role.STAFF, "tr")
    person = seeder.user("portal_customer", "Murat", "Yıldız", customer, Role.MEMBER, "tr")
    support = seeder.category("Müşteri Destek", root, [agent])
    orders = []
    for kind, number, title in [
        (ParentKind.ORDER, "SP-000123", "Ofis masası ve sandalye siparişi"),
        (ParentKind.ORDER, "SP-000131", "Arşiv dolabı siparişi"),
        (ParentKind.RETURN, "IA-000007", "Hasarlı sandalyelerin iadesi"),
    ]:
        order, _ = ParentRecord.objects.get_or_create(
            kind=kind, number=number, defaults={"title": title, "organisation": customer}
        )
        orders.append(order)
    seeder.ticket(
        by=person,
        parent=orders[0],
        category=support,
        kind=TicketKind.objects.get(code="problem"),
        priority=Priority.MEDIUM,
        subject="Siparişin teslim tarihi gecikti",
        description="SP-000123 numaralı siparişin sevkiyatı planlanan tarihte yapılmadı.",
    )


SEEDERS = {"agency": seed_agency, "vendor": seed_vendor, "portal": seed_portal}
