"""What a requester may file: kinds, products, parent records, and custom field values.

One place for the rules the form shows and the filing service enforces (the API and
inbound mail file through the same service): a form that was tampered with is refused
with the same message.
"""

import datetime
import decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import CharField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import loading, phones

from . import configuration
from .models import Component, Contract, CustomField, ParentRecord, Product, TicketKind
from .records import FieldType


def _in_tree(field: str, organisation) -> Q:
    """`field` (an organisation) is empty, or is `organisation` or above it."""
    ancestors = [organisation.path[:end] for end in range(1, len(organisation.path) + 1)]
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__path__in": ancestors})


def scoped(queryset, organisation, *, rows=None):
    """Kinds or categories offered to `organisation`: those of its deployment's tree when
    it has its own, else those offered everywhere. `rows`: the same rows already read
    (tickets/configuration.py), to tell which without asking the database."""
    # Told by `rows` that there are none of its own, the query of those is not built.
    if organisation is None or (rows is not None and not offered_own(rows, organisation)):
        return queryset.filter(scope__isnull=True)
    own = queryset.filter(_in_tree("scope", organisation)).filter(scope__isnull=False)
    if rows is not None or own.exists():
        return own
    return queryset.filter(scope__isnull=True)


def _tree_ids(organisation) -> set[int]:
    """The ids of `organisation` and those above it (its path: "1/4/9/")."""
    return {int(pk) for pk in organisation.path.split("/") if pk} | {organisation.pk}


def offered_own(rows, organisation) -> list:
    """Those of `rows` (kinds or categories) scoped to `organisation`'s tree."""
    tree = _tree_ids(organisation)
    return [row for row in rows if row.scope_id is not None and row.scope_id in tree]


def offered(rows, organisation) -> list:
    """`scoped` for rows already read: the same rule, asking nothing."""
    if organisation is None:
        return [row for row in rows if row.scope_id is None]
    return offered_own(rows, organisation) or [row for row in rows if row.scope_id is None]


def says_unit(organisation) -> bool:
    """The agency calls its categories units (واحد): its tree's root is an agency."""
    from accounts.models import Organisation, OrganisationKind

    if organisation is None:
        return False
    # Asked by a page's form, filters, columns and labels alike: once per instance.
    if not hasattr(organisation, "_says_unit"):
        root_id = int(organisation.path.split("/")[0]) if organisation.path else organisation.pk
        if root_id == organisation.pk:
            organisation._says_unit = organisation.kind == OrganisationKind.AGENCY
        else:
            organisation._says_unit = Organisation.objects.filter(
                pk=root_id, kind=OrganisationKind.AGENCY
            ).exists()
    return organisation._says_unit


def says_unit_fact():
    """`says_unit` for the user row (accounts/loading.py): a root agency above, or at,
    the user's organisation."""
    from accounts.models import Organisation, OrganisationKind

    roots = Organisation.objects.filter(kind=OrganisationKind.AGENCY, parent__isnull=True)
    below = ExpressionWrapper(OuterRef("organisation__path"), output_field=CharField())
    return Exists(roots.annotate(below=below).filter(below__startswith=F("path")))


def viewer_organisation(user):
    """The viewer's organisation, told what the request's load of the user already
    knows of its wording: the page's labels then ask nothing more."""
    organisation = getattr(user, "organisation", None)
    known = loading.fact(user, "says_unit")
    if organisation is not None and known is not None:
        organisation._says_unit = known
    return organisation


def category_label(organisation, *, new: bool = False):
    """What people of `organisation`'s deployment call a category ("Unit" at the agency),
    translated when shown; `new`: the label of a redirect's target."""
    if says_unit(organisation):
        return gettext_lazy("New unit") if new else gettext_lazy("Unit")
    return gettext_lazy("New category") if new else gettext_lazy("Category")


def contracts(organisation):
    if organisation is None:
        return Contract.objects.none()
    return Contract.objects.filter(
        Q(organisations=organisation) | Q(customer=organisation), is_active=True
    )


def allowed_among(kinds, organisation) -> list:
    """Those of `kinds` (offered to `organisation`) it may file: without a contract, only
    the kinds that need none (consultation); with one, also the kinds the contract
    lists. One query, and only when one of them needs a contract."""
    if not any(kind.needs_contract for kind in kinds):
        return list(kinds)
    listed = set(
        TicketKind.objects.filter(contract__in=contracts(organisation)).values_list("pk", flat=True)
    )
    return [kind for kind in kinds if not kind.needs_contract or kind.pk in listed]


def allowed_products(organisation):
    return Product.objects.filter(contract__in=contracts(organisation)).distinct()


