"""The role keeps only the scope; handling tickets is team membership."""

import importlib

from django.apps import apps as django_apps

from accounts.models import User
from accounts.tests.factories import UserFactory
from categories.selectors import handles_tickets, ticket_handlers
from categories.tests.factories import CategoryFactory


def test_responsibles_keep_their_scope_as_staff_when_the_role_goes(db):
    """The data step of migration 0003, on rows as the old role left them."""
    migration = importlib.import_module("accounts.migrations.0003_role_staff")
    UserFactory(username="kapasite", role="responsible")
    UserFactory(username="oda", role="member")

    migration.responsibles_become_staff(django_apps, schema_editor=None)

    assert dict(User.objects.values_list("username", "role")) == {
        "kapasite": "staff",
        "oda": "member",
    }


def test_the_admins_list_of_handlers_is_the_selectors_answer(db):
    """One rule, in Python and in SQL: they never disagree."""
    category = CategoryFactory()
    on_team = UserFactory(role="staff")
    category.responsibles.add(on_team)
    users = [
        on_team,
        UserFactory(role="staff"),
        UserFactory(role="member"),
        UserFactory(role="supervisor"),
        UserFactory(role="member", is_superuser=True),
        UserFactory(role="supervisor", is_active=False),
    ]

    listed = set(ticket_handlers())

    assert {user for user in users if handles_tickets(user)} == listed & set(users)
    assert listed & set(users) == {on_team, users[3], users[4]}
