"""The survey link's token: the survey's id and key, signed and dated by Django's signer.

Nothing is stored about a link beyond the survey's key: a forged token fails the
signature, an old one the age, and one naming a survey with another key the key.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing

SALT = "satisfaction.survey"


class Invalid(Exception):
    """Forged, damaged, or naming no survey."""


class Expired(Exception):
    """Signed by us, but older than the survey's validity."""


def validity() -> timedelta:
    return timedelta(days=settings.HELPDESK_SURVEY_DAYS)


def make(survey) -> str:
    return signing.dumps([survey.pk, survey.key], salt=SALT)


def read(token: str) -> tuple[int, str]:
    """The survey id and key in `token`; raises Invalid or Expired."""
    try:
        survey_id, key = signing.loads(token, salt=SALT, max_age=validity())
    except signing.SignatureExpired:
        raise Expired from None
    except (signing.BadSignature, ValueError, TypeError):
        raise Invalid from None
    if not isinstance(survey_id, int) or not isinstance(key, str):
        raise Invalid
    return survey_id, key
