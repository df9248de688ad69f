"""The request's load of the user: one query, the same queryset reused by every request."""

from django.db.models import F, Value
from django.db.models.functions import Concat

from accounts import loading
from accounts.tests.factories import OrganisationFactory, UserFactory


def test_each_load_gives_its_own_user_with_their_organisation_and_facts(db):
    # given: a chamber under a union, a member of each
    union = OrganisationFactory(name="Bursa Birliği")
    chamber = OrganisationFactory(name="İnegöl Odası", parent=union)
    union_member = UserFactory(username="bursa", organisation=union)
    chamber_member = UserFactory(username="oda", organisation=chamber)

    # when: both are loaded, one after the other, as two requests would
    first = loading.for_request().get(pk=union_member.pk)
    second = loading.for_request().get(pk=chamber_member.pk)

    # then
    assert (first.username, first.organisation.name) == ("bursa", "Bursa Birliği")
    assert (second.username, second.organisation.name) == ("oda", "İnegöl Odası")
    assert loading.fact(first, "organisation_has_children") is True
    assert loading.fact(second, "organisation_has_children") is False


def test_a_fact_registered_after_a_load_is_loaded_by_the_next(db, monkeypatch):
    # given: the process's queryset, built by a load; registrations this test alone sees
    member = UserFactory(username="oda")
    loading.for_request().get(pk=member.pk)
    monkeypatch.setattr(loading, "_facts", dict(loading._facts))
    monkeypatch.setattr(loading, "_built", loading._built)

    # when
    loading.register("greeting", lambda: Concat(Value("hello "), F("username")))
    loaded = loading.for_request().get(pk=member.pk)

    # then
    assert loading.fact(loaded, "greeting") == "hello oda"
    assert loading.fact(loaded, "organisation_has_children") is False
