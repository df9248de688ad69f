"""An erased account keeps its row under a pseudonym, named in the reader's language."""

from django.utils import translation

from accounts.models import erased_username
from accounts.tests.factories import UserFactory


def erased(user):
    user.username = erased_username(user.pk)
    user.first_name = user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    return user


def test_an_erased_account_is_named_by_its_id(db):
    user = erased(UserFactory(first_name="Ayşe", last_name="Yılmaz"))

    with translation.override("en"):
        assert user.is_erased
        assert user.display_name() == f"Erased person #{user.pk}"


def test_a_user_who_chose_an_erased_looking_name_is_not_taken_for_erased(db):
    user = UserFactory()
    user.username = erased_username(user.pk)
    user.save()

    assert not user.is_erased
    assert user.display_name() == f"erased-{user.pk}"


def test_a_closed_account_is_not_taken_for_erased(db):
    user = UserFactory(first_name="Ayşe", last_name="Yılmaz", is_active=False)

    assert not user.is_erased
    assert user.display_name() == "Ayşe Yılmaz"
