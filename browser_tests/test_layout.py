"""Right to left in Persian with its calendar, the language switcher, and the list as
cards on a phone."""

import jdatetime
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tickets.models import Ticket

from .pages import PHONE, SOLAR_HIJRI_DATE, t

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_persian_page_runs_right_to_left_with_solar_hijri_dates(open_page):
    page = open_page("fa", user="oda")
    page.goto("/tickets/")

    # given the page's direction, the layout mirrors: brand on the right, filters follow
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "fa")
    width = page.viewport_size["width"]
    brand = page.locator(".navbar-brand").bounding_box()
    assert brand["x"] > width / 2
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading["x"] + heading["width"] > width * 0.9
    assert page.evaluate("getComputedStyle(document.querySelector('td')).direction") == "rtl"

    # the dates are Solar Hijri, with Persian digits, and match the ticket's own date
    ticket = Ticket.objects.filter(requester__username="oda").first()
    row = page.locator("tbody tr", has=page.locator(f"a[href='/tickets/{ticket.pk}/']"))
    created = row.locator(f"td[data-label='{t('fa', 'Created on')}']").inner_text().strip()
    assert SOLAR_HIJRI_DATE.match(created), created
    local = jdatetime.datetime.fromgregorian(datetime=timezone.localtime(ticket.created_at))
    assert created.endswith(
        f"{local.year} {local.hour:02d}:{local.minute:02d}".translate(
            str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
        )
    )


def test_the_persian_date_filter_takes_solar_hijri_dates_and_explains_wrong_ones(open_page):
    page = open_page("fa", user="oda")
    today = jdatetime.date.fromgregorian(date=timezone.localdate())
    page.goto("/tickets/")
    count = page.locator("tbody tr").count()

    box = page.get_by_label(t("fa", "Start date"))
    expect(box).to_have_attribute("type", "text")
    box.fill(f"{today.year}/{today.month}/{today.day}")
    page.get_by_role("button", name=t("fa", "Query"), exact=True).click()
    expect(page.locator("tbody tr")).to_have_count(count)

    box = page.get_by_label(t("fa", "Start date"))
    box.fill("۱۴۰۱/۱۳/۴۰")
    page.get_by_role("button", name=t("fa", "Query"), exact=True).click()
    box = page.get_by_label(t("fa", "Start date"))
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_be_focused()
    expect(page.locator("#id_created_from_error")).to_contain_text("۱۴۰۱/۱۱/۰۸")


def test_the_switcher_changes_the_language_and_the_direction(open_page):
    page = open_page("tr")
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "tr")

    page.get_by_label("Dil").select_option("en")
    page.get_by_role("button", name="Değiştir").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page).to_have_title(
        f"{t('en', 'Sign in')} · {t('en', 'Problem and Support Notification System')}"
    )

    page.get_by_label("Language").select_option("fa")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    page.get_by_label(t("fa", "Language")).select_option("tr")
    page.get_by_role("button", name=t("fa", "Change")).click()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("html")).to_have_attribute("lang", "tr")


@pytest.mark.parametrize("language", ["tr", "fa"])
def test_on_a_phone_the_list_is_cards_and_nothing_scrolls_sideways(open_page, language):
    page = open_page(language, PHONE, user="oda")
    ticket = Ticket.objects.filter(requester__username="oda").exclude(resolved_at=None).first()

    for url in ["/tickets/", "/tickets/new/", ticket.get_absolute_url()]:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
    page.goto("/tickets/")
    first = page.locator("tbody tr").first
    assert page.evaluate("getComputedStyle(document.querySelector('tbody tr')).display") == "block"
    label = page.evaluate(
        "getComputedStyle(document.querySelector('tbody td'), '::before').content"
    )
    assert label == f'"{t(language, "Id")}"'
    box = first.bounding_box()
    assert box["width"] <= PHONE["width"]


@pytest.mark.parametrize("language", ["tr", "en", "ru", "fa"])
def test_a_supervisors_menu_is_one_row_at_1366_px(open_page, language):
    page = open_page(language, viewport={"width": 1366, "height": 768}, user="tesk")
    page.goto("/dashboard/")

    tops = page.locator("#nav .navbar-nav > .nav-item").evaluate_all(
        "items => items.map(item => Math.round(item.getBoundingClientRect().top))"
    )
    assert len(tops) >= 6 and len(set(tops)) == 1, tops
