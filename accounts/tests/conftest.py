"""Fixtures for accounts: registrations, reviewers, a clean rate-limit cache."""

import pytest
from django.core.cache import cache

from accounts import services
from accounts.models import OrganisationKind, RegistrationRequest
from accounts.tests.factories import OrganisationFactory, UserFactory

PASSWORD = "Kestane-şekeri-42"


@pytest.fixture(autouse=True)
def _empty_cache(django_db_setup, django_db_blocker):
    # Rate limits count in the cache (a table of the test database, or Redis); each test
    # starts from zero, whether or not it uses the database itself.
    with django_db_blocker.unblock():
        cache.clear()
    yield
    with django_db_blocker.unblock():
        cache.clear()


@pytest.fixture
def reviewer(db):
    """`admin`: the superuser who decides applications."""
    return UserFactory(
        username="admin",
        email="admin@example.org",
        organisation=None,
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def admin_web(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def registration_data(inegol_chamber):
    """What a new member of the İnegöl chamber types in the form."""
    return {
        "username": "yeni",
        "first_name": "Ayşe",
        "last_name": "Yılmaz",
        "email": "ayse@example.org",
        "phone": "0224 713 45 67",
        "organisation": str(inegol_chamber.pk),
        "password1": PASSWORD,
        "password2": PASSWORD,
    }


@pytest.fixture
def proposal_data(registration_data, bursa_union):
    """The same applicant, whose chamber is not in the directory."""
    return {
        **registration_data,
        "organisation": "",
        "new_organisation": "on",
        "organisation_name": "Gemlik Kahveciler Odası",
        "organisation_kind": OrganisationKind.CHAMBER,
        "organisation_tax_scheme": "tr",
        "organisation_tax_number": "4540536920",
        "organisation_parent": str(bursa_union.pk),
    }


@pytest.fixture
def pending(inegol_chamber) -> RegistrationRequest:
    """An application for the İnegöl chamber, waiting for approval."""
    return services.register(
        username="yeni",
        email="ayse@example.org",
        password=PASSWORD,
        first_name="Ayşe",
        organisation=inegol_chamber,
        language="en",
    )


@pytest.fixture
def pending_proposal(bursa_union) -> RegistrationRequest:
    return services.register(
        username="gemlik",
        email="gemlik@example.org",
        password=PASSWORD,
        proposal=services.ProposedOrganisation(
            name="Gemlik Kahveciler Odası",
            kind=OrganisationKind.CHAMBER,
            tax_scheme="tr",
            tax_number="4540536920",
            parent=bursa_union,
        ),
    )


@pytest.fixture
def another_organisation(tesk):
    return OrganisationFactory(name="Başka Oda", parent=tesk)
