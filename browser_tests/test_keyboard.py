"""Filing a ticket with the keyboard alone: Tab to move, Enter to follow and submit,
letters to type; every stop shows where the focus is."""

import re

import pytest
from playwright.sync_api import expect

from tickets.models import Status, Ticket

from .pages import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FOCUS_IS_VISIBLE = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
        && box.width > 1 && box.height > 1;
}"""


def tab_to(page, selector, *, backwards=False, limit=60):
    """Press Tab (or Shift+Tab) until `selector` has the focus, checking at each stop that
    the focus can be seen."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        assert page.evaluate(FOCUS_IS_VISIBLE), page.evaluate("document.activeElement.outerHTML")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus")


def test_a_member_files_a_ticket_with_the_keyboard_alone(open_page):
    page = open_page("tr")
    page.goto("/accounts/login/")

    # sign in: the name field has the focus
    expect(page.locator("#id_username")).to_be_focused()
    page.keyboard.type("oda")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/tickets/")

    # the first Tab shows the skip link; it leads to the content
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="İçeriğe geç")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))  # waits: the jump is not instant

    # to the form
    tab_to(page, "main a[href='/tickets/new/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/tickets/new/")

    # fill it: the subject has the focus; the category comes first in the form
    expect(page.locator("#id_subject")).to_be_focused()
    tab_to(page, "#id_category", backwards=True)
    page.keyboard.type("Kapasite")
    expect(page.locator("#id_category option:checked")).to_have_text("Kapasite Raporu")
    tab_to(page, "#id_subject")
    page.keyboard.type("Klavyeyle açılan kayıt")
    tab_to(page, "#id_description")
    page.keyboard.type("Fare kullanmadan.")
    tab_to(page, "main form button[type=submit]:not([name])")
    page.keyboard.press("Enter")

    # the documents step: Tab to "Tamam" and press Enter
    page.wait_for_url("**/documents/")
    tab_to(page, "main a.btn-primary")
    expect(page.locator(":focus")).to_have_text("Tamam")
    page.keyboard.press("Enter")
    ticket = Ticket.objects.get(subject="Klavyeyle açılan kayıt")
    page.wait_for_url(f"**/tickets/{ticket.pk}/")
    assert ticket.category.name == "Kapasite Raporu"
    assert ticket.status == Status.WAITING
