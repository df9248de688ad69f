import pytest

from accounts.models import Organisation
from tickets.tests.factories import OrganisationFactory


def test_the_path_holds_the_ids_from_the_root(inegol_chamber, bursa_union, tesk):
    assert inegol_chamber.path == f"{tesk.pk}/{bursa_union.pk}/{inegol_chamber.pk}/"


def test_a_subtree_is_the_organisation_and_everything_below(tesk, inegol_chamber, ankara_union):
    bursa = inegol_chamber.parent

    assert set(bursa.subtree()) == {bursa, inegol_chamber}
    assert set(tesk.subtree()) == {tesk, bursa, inegol_chamber, ankara_union}


def test_moving_an_organisation_moves_its_descendants(inegol_chamber, ankara_union):
    bursa = inegol_chamber.parent
    workshop = OrganisationFactory(name="Atölye", parent=inegol_chamber)

    bursa.parent = ankara_union
    bursa.save()

    workshop.refresh_from_db()
    assert workshop.path == f"{ankara_union.path}{bursa.pk}/{inegol_chamber.pk}/{workshop.pk}/"


def test_an_organisation_cannot_move_under_its_own_subtree(inegol_chamber):
    bursa = inegol_chamber.parent
    bursa.parent = inegol_chamber

    with pytest.raises(ValueError):
        bursa.save()
    bursa.refresh_from_db()
    assert Organisation.objects.get(pk=inegol_chamber.pk).path.startswith(bursa.path)
