"""Tax numbers, checked with python-stdnum and stored compact (digits only).

Turkey: a company's VKN has 10 digits, a person's T.C. identity number 11 (a
self-employed engineer or accountant is taxed under it). Russia: the INN.
Iran: python-stdnum has no Iranian module, so the check digits are computed here:
a person's national code (کد ملی, 10 digits) and a legal entity's national id
(شناسه ملی, 11 digits), both by the published algorithms. Nothing is asked of an
outside registry.
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


def iranian_national_code(number: str) -> bool:
    """A person's code: the 10th digit checks the weighted sum (weights 10..2) mod 11."""
    if len(number) != 10 or not number.isdigit() or len(set(number)) == 1:
        return False
    remainder = sum(int(digit) * (10 - i) for i, digit in enumerate(number[:9])) % 11
    return int(number[9]) == (remainder if remainder < 2 else 11 - remainder)


def iranian_legal_id(number: str) -> bool:
    """A legal entity's id: the 11th digit checks the digits plus (10th digit + 2),
    weighted 29, 27, 23, 19, 17 in turn, mod 11 (10 counts as 0)."""
    if len(number) != 11 or not number.isdigit() or len(set(number)) == 1:
        return False
    step = int(number[9]) + 2
    weights = (29, 27, 23, 19, 17)
    total = sum((int(digit) + step) * weights[i % 5] for i, digit in enumerate(number[:10]))
    return int(number[10]) == total % 11 % 10


def _iranian(number: str) -> str:
    if not (iranian_national_code(number) or iranian_legal_id(number)):
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
