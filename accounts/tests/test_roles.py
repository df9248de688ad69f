"""The role keeps only the scope; handling tickets is team membership."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.tests.factories import UserFactory
from categories.selectors import handles_tickets, ticket_handlers
from categories.tests.factories import CategoryFactory

BEFORE, AFTER = [("accounts", "0002_directory_and_registration")], [("accounts", "0003_role_staff")]


@pytest.mark.django_db(transaction=True)
def test_responsibles_keep_their_scope_as_staff_when_the_role_goes():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("accounts", "User")
    old.objects.create(username="kapasite", role="responsible")
    old.objects.create(username="oda", role="member")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    new = executor.loader.project_state(AFTER).apps.get_model("accounts", "User")
    assert dict(new.objects.values_list("username", "role")) == {
        "kapasite": "staff",
        "oda": "member",
    }
    executor.migrate(executor.loader.graph.leaf_nodes())


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
