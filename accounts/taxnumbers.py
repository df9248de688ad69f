"""Tax numbers, checked with python-stdnum and stored compact (digits only).

Turkey: a company's VKN has 10 digits, a person's T.C. identity number 11 (a
self-employed engineer or accountant is taxed under it). Russia: the INN.
Iran: python-stdnum 2.2 has no Iranian module, so only the shape is checked
(10 digits for a person's national code, 11 for a legal entity's national id).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ru import inn
from stdnum.tr import tckimlik, vkn
from stdnum.util import clean


class TaxScheme(models.TextChoices):
    TR = "tr", _("Turkey: tax number (VKN) or T.C. identity number")
    RU = "ru", _("Russia: INN")
    IR = "ir", _("Iran: national id")


MESSAGES = {
    TaxScheme.TR: _("Enter a valid Turkish tax number (10 digits) or T.C. identity number (11)."),
    TaxScheme.RU: _("Enter a valid Russian INN (10 or 12 digits)."),
    TaxScheme.IR: _("Enter a valid Iranian national id (10 or 11 digits)."),
}


def _turkish(number: str) -> str:
    return tckimlik.validate(number) if len(number) == 11 else vkn.validate(number)


def _iranian(number: str) -> str:
    if not number.isdigit() or len(number) not in (10, 11) or len(set(number)) == 1:
        raise StdnumError
    return number


VALIDATORS = {TaxScheme.TR: _turkish, TaxScheme.RU: inn.validate, TaxScheme.IR: _iranian}


def compact(scheme: str, number: str) -> str:
    """The number without spaces, dots or dashes; raises ValidationError when invalid."""
    number = clean(number or "", " -./").strip()
    if not number:
        return ""
    check = VALIDATORS.get(scheme)
    if check is None:
        raise ValidationError(_("Choose the country of the tax number."), code="tax_scheme")
    try:
        return check(number)
    except StdnumError:
        raise ValidationError(MESSAGES[scheme], code="invalid_tax_number") from None
