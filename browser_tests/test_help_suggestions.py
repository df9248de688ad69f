"""The new-ticket form answers from the knowledge base while the member types."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from kb.models import View

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def articles(site):
    call_command("seed_kb", force=True, stdout=io.StringIO())


def test_a_clerk_typing_the_subject_finds_the_article_and_not_filing_counts(open_page, articles):
    page = open_page("tr", user="oda")
    page.goto("/tickets/new/")

    page.locator("#id_subject").press_sequentially("kapasite raporu prod kodu", delay=20)

    suggestion = page.locator("#kb-suggestions li a").first
    expect(suggestion).to_have_text("Kapasite raporunda prod kodu nasıl girilir?")
    with page.context.expect_page() as opened:
        suggestion.click()
    article = opened.value
    expect(article.locator("h1")).to_have_text("Kapasite raporunda prod kodu nasıl girilir?")
    # The clerk read the answer and filed nothing: a deflection.
    assert View.objects.filter(user__username="oda", from_suggestion=True, filed=False).count() == 1


def test_without_a_subject_typed_no_article_is_offered(open_page, articles):
    page = open_page("fa", user="oda")
    page.goto("/tickets/new/")
    page.locator("#id_subject").press_sequentially("zzqx", delay=20)
    page.wait_for_timeout(800)
    expect(page.locator("#kb-suggestions ul")).to_be_hidden()
