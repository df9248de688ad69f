import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from accounts.models import Organisation
from accounts.phones import national
from accounts.tests.factories import OrganisationFactory, UserFactory


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


# The directory's rules: names compared blind to case and the Turkish i's,
# tax numbers checked and unique, phones in E.164.


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def a_new(name="Yeni Oda", **fields) -> Organisation:
    return Organisation(name=name, kind="chamber", **fields)


@pytest.mark.parametrize(
    "name", ["İNEGÖL MARANGOZLAR ODASI", "inegöl marangozlar odası", "Inegol  Marangozlar Odasi"]
)
def test_names_are_one_organisation_whatever_the_case_and_the_turkish_i(inegol_chamber, name):
    with pytest.raises(ValidationError) as refused:
        a_new(name, parent=inegol_chamber.parent).full_clean(exclude=Organisation.COMPUTED_FIELDS)

    assert refused.value.message_dict["name"] == [
        f"This organisation is already in the directory: “İnegöl Marangozlar Odası” "
        f"(no. {inegol_chamber.pk})."
    ]


def test_the_database_refuses_a_duplicate_name_too(inegol_chamber):
    with pytest.raises(IntegrityError), transaction.atomic():
        a_new("İNEGÖL MARANGOZLAR ODASI").save()


def test_renaming_an_organisation_to_its_own_name_is_fine(inegol_chamber):
    inegol_chamber.name = "İNEGÖL MARANGOZLAR ODASI"

    inegol_chamber.full_clean(exclude=Organisation.COMPUTED_FIELDS)


@pytest.mark.parametrize(
    "scheme, typed, stored",
    [
        ("tr", "454 053 6920", "4540536920"),  # VKN
        ("tr", "172.917.160-60", "17291716060"),  # T.C. identity number
        ("ru", "7702070139", "7702070139"),  # INN of a company
        ("ru", "500100732259", "500100732259"),  # INN of a person
        # Published examples of the Iranian check digits (persian-tools' README and docs).
        ("ir", "049-937089-9", "0499370899"),  # a person's national code
        ("ir", "0790419904", "0790419904"),
        ("ir", "0084575948", "0084575948"),
        ("ir", "10380284790", "10380284790"),  # a legal entity's national id
    ],
)
def test_valid_tax_numbers_are_stored_compact(db, scheme, typed, stored):
    organisation = a_new(tax_scheme=scheme, tax_number=typed)

    organisation.full_clean(exclude=Organisation.COMPUTED_FIELDS)

    assert organisation.tax_number == stored


@pytest.mark.parametrize(
    "scheme, number",
    [
        ("tr", "4540536921"),
        ("tr", "17291716061"),
        ("tr", "12345"),
        ("ru", "7702070138"),
        ("ir", "12345"),
        ("ir", "1111111111"),
        ("ir", "0684159415"),  # a wrong check digit
        ("ir", "0012345678"),  # the right shape, a wrong check digit
        ("ir", "0499370898"),
        ("ir", "10380284791"),
    ],
)
def test_bad_tax_numbers_are_refused(db, scheme, number):
    with pytest.raises(ValidationError) as refused:
        a_new(tax_scheme=scheme, tax_number=number).full_clean(exclude=Organisation.COMPUTED_FIELDS)

    assert list(refused.value.message_dict) == ["tax_number"]


def test_a_duplicate_tax_number_points_to_the_existing_record(tesk):
    holder = OrganisationFactory(name="Vergi Sahibi", tax_number="4540536920")

    with pytest.raises(ValidationError) as refused:
        a_new(tax_number="4540 5369 20").full_clean(exclude=Organisation.COMPUTED_FIELDS)

    assert refused.value.message_dict["tax_number"] == [
        f"This tax number belongs to “Vergi Sahibi” (no. {holder.pk}), already in the directory."
    ]


def test_many_organisations_may_have_no_tax_number(db):
    for name in ["Bir", "İki", "Üç"]:
        a_new(name).full_clean(exclude=Organisation.COMPUTED_FIELDS)
        a_new(name).save()

    assert Organisation.objects.filter(tax_number="").count() == 3


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("0224 713 45 67", "+902247134567"),
        ("+90 (532) 123-45-67", "+905321234567"),
        ("+7 495 123-45-67", "+74951234567"),
    ],
)
def test_phones_are_stored_in_e164(db, typed, stored):
    organisation = a_new(phone=typed)

    organisation.full_clean(exclude=Organisation.COMPUTED_FIELDS)

    assert organisation.phone == stored


def test_phones_are_shown_in_the_national_format():
    assert national("+902247134567") == "(0224) 713 45 67"
    assert national("+905321234567") == "0532 123 45 67"
    assert national("+74951234567") == "+7 495 123-45-67"


def test_a_malformed_phone_is_refused(db):
    with pytest.raises(ValidationError) as refused:
        a_new(phone="0224 12").full_clean(exclude=Organisation.COMPUTED_FIELDS)

    assert list(refused.value.message_dict) == ["phone"]


def test_an_organisation_cannot_be_put_under_its_own_subtree_in_a_form(inegol_chamber):
    bursa = inegol_chamber.parent
    bursa.parent = inegol_chamber

    with pytest.raises(ValidationError) as refused:
        bursa.full_clean(exclude=Organisation.COMPUTED_FIELDS)

    assert list(refused.value.message_dict) == ["parent"]


def test_the_admin_refuses_a_duplicate_with_a_pointer(client, reviewer, inegol_chamber):
    client.force_login(reviewer)

    response = client.post(
        "/admin/accounts/organisation/add/",
        {"name": "İNEGÖL MARANGOZLAR ODASI", "kind": "chamber", "tax_scheme": "tr"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert f"(no. {inegol_chamber.pk})" in response.content.decode()
    assert Organisation.objects.filter(name_key="inegol marangozlar odasi").count() == 1


def test_the_admin_finds_an_organisation_ignoring_the_turkish_i(client, reviewer, inegol_chamber):
    client.force_login(reviewer)

    response = client.get("/admin/accounts/organisation/", {"q": "INEGOL"})

    assert list(response.context["cl"].result_list) == [inegol_chamber]


def test_the_admin_puts_a_user_on_category_teams(client, reviewer, member, capacity, technical):
    client.force_login(reviewer)
    url = f"/admin/accounts/user/{member.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "organisation": member.organisation_id,
            "groups": [],
            "user_permissions": [],
            "team_categories": [capacity.pk, technical.pk],
            "role": "staff",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "last_login_0": "",
            "last_login_1": "",
            "muted_topics": "[]",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(member.team_categories.all()) == {capacity, technical}


def test_the_admin_lists_who_handles_tickets(client, member, responsible, supervisor):
    admin_user = UserFactory(username="root", organisation=None, is_staff=True, is_superuser=True)
    client.force_login(admin_user)

    handlers = client.get("/admin/accounts/user/", {"handles_tickets": "yes"}).context["cl"]
    others = client.get("/admin/accounts/user/", {"handles_tickets": "no"}).context["cl"]

    assert {user.username for user in handlers.result_list} == {"kapasite", "tesk", "root"}
    assert {user.username for user in others.result_list} == {"oda"}
