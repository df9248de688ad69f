"""Deployment profiles: each shape seeded side by side, seeing only its own tickets."""

import pytest
from django.core.management import call_command

from accounts.models import User
from categories.models import Category
from tickets.models import ParentRecord, Ticket, TicketKind

PROFILE_USERS = {
    "tesk": ["tesk", "oda", "bursa", "birlik", "muhendis", "musavir", "kapasite", "teknik"],
    "agency": ["fa_expert", "fa_reviewer", "fa_unit"],
    "vendor": ["ru_line1", "ru_line2", "ru_client", "ru_nocontract"],
    "portal": ["portal_customer", "portal_agent"],
}


def seed(*profiles):
    for profile in profiles:
        call_command("seed_demo", "--profile", profile, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def all_profiles(db, settings):
    settings.DEBUG = True
    seed("tesk", "agency", "vendor", "portal")


@pytest.mark.parametrize("profile", ["agency", "vendor", "portal"])
def test_a_profile_seeded_twice_creates_nothing_twice(db, settings, profile):
    settings.DEBUG = True
    seed(profile)
    counts = [Ticket.objects.count(), User.objects.count(), ParentRecord.objects.count()]

    seed(profile)

    assert [Ticket.objects.count(), User.objects.count(), ParentRecord.objects.count()] == counts
    assert User.objects.filter(username__in=PROFILE_USERS[profile]).count() == len(
        PROFILE_USERS[profile]
    )
    assert Ticket.objects.count() >= 1


def test_the_profile_users_share_the_demo_password(all_profiles):
    for users in PROFILE_USERS.values():
        for username in users:
            assert User.objects.get(username=username).check_password("demo12345")


def test_a_profiles_tickets_are_invisible_to_the_other_profiles_users(all_profiles):
    # given each profile's tickets, by the profile its requester belongs to
    owner = {username: profile for profile, users in PROFILE_USERS.items() for username in users}
    mine = {profile: set() for profile in PROFILE_USERS}
    for ticket in Ticket.objects.select_related("requester"):
        mine[owner[ticket.requester.username]].add(ticket.pk)
    assert all(mine.values())

    for profile, users in PROFILE_USERS.items():
        for username in users:
            user = User.objects.get(username=username)
            if user.is_supervisor:
                continue  # TESK's global scope (see the README)
            seen = set(Ticket.objects.visible_to(user).values_list("pk", flat=True))
            assert seen <= mine[profile], username


def allowed_kinds(organisation) -> list[str]:
    """The codes of the kinds `organisation` may file, as the form offers them."""
    from tickets import configuration, filing

    offered = filing.offered(configuration.current().active_kinds(), organisation)
    return sorted(kind.code for kind in filing.allowed_among(offered, organisation))


def test_each_profile_offers_its_own_units_and_kinds(all_profiles):
    from tickets import filing

    expert = User.objects.get(username="fa_expert")
    member = User.objects.get(username="oda")

    assert allowed_kinds(expert.organisation) == [
        "extension",
        "inquiry",
        "non_cooperation",
        "support",
    ]
    assert allowed_kinds(member.organisation) == ["problem", "suggestion"]
    units = filing.scoped(Category.objects.all(), expert.organisation)
    assert all(name.startswith("واحد") for name in units.values_list("name", flat=True))
    assert not filing.scoped(Category.objects.all(), member.organisation).filter(
        name__startswith="واحد"
    )


def test_the_portal_files_with_the_tesk_kinds(all_profiles):
    customer = User.objects.get(username="portal_customer")

    codes = allowed_kinds(customer.organisation)

    assert codes == sorted(TicketKind.objects.filter(scope=None).values_list("code", flat=True))
