"""The main story, in Turkish and in Persian: a chamber files a Kapasite Raporu problem
with a PDF, the responsible reads and resolves it, the chamber sees it resolved and
downloads its document."""

import pytest
from playwright.sync_api import expect

from categories.models import Category
from tickets.models import EventKind, Status, Ticket

from .pages import PHONE, SOLAR_HIJRI_DATE, sign_in, t

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("language", ["tr", "fa"])
def test_a_chamber_files_a_problem_and_the_responsible_resolves_it(open_page, screenshot, language):
    subject = {"tr": "Kapasite raporunda prod kodu yok", "fa": "کد تولید در گزارش ظرفیت نیست"}[
        language
    ]
    capacity = Category.objects.get(name="Kapasite Raporu")

    # given: `oda` files the problem with a PDF
    oda = open_page(language)
    sign_in(oda, "oda")
    oda.get_by_role("link", name=t(language, "+ New Record")).first.click()
    oda.get_by_label(t(language, "Category")).select_option(str(capacity.pk))
    oda.get_by_label(t(language, "Priority")).select_option("medium")
    expect(oda.locator("#id_priority option:checked")).to_have_text(t(language, "Medium"))
    if language == "tr":
        assert t(language, "Medium") == "Orta"
    oda.get_by_label(t(language, "Subject")).fill(subject)
    oda.get_by_label(t(language, "Description")).fill("Prod kodları eksik: 9403.30")
    oda.locator("input[type=file][name=attachments]").set_input_files(
        files=[{"name": "kapasite.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    oda.get_by_role("button", name=t(language, "Save")).click()

    # the documents step, finished with "OK" ("Tamam")
    expect(oda.get_by_role("link", name="kapasite.pdf")).to_be_visible()
    if language == "tr":
        assert t(language, "OK") == "Tamam"
    oda.get_by_role("link", name=t(language, "OK"), exact=True).click()
    ticket = Ticket.objects.get(subject=subject)
    oda.wait_for_url(f"**/tickets/{ticket.pk}/")
    oda.get_by_role("navigation", name=t(language, "Main menu")).get_by_role(
        "link", name=t(language, "Problem & Suggestion List")
    ).click()
    row = oda.locator("tbody tr", has=oda.get_by_role("link", name=subject))
    expect(row).to_contain_text(t(language, "Waiting", "status"))
    if language == "fa":
        created = row.locator("td").nth(6).inner_text().strip()
        assert SOLAR_HIJRI_DATE.match(created), created
    screenshot(oda, f"list-{language}-desktop")

    # when: `kapasite` opens it (it is read) and resolves it with an explanation
    kapasite = open_page(language)
    sign_in(kapasite, "kapasite")
    kapasite.get_by_role("link", name=subject).click()
    log = kapasite.locator(
        "section", has=kapasite.get_by_role("heading", name=t(language, "Action log"))
    )
    expect(log).to_contain_text(t(language, "Read", "event"))
    if language == "tr":
        expect(log).to_contain_text("Okundu")
    kapasite.get_by_label(t(language, "Explanation")).fill("Eksik prod kodları tanımlandı.")
    kapasite.get_by_role("button", name=t(language, "Resolved"), exact=True).click()
    # The button says what the status will say: wait for the saved answer instead.
    expect(kapasite.locator(".alert-success")).to_contain_text(
        t(language, "The ticket is resolved.")
    )
    expect(kapasite.locator("main")).to_contain_text(t(language, "Resolved", "status"))
    screenshot(kapasite, f"detail-{language}-desktop")

    # then: `oda` sees it resolved, with its read date, and downloads the document
    oda.reload()
    row = oda.locator("tbody tr", has=oda.get_by_role("link", name=subject))
    expect(row).to_contain_text(t(language, "Resolved", "status"))
    if language == "tr":
        expect(row).to_contain_text("Çözüldü")
    read_on = row.locator(f"td[data-label='{t(language, 'Read on')}']").inner_text().strip()
    assert read_on != "—"
    row.get_by_role("link", name=subject).click()
    with oda.expect_download() as download:
        oda.get_by_role("link", name="kapasite.pdf").first.click()
    assert download.value.suggested_filename == "kapasite.pdf"
    with open(download.value.path(), "rb") as handle:
        assert handle.read() == PDF
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    assert ticket.events.filter(kind=EventKind.READ).count() == 1

    # the same pages on a phone
    oda.set_viewport_size(PHONE)
    screenshot(oda, f"detail-{language}-phone")
    oda.goto("/tickets/")
    screenshot(oda, f"list-{language}-phone")
    oda.goto("/tickets/new/")
    screenshot(oda, f"new-{language}-phone")
