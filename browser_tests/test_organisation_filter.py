"""The list's organisation field suggests names as one types and filters by the one
chosen."""

import pytest
from playwright.sync_api import expect

from accounts.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_supervisor_types_part_of_a_name_and_picks_it(open_page):
    page = open_page("tr", user="tesk")
    page.goto("/tickets/")

    page.locator("#id_organisation").press_sequentially("inegöl", delay=30)

    name = Organisation.objects.get(name__startswith="İnegöl").name
    option = page.locator("#organisation-suggestions option")
    expect(option).to_have_count(1)
    expect(option).to_have_attribute("value", name)
    page.locator("#id_organisation").fill(name)
    page.locator("#id_organisation").press("Enter")
    page.wait_for_url("**/tickets/?*organisation=*")
    rows = page.locator("main table tbody tr")
    expect(rows.first).to_be_visible()
    for text in rows.all_inner_texts():
        assert name in text
