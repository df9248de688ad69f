"""Each deployment profile's main story, seeded on a fresh database and walked in its
language as its manual describes: the agency's expert files an extension request from
a case, the reviewer resolves it and the expert answers within three days; the vendor's
first line files for customers with and without a contract (the applicant's phone typed
in its mask) and escalates, and the second line takes the ticket by requesting
information; a portal customer files about an order."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from categories.models import Category
from tickets.models import ParentRecord, Status, Ticket

from .pages import PASSWORD, sign_in, t

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def seed(profile):
    call_command(
        "seed_demo", "--profile", profile, force=True, password=PASSWORD, stdout=io.StringIO()
    )


def file_the_form(page, language, *, category, kind, subject, description, **selects):
    page.locator("#id_category").select_option(str(category.pk))
    page.locator("#id_kind").select_option(kind)
    for name, value in selects.items():
        page.locator(f"#id_{name}").select_option(value)
    page.get_by_label(t(language, "Subject")).fill(subject)
    page.get_by_label(t(language, "Description")).fill(description)
    page.get_by_role("button", name=t(language, "Save")).click()


def test_the_agencys_expert_files_from_a_case_and_the_reviewer_resolves_it(open_page):
    seed("agency")
    case = ParentRecord.objects.get(number="1402-11873")
    unit = Category.objects.get(name="واحد امور کارشناسان")
    subject = "درخواست استمهال برای تکمیل گزارش"

    # given: the expert opens their case and adds a support request to it
    expert = open_page("fa")
    sign_in(expert, "fa_expert")
    expect(expert.locator("html")).to_have_attribute("dir", "rtl")
    expert.get_by_role("link", name=t("fa", "Cases and orders")).first.click()
    expert.get_by_role("link", name="1402-11873").click()
    expert.locator("#add-request").click()
    expect(expert.locator("#id_parent")).to_have_value(str(case.pk))
    file_the_form(
        expert,
        "fa",
        category=unit,
        kind="extension",
        subject=subject,
        description="برای تکمیل گزارش کارشناسی ده روز مهلت لازم است.",
    )
    expect(expert.locator(".alert-info")).to_contain_text(
        str(Ticket.objects.get(subject=subject).pk)
    )
    ticket = Ticket.objects.get(subject=subject)
    assert (ticket.parent, ticket.kind.code) == (case, "extension")

    # when: the referring authority's reviewer finds it in their list and resolves it
    reviewer = open_page("fa")
    sign_in(reviewer, "fa_reviewer")
    reviewer.get_by_role("link", name=subject).click()
    reviewer.get_by_label(t("fa", "Explanation")).fill("ده روز مهلت داده شد.")
    reviewer.get_by_role("button", name=t("fa", "Resolved"), exact=True).click()
    expect(reviewer.locator(".alert-success")).to_contain_text(t("fa", "The ticket is resolved."))

    # then: the expert answers within the three days: the request is open again
    expert.goto(f"/cases/{case.pk}/")
    row = expert.locator("#record-requests tbody tr", has=expert.get_by_role("link", name=subject))
    expect(row).to_contain_text(t("fa", "Resolved", "status"))
    row.get_by_role("link", name=subject).click()
    expert.get_by_label(t("fa", "Why is it not solved?")).fill(
        "ده روز کافی نیست؛ بیست روز لازم است."
    )
    expert.get_by_role("button", name=t("fa", "Reopen")).click()
    expect(expert.locator("main")).to_contain_text(t("fa", "In progress", "status"))
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS


def test_the_vendors_first_line_files_escalates_and_the_second_line_requests_information(
    open_page,
):
    seed("vendor")
    first = Category.objects.get(name="Первая линия поддержки")
    second = Category.objects.get(name="Вторая линия поддержки")
    from accounts.models import User

    nocontract = User.objects.get(username="ru_nocontract")
    client = User.objects.get(username="ru_client")

    line1 = open_page("ru")
    sign_in(line1, "ru_line1")

    # a customer without a contract: only a consultation
    line1.goto("/tickets/new/")
    line1.locator("#id_requester").select_option(str(nocontract.pk))
    file_the_form(
        line1,
        "ru",
        category=first,
        kind="error",
        subject="Ошибка без контракта",
        description="Не открывается форма.",
    )
    expect(line1.locator("#id_kind")).to_have_attribute("aria-invalid", "true")
    assert not Ticket.objects.filter(subject="Ошибка без контракта").exists()
    line1.locator("#id_kind").select_option("consultation")
    line1.get_by_role("button", name=t("ru", "Save")).click()
    line1.wait_for_url("**/documents/")
    assert Ticket.objects.get(subject="Ошибка без контракта").kind.code == "consultation"

    # a customer with a contract: four kinds, a product, the system information
    line1.goto("/tickets/new/")
    expect(line1.locator("#id_kind option")).to_have_count(4)
    line1.locator("#id_requester").select_option(str(client.pk))
    line1.locator("#id_category").select_option(str(first.pk))
    system_info = line1.get_by_label("Информация о системе").filter(visible=True)
    expect(system_info).to_be_visible()
    system_info.fill("Свод-СМАРТ 24.1.15")
    # the applicant's phone, written in the Russian mask as it is typed
    phone = line1.get_by_label("Телефон заявителя").filter(visible=True)
    phone.press_sequentially("89123456789")
    expect(phone).to_have_value("+7 (912) 345-67-89")
    file_the_form(
        line1,
        "ru",
        category=first,
        kind="error",
        subject="Не формируется отчёт 0503130",
        description="Ошибка контрольного соотношения.",
        product="Свод-СМАРТ",
    )
    line1.wait_for_url("**/documents/")
    ticket = Ticket.objects.get(subject="Не формируется отчёт 0503130")
    assert ticket.assignee.username == "ru_line1"
    assert ticket.custom == {
        "system_info": "Свод-СМАРТ 24.1.15",
        "applicant_phone": "+79123456789",
    }

    # escalation to the second line
    line1.goto(f"/tickets/{ticket.pk}/")
    expect(line1.locator("main")).to_contain_text("Свод-СМАРТ 24.1.15")
    line1.locator("#redirect-form").evaluate("form => form.closest('details').open = true")
    line1.locator("#redirect-form select[name=category]").select_option(str(second.pk))
    line1.get_by_role("button", name=t("ru", "Redirect")).click()
    expect(line1.locator(".alert-success")).to_be_visible()

    # the second line takes it into work by requesting information, without a comment
    line2 = open_page("ru")
    sign_in(line2, "ru_line2")
    line2.goto(f"/tickets/{ticket.pk}/")
    line2.locator("#request-info-form").evaluate("form => form.closest('details').open = true")
    line2.get_by_role("button", name=t("ru", "Request information")).click()
    expect(line2.locator("main")).to_contain_text(t("ru", "Information requested", "status"))
    ticket.refresh_from_db()
    assert ticket.status == Status.INFO_REQUESTED


def test_a_portal_customer_files_a_request_about_an_order(open_page, settings):
    seed("portal")
    order = ParentRecord.objects.get(number="SP-000131")
    support = Category.objects.get(name="Müşteri Destek")
    customer = open_page("tr")
    sign_in(customer, "portal_customer")

    customer.goto("/tickets/new/")
    customer.locator("#id_parent").select_option(str(order.pk))
    file_the_form(
        customer,
        "tr",
        category=support,
        kind="problem",
        subject="Dolap eksik parça ile geldi",
        description="SP-000131 siparişindeki dolabın raf pimleri eksik.",
    )
    customer.wait_for_url("**/documents/")

    customer.goto(f"/cases/{order.pk}/")
    expect(customer.locator("#record-requests")).to_contain_text("Dolap eksik parça ile geldi")
