"""Every table of every scope is the same whether the kept counts and a fresh snapshot
answer it or the tickets are counted directly: the scopes say rightly which tickets
they are all of."""

import dataclasses

import pytest

from dashboard import figures, snapshots
from dashboard.scope import scope_for
from dashboard.tables import TABLES

from .test_snapshots import _answered


@pytest.fixture
def desk(file, responsible, aged, other_union_member, technical, member):
    _answered(file, responsible, aged)
    _answered(file, responsible, aged, by=other_union_member, hours=(3, 5))
    file(category=technical, subject="Teknik")
    file(by=other_union_member, subject="Açık")
    snapshots.refresh()


@pytest.mark.parametrize(
    ("role", "params"),
    [
        ("supervisor", {}),
        ("supervisor", {"category": "capacity"}),
        ("supervisor", {"organisation": "union"}),
        ("responsible", {}),
        ("member", {}),
        ("union_member", {}),
        ("chamber_colleague", {"category": "technical"}),
    ],
)
def test_kept_and_counted_tables_agree(
    desk, request, role, params, capacity, technical, union_member
):
    values = {
        "capacity": capacity.pk,
        "technical": technical.pk,
        "union": union_member.organisation_id,
    }
    user = request.getfixturevalue(role)
    scope = scope_for(user, {key: values[value] for key, value in params.items()})
    counted = dataclasses.replace(scope, exact=False)
    since = figures.period_start()
    for slug, build in TABLES.items():
        kept, direct = build(scope, since), build(counted, since)
        assert (kept and kept.rows) == (direct and direct.rows), slug


def test_a_member_and_a_supervisor_filtering_are_exact_scopes(
    member, supervisor, responsible, union_member
):
    assert scope_for(member, {}).organisations == {member.organisation_id}
    filtered = scope_for(supervisor, {"organisation": str(union_member.organisation_id)})
    assert filtered.exact and member.organisation_id in filtered.organisations
    assert scope_for(responsible, {}).exact and scope_for(responsible, {}).organisations is None
