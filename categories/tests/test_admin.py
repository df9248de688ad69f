"""The categories' admin flags a category with no team and offers as its team only
staff who can handle tickets."""

import pytest

from accounts.models import Role
from accounts.tests.factories import UserFactory
from categories.tests.factories import CategoryFactory

CHANGELIST = "/admin/categories/category/"


@pytest.fixture
def admin_web(client, db):
    client.force_login(UserFactory(organisation=None, is_staff=True, is_superuser=True))
    return client


def test_the_list_flags_categories_with_no_active_responsible(admin_web, responsible, capacity):
    orphan = CategoryFactory(name="Sahipsiz kategori")
    retired = CategoryFactory(name="Emekli ekip")
    retired.responsibles.add(UserFactory(role=Role.STAFF, is_active=False))

    page = admin_web.get(CHANGELIST, {"team": "none"}, HTTP_ACCEPT_LANGUAGE="en").text

    assert orphan.name in page and retired.name in page
    assert capacity.name not in page


def test_the_list_shows_which_categories_have_a_team(admin_web, responsible, capacity):
    CategoryFactory(name="Sahipsiz kategori")

    response = admin_web.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="en")

    assert "has responsibles" in response.text.lower()
    changelist = response.context["cl"]
    flags = {c.name: c.active_team > 0 for c in changelist.result_list}
    assert flags == {"Kapasite Raporu": True, "Sahipsiz kategori": False}


def test_the_team_picker_offers_only_staff(admin_web, capacity, responsible, member, supervisor):
    response = admin_web.get(f"{CHANGELIST}{capacity.pk}/change/")

    offered = set(response.context["adminform"].form.fields["responsibles"].queryset)
    assert responsible in offered and supervisor in offered
    assert member not in offered
