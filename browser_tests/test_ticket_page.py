"""The ticket's page in a browser: the conversation and what the member must answer on
the first screen of a phone, the handler's keyboard shortcuts, a canned reply picked."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from canned.models import Action, CannedReply
from categories.models import Category
from tickets import services
from tickets.models import EventKind, Priority, Status, Ticket, TicketKind

from .pages import PHONE, t

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def file(subject, *, description="Prod kodları eksik."):
    return services.file_ticket(
        by=User.objects.get(username="oda"),
        category=Category.objects.get(name="Kapasite Raporu"),
        kind=TicketKind.objects.get(code="problem"),
        priority=Priority.MEDIUM,
        subject=subject,
        description=description,
    ).ticket


def test_on_a_phone_the_member_answers_the_information_request_from_the_first_screen(
    open_page,
):
    # given: kapasite answered once, noted something internal, then asked for information
    ticket = file("Kapasite raporu onayı")
    kapasite = User.objects.get(username="kapasite")
    services.reply(ticket, by=kapasite, body="Inceliyoruz.")
    services.reply(ticket, by=kapasite, body="Odayı arayalım.", internal=True)
    services.request_info(ticket, by=kapasite, body="Oda sicil numaranız nedir?")

    # when: oda opens it on a phone
    page = open_page("tr", PHONE, user="oda")
    page.goto(ticket.get_absolute_url())

    # then: the question and its answer form are on the first screen
    awaited = page.locator("section.awaited")
    expect(awaited).to_contain_text("Oda sicil numaranız nedir?")
    expect(awaited).to_be_in_viewport()
    expect(awaited.get_by_label(t("tr", "Message"))).to_be_in_viewport()
    # the conversation has the public messages, not the note; the log is folded
    conversation = page.locator("#conversation")
    expect(conversation).to_contain_text("Prod kodları eksik.")
    expect(conversation).to_contain_text("Inceliyoruz.")
    expect(conversation).not_to_contain_text("Odayı arayalım.")
    expect(page.locator("details.action-log")).not_to_have_attribute("open", "")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    awaited.get_by_label(t("tr", "Message")).fill("Sicil no 4711.")
    awaited.get_by_role("button", name=t("tr", "Send")).click()
    expect(page.locator(".alert-success")).to_contain_text(t("tr", "Your message was added."))
    expect(page.locator("section.awaited")).to_have_count(0)
    expect(page.locator("#conversation")).to_contain_text("Sicil no 4711.")
    assert Ticket.objects.get(pk=ticket.pk).status == Status.IN_PROGRESS

    # newest first, and it stays so on the next visit
    page.get_by_role("link", name=t("tr", "Newest first")).click()
    page.goto(ticket.get_absolute_url())
    first = page.locator("#conversation .conversation-item").first
    expect(first).to_contain_text("Sicil no 4711.")


def test_a_handler_works_through_the_list_with_the_keyboard(open_page):
    first, second = file("Birinci kayıt"), file("İkinci kayıt")
    page = open_page("en", user="kapasite")
    page.goto("/tickets/?sort=id")
    page.get_by_role("link", name="Birinci kayıt").click()
    page.wait_for_url(re.compile(rf"/tickets/{first.pk}/\?list=sort%3Did$"))

    # ? lists the shortcuts in a dialog; Escape closes it
    page.keyboard.press("Shift+?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Assign to me")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # r: the reply's text field; a letter typed there is text, not a shortcut
    page.keyboard.press("r")
    body = page.locator("#reply-form textarea[name='body']")
    expect(body).to_be_focused()
    page.keyboard.type("jak")
    expect(body).to_have_value("jak")
    assert page.url.endswith(f"/tickets/{first.pk}/?list=sort%3Did")

    # n: the same field as an internal note; s: the resolution's explanation
    page.locator("h1").click()
    page.keyboard.press("n")
    expect(body).to_be_focused()
    expect(page.locator("#reply-form input[name='internal']")).to_be_checked()
    page.locator("h1").click()
    page.keyboard.press("s")
    expect(page.locator("#resolve-form textarea[name='explanation']")).to_be_focused()

    # a: assigned to me at once
    page.locator("h1").click()
    page.keyboard.press("a")
    expect(page.locator(".alert-success")).to_contain_text("The ticket was assigned.")
    assert Ticket.objects.get(pk=first.pk).assignee.username == "kapasite"

    # j: the next ticket of this list, in its order; k: back
    page.keyboard.press("j")
    page.wait_for_url(re.compile(rf"/tickets/{second.pk}/\?list=sort%3Did$"))
    page.keyboard.press("k")
    page.wait_for_url(re.compile(rf"/tickets/{first.pk}/\?list=sort%3Did$"))


def test_a_canned_reply_picked_fills_the_form_that_sets_its_status(open_page):
    ticket = file("Eksik belge")
    CannedReply.objects.create(
        title="Sicil numarası",
        category=Category.objects.get(name="Kapasite Raporu"),
        language="tr",
        action=Action.REQUEST_INFO,
        body="Sayın {requester}, {ticket} için oda sicil numaranızı yazar mısınız?",
    )
    page = open_page("tr", user="kapasite")
    page.goto(ticket.get_absolute_url())

    picker = page.get_by_label(t("tr", "Canned replies"))
    option = picker.locator("option", has_text="Sicil numarası")
    picker.select_option(option.get_attribute("value"))

    requester = ticket.requester.display_name()
    text = f"Sayın {requester}, #{ticket.pk} için oda sicil numaranızı yazar mısınız?"
    field = page.locator("#request-info-form textarea[name='body']")
    expect(field).to_have_value(text)
    expect(field).to_be_focused()
    page.locator("#request-info-form").get_by_role("button").click()
    expect(page.locator(".alert-success")).to_contain_text(t("tr", "Information was requested."))
    ticket.refresh_from_db()
    assert ticket.status == Status.INFO_REQUESTED
    assert ticket.events.get(kind=EventKind.INFO_REQUESTED).note == text


def test_the_new_parts_pass_axe(open_page):
    from .test_accessibility import report, serious_violations

    ticket = file("Erişilebilirlik")
    kapasite = User.objects.get(username="kapasite")
    services.reply(ticket, by=kapasite, body=f"Bkz. #{ticket.pk}.", internal=True)
    services.request_info(ticket, by=kapasite, body="Sicil numarası?")
    CannedReply.objects.create(title="Selam", language="tr", body="Merhaba {requester}")
    found = {}

    page = open_page("fa", user="kapasite")
    page.goto(ticket.get_absolute_url())
    expect(page.locator("#canned-select")).to_be_visible()
    found["handler"] = serious_violations(page)
    page.keyboard.press("Shift+?")
    found["shortcuts"] = serious_violations(page)
    for url in ["/canned/", "/canned/new/", f"/canned/ticket/{ticket.pk}/pick/"]:
        page.goto(url)
        found[url] = serious_violations(page)
    page = open_page("tr", PHONE, user="oda")
    page.goto(ticket.get_absolute_url())
    found["member, phone"] = serious_violations(page)

    assert {where: v for where, v in found.items() if v} == {}, report(found)