def check(*, requester, kind, product=None, component=None, parent=None) -> None:
    """Raise ValidationError (message for the user) when `requester` may not file this."""
    organisation = requester.organisation
    # The configuration's rows, as the form offered them: no query unless a kind
    # offered needs a contract.
    offered_kinds = offered(configuration.current().active_kinds(), organisation)
    if kind.pk not in {allowed.pk for allowed in allowed_among(offered_kinds, organisation)}:
        raise ValidationError(
            _("Your organisation's contract does not allow this kind of request."), code="kind"
        )
    if product is not None and not allowed_products(organisation).filter(pk=product.pk).exists():
        raise ValidationError(
            _("This product is not under your organisation's contract."), code="product"
        )
    if component is not None and component.product_id != getattr(product, "pk", None):
        raise ValidationError(_("This component is not part of the chosen product."), code="comp")
    if (
        parent is not None
        and not ParentRecord.objects.fileable_by(requester).filter(pk=parent.pk).exists()
    ):
        raise ValidationError(_("You may not file a request about this record."), code="parent")


def fields_for(category, kind=None, organisation=None) -> list[CustomField]:
    """The active custom fields of the category's form: those for every kind and this
    one's, and for every organisation and those under the organisation's contracts; the
    configuration's shared rows (tickets/configuration.py), in the form's order."""
    if category is None:
        return []
    kind_id = getattr(kind, "pk", None)
    fields = [
        field
        for field in configuration.current().fields_of(category.pk)
        if field.is_active and field.kind_id in (None, kind_id)
    ]
    if not any(field.contract_id is not None for field in fields):
        return fields  # most deployments: no contract's own fields, nothing to ask
    under = set(contracts(organisation).values_list("pk", flat=True))
    return [field for field in fields if field.contract_id is None or field.contract_id in under]


def clean_value(field: CustomField, raw, *, country: str | None = None):
    """The typed value to store (JSON), or None when empty; ValidationError when wrong.
    A phone number typed without its country code is read in `country` (phones.region_of)."""
    if field.type == FieldType.CHECKBOX:
        if raw is None and not field.required:
            return None  # not sent at all (the API): nothing to keep
        value = raw in (True, "on", "true", "1", 1)
        if field.required and not value:
            raise ValidationError(_("This field is required."), code="required")
        return value
    if field.type == FieldType.MULTIPLE_CHOICE:
        if raw is not None and not isinstance(raw, list | tuple):
            raise ValidationError(_("Choose from the values offered."), code="invalid_choice")
        values = [str(item) for item in (raw or []) if str(item) != ""]
        offered = {value for value, _label in field.choice_options()}
        if any(value not in offered for value in values):
            raise ValidationError(_("Choose from the values offered."), code="invalid_choice")
        if field.required and not values:
            raise ValidationError(_("This field is required."), code="required")
        return values or None
    raw = "" if raw is None else str(raw).strip()
    if raw == "":
        if field.required:
            raise ValidationError(_("This field is required."), code="required")
        return None
    if field.type == FieldType.CHOICE:
        if raw not in {value for value, _label in field.choice_options()}:
            raise ValidationError(_("Choose from the values offered."), code="invalid_choice")
        return raw
    if field.type == FieldType.NUMBER:
        try:
            number = decimal.Decimal(raw.replace(",", "."))
        except decimal.InvalidOperation:
            raise ValidationError(_("Enter a number."), code="invalid") from None
        if not number.is_finite():
            raise ValidationError(_("Enter a number."), code="invalid")
        return int(number) if number == number.to_integral_value() else float(number)
    if field.type == FieldType.DATE:
        try:
            day = datetime.date.fromisoformat(raw)
            if day.year < 1900:  # a Solar Hijri year (1402) typed as if Gregorian
                raise ValueError(raw)
            return day.isoformat()
        except ValueError:
            raise ValidationError(
                _("Enter a date in the Gregorian calendar as YYYY-MM-DD."), code="invalid"
            ) from None
    if field.type == FieldType.EMAIL:
        try:
            validate_email(raw)
        except ValidationError:
            raise ValidationError(
                _("Enter an e-mail address like name@example.org."), code="invalid"
            ) from None
        return raw
    if field.type == FieldType.PHONE:
        return phones.to_e164(raw, country or phones.region())
    limit = 10_000 if field.type == FieldType.LONG_TEXT else 500
    if len(raw) > limit:
        raise ValidationError(
            _("Enter at most %(limit)d characters.") % {"limit": limit}, code="max_length"
        )
    return raw


def clean_values(fields: list[CustomField], data: dict, *, organisation=None) -> dict:
    """All of the form's custom values by key, as the requester's `organisation` files
    them (its country reads a phone number); raises one ValidationError per field name."""
    country = phones.region_of(organisation)
    values, errors = {}, {}
    for field in fields:
        try:
            value = clean_value(field, data.get(field.key), country=country)
        except ValidationError as error:
            errors[field.key] = error.messages
            continue
        if value is not None:
            values[field.key] = value
    if errors:
        raise ValidationError(errors)
    return values


__all__ = ["Component"]
