"""The request's load of the user: one query, the same queryset (and its SQL) reused by
every request."""

from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from accounts import loading
from accounts.tests.factories import OrganisationFactory, UserFactory
from common.prepared import Prepared


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

    monkeypatch.setattr(loading, "_prepared", Prepared(loading._prepared.build))
    loading.load(member.pk)

    # when
    loading.register("greeting", lambda: Concat(Value("hello "), F("username")))
    loaded = loading.for_request().get(pk=member.pk)
    prepared = loading.load(member.pk)

    # then
    for user in (loaded, prepared):
        assert loading.fact(user, "greeting") == "hello oda"
        assert loading.fact(user, "organisation_has_children") is False


def test_the_prepared_load_gives_what_the_queryset_gives_in_one_query(db):
    # given: a union member, a chamber member, and someone of no organisation
    union = OrganisationFactory(name="Bursa Birliği")
    chamber = OrganisationFactory(name="İnegöl Odası", parent=union)
    users = [
        UserFactory(username="bursa", organisation=union),
        UserFactory(username="oda", organisation=chamber, phone="+905551112233"),
        UserFactory(username="nobody", organisation=None),
    ]

    for user in users:
        expected = loading.for_request().get(pk=user.pk)

        # when
        with CaptureQueriesContext(connection) as queries:
            loaded = loading.load(str(user.pk))  # as a session keeps it
            organisation = loaded.organisation

        # then: every field, the organisation and every fact, read in one query
        assert len(queries) == 1
        assert model_to_dict(loaded) == model_to_dict(expected)
        assert loaded.pk == user.pk and not loaded._state.adding
        assert organisation == expected.organisation
        assert organisation is None or organisation.name == expected.organisation.name
        facts = [name for name in vars(expected) if name.startswith("fact_")]
        assert facts and all(getattr(loaded, name) == getattr(expected, name) for name in facts)


def test_the_prepared_load_of_a_user_who_is_gone_is_none(db):
    member = UserFactory(username="oda")
    member_id = member.pk
    member.delete()

    assert loading.load(member_id) is None
