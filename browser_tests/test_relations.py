"""Merging a duplicate and following a ticket in a real browser, in Turkish and
Persian, on a desktop and a phone."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from categories.models import Category
from tickets import services
from tickets.models import Status, Ticket, TicketKind

from .pages import PHONE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _file(subject, description):
    return services.file_ticket(
        by=User.objects.get(username="oda"),
        category=Category.objects.get(name="Kapasite Raporu"),
        kind=TicketKind.objects.get(code="problem"),
        priority="medium",
        subject=subject,
        description=description,
    ).ticket


@pytest.mark.parametrize(("language", "viewport"), [("tr", None), ("fa", PHONE)])
def test_a_handler_merges_a_duplicate_and_lands_on_the_ticket_that_carries_on(
    open_page, screenshot, language, viewport
):
    target = _file("Prod kodları eksik", "Kapasite raporunda prod kodları yok.")
    duplicate = _file("Prod kodları yine eksik", "Aynı sorun, ikinci kez yazıyorum.")
    page = open_page(language, **({"viewport": viewport} if viewport else {}), user="kapasite")

    page.goto(f"/tickets/{duplicate.pk}/")
    page.locator("#merge summary").click()
    page.locator("#merge-into").fill(f"#{target.pk}")
    page.locator("#merge-form button[type=submit]").click()

    page.wait_for_url(f"**/tickets/{target.pk}/")
    conversation = page.locator("#conversation")
    expect(conversation.get_by_text("Aynı sorun, ikinci kez yazıyorum.")).to_be_visible()
    assert Ticket.objects.get(pk=duplicate.pk).status == Status.CLOSED
    screenshot(page, f"merged-{language}")


def test_a_colleague_of_the_requester_follows_a_ticket(open_page):
    ticket = _file("Belge gelmedi", "Yerli malı belgesi gelmedi.")
    page = open_page("tr", user="oda")

    page.goto(f"/tickets/{ticket.pk}/")
    page.locator(f"form[action='/tickets/{ticket.pk}/follow/'] button").click()

    page.wait_for_url(f"**/tickets/{ticket.pk}/")
    expect(page.locator(f"form[action='/tickets/{ticket.pk}/unfollow/']")).to_be_visible()
    expect(page.locator("#followers")).to_contain_text(
        User.objects.get(username="oda").display_name()
    )
