"""The list's views with their counts, bulk assign, and every column in sight at the
widths of common laptops in the four languages."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from categories.models import Category
from tickets import services
from tickets.models import Priority, Ticket, TicketKind

from .pages import PHONE, t

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_each_view_lists_as_many_tickets_as_its_count_says(open_page):
    page = open_page("tr", user="kapasite")
    page.goto("/tickets/")

    views = page.locator(".worklists a[data-view]")
    names = [views.nth(i).get_attribute("data-view") for i in range(views.count())]
    assert names == [
        "mine",
        "unassigned",
        "waiting_member",
        "updated",
        "open",
        "overdue",
        "due_today",
    ]
    for name in names:
        link = page.locator(f".worklists a[data-view='{name}']")
        count = int(link.locator(".worklist-count").inner_text())
        link.click()
        expect(page.locator(f".worklists a[data-view='{name}']")).to_have_attribute(
            "aria-current", "page"
        )
        expect(page.locator("tbody tr")).to_have_count(count)


def test_a_phone_opens_the_views_from_a_menu(open_page):
    page = open_page("fa", viewport=PHONE, user="oda")
    page.goto("/tickets/")

    view = page.locator(".worklists a[data-view='open']")
    expect(view).to_be_hidden()
    page.get_by_role("button", name=t("fa", "Views")).click()
    expect(view).to_be_visible()
    # Opened, not still opening: a link clicked while the menu grows may be missed.
    expect(page.locator("#worklists-menu")).to_have_class(re.compile(r"\bshow\b"))
    view.click()
    expect(page).to_have_url(re.compile(r"view=open"))


def test_a_handler_assigns_two_tickets_to_themselves_at_once(open_page):
    oda = User.objects.get(username="oda")
    category = Category.objects.get(name="Kapasite Raporu")
    for subject in ("Toplu 1", "Toplu 2"):
        services.file_ticket(
            by=oda,
            category=category,
            kind=TicketKind.objects.get(code="problem"),
            priority=Priority.MEDIUM,
            subject=subject,
            description="Bulk.",
        )
    page = open_page("tr", user="kapasite")
    page.goto("/tickets/?view=unassigned")
    rows = page.locator("tbody tr")
    expect(rows.nth(1)).to_be_visible()
    picked = [int(rows.nth(i).locator("input[name='ids']").get_attribute("value")) for i in (0, 1)]

    for i in (0, 1):
        rows.nth(i).locator("input[name='ids']").check()
    page.locator("#bulk-action").select_option("assign")
    expect(page.locator("#bulk-priority")).to_be_hidden()
    page.locator("#bulk-assignee").select_option("me")
    page.get_by_role("button", name=t("tr", "Apply to the ticked tickets")).click()

    expect(page.locator(".alert-success")).to_contain_text(f"#{picked[0]}")
    me = User.objects.get(username="kapasite")
    assert set(Ticket.objects.filter(pk__in=picked).values_list("assignee", flat=True)) == {me.pk}


@pytest.mark.parametrize("width", [1366, 1280])
@pytest.mark.parametrize("language", ["tr", "en", "ru", "fa"])
def test_no_column_of_the_list_is_cut(open_page, screenshot, language, width):
    page = open_page(language, viewport={"width": width, "height": 800}, user="tesk")
    page.goto("/tickets/?view=open")

    expect(page.locator("tbody tr").first).to_be_visible()
    screenshot(page, f"list-{language}-{width}")
    box = page.locator(".ticket-list").bounding_box()
    # The table fits its card: nothing to scroll sideways, nothing hidden.
    assert page.evaluate(
        "() => { const c = document.querySelector('.ticket-list');"
        " return c.scrollWidth <= c.clientWidth + 1; }"
    ), f"the list scrolls sideways at {width} px in {language}"
    headers = page.locator("thead th")
    for i in range(headers.count()):
        cell = headers.nth(i).bounding_box()
        assert cell["x"] >= box["x"] - 1, headers.nth(i).inner_text()
        assert cell["x"] + cell["width"] <= box["x"] + box["width"] + 1, headers.nth(i).inner_text()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls"
    status = page.locator("tbody tr").first.locator("td").last
    expect(status.locator(".badge")).to_be_visible()
