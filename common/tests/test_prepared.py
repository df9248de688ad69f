"""A query compiled once a process gives, for every id, the rows its queryset gives."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext

from common.prepared import Prepared, statement_text

pytestmark = pytest.mark.django_db


def permissions_of(content_type_id):
    return (
        Permission.objects.filter(content_type_id=content_type_id)
        .select_related("content_type")
        .annotate(model_name=F("content_type__model"))
        .order_by("pk")
    )


def described(rows):
    return [(p.pk, p.codename, p.content_type.app_label, p.model_name) for p in rows]


def test_each_ids_rows_are_its_querysets_rows_with_related_rows_and_annotations():
    prepared = Prepared(permissions_of)
    kinds = list(ContentType.objects.order_by("pk").values_list("pk", flat=True)[:4])
    for kind in kinds + kinds:
        assert described(prepared.rows(kind)) == described(permissions_of(kind))
    assert prepared.rows(0) == []


def test_it_is_built_and_compiled_once(django_assert_num_queries):
    built = []

    def build(first, second):
        built.append((first, second))
        return Permission.objects.filter(content_type_id__in=[first, second]).order_by("pk")

    prepared = Prepared(build)
    kinds = list(ContentType.objects.order_by("pk").values_list("pk", flat=True)[:3])
    for pair in ((kinds[0], kinds[1]), (kinds[1], kinds[2]), (kinds[2], kinds[0])):
        with django_assert_num_queries(1):
            rows = prepared.rows(*pair)
        assert rows == list(Permission.objects.filter(content_type_id__in=pair).order_by("pk"))
    assert len(built) == 1


def test_an_id_the_sql_does_not_carry_is_built_each_time():
    # id + 1 is not the probe: the SQL cannot take another id in its place.
    def build(kind):
        return Permission.objects.filter(content_type_id=kind + 1).order_by("pk")

    prepared = Prepared(build)
    first = ContentType.objects.order_by("pk").values_list("pk", flat=True).first()
    assert prepared.rows(first) == list(build(first))
    assert prepared.rows(first + 1) == list(build(first + 1))


def test_it_prefetches_as_the_queryset_does(django_assert_num_queries):
    prepared = Prepared(
        lambda kind: ContentType.objects.filter(pk=kind).prefetch_related("permission_set")
    )
    kind = (Permission.objects.values("content_type").annotate(n=Count("pk")).filter(n__gt=1)[0])[
        "content_type"
    ]
    with django_assert_num_queries(2):
        (content_type,) = prepared.rows(kind)
        codenames = {p.codename for p in content_type.permission_set.all()}
    assert codenames == set(
        Permission.objects.filter(content_type_id=kind).values_list("codename", flat=True)
    )


def test_forget_builds_again():
    built = []

    def build(kind):
        built.append(kind)
        return Permission.objects.filter(content_type_id=kind)

    prepared = Prepared(build)
    kind = ContentType.objects.values_list("pk", flat=True).first()
    prepared.rows(kind)
    prepared.forget()
    prepared.rows(kind)
    assert len(built) == 2


def test_an_id_no_column_can_hold_finds_nothing():
    prepared = Prepared(permissions_of)
    assert prepared.rows(2**63) == [] and prepared.rows(-(2**70)) == []


# On PostgreSQL, over a connection kept between requests: prepared once, run by name.


def prepared_here() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


@pytest.fixture
def kept_postgresql_connection():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    if connection.settings_dict["CONN_MAX_AGE"] == 0:
        pytest.skip("the connection is not kept between requests here")


def test_on_a_kept_connection_it_is_prepared_once_and_run_by_name(kept_postgresql_connection):
    prepared = Prepared(permissions_of)
    kinds = list(ContentType.objects.order_by("pk").values_list("pk", flat=True)[:3])
    before = prepared_here()
    with CaptureQueriesContext(connection) as queries:
        for kind in kinds:
            assert described(prepared.rows(kind)) == described(permissions_of(kind))
    (name,) = prepared_here() - before
    executed = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("EXECUTE")]
    assert executed == [f"EXECUTE {name}({kind})" for kind in kinds]
    # What a test or a benchmark reads of it: the statement's own text.
    assert statement_text(executed[0], connection).startswith('SELECT "auth_permission"."id"')


@pytest.mark.django_db(transaction=True)
def test_a_new_session_prepares_it_again(kept_postgresql_connection):
    prepared = Prepared(permissions_of)
    kind = ContentType.objects.values_list("pk", flat=True).first()
    expected = described(permissions_of(kind))
    assert described(prepared.rows(kind)) == expected
    connection.close()  # the next query opens a session without the statement

    assert described(prepared.rows(kind)) == expected


def test_a_rolled_back_transaction_keeps_the_statement(kept_postgresql_connection):
    prepared = Prepared(permissions_of)
    kind = ContentType.objects.values_list("pk", flat=True).first()
    with pytest.raises(RuntimeError), transaction.atomic():
        prepared.rows(kind)
        raise RuntimeError("rolled back")

    assert described(prepared.rows(kind)) == described(permissions_of(kind))


@pytest.mark.parametrize(
    "setting", [{"CONN_MAX_AGE": 0}, {"DISABLE_SERVER_SIDE_CURSORS": True}], ids=str
)
def test_a_connection_per_request_or_through_a_pooler_runs_the_sql(
    kept_postgresql_connection, monkeypatch, setting
):
    # A pooler in transaction mode may hand the next transaction another session.
    for key, value in setting.items():
        monkeypatch.setitem(connection.settings_dict, key, value)
    prepared = Prepared(permissions_of)
    kind = ContentType.objects.values_list("pk", flat=True).first()
    before = prepared_here()
    with CaptureQueriesContext(connection) as queries:
        assert described(prepared.rows(kind)) == described(permissions_of(kind))

    assert prepared_here() == before
    assert queries.captured_queries[0]["sql"].startswith("SELECT")
