"""A query compiled once a process gives, for every id, the rows its queryset gives."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F

from common.prepared import Prepared

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
