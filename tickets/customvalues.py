"""The custom field values of tickets as readers see them: on the page, in mail, in exports."""

from . import configuration
from .models import CustomField


def definitions(category_ids=None) -> dict[int, list[CustomField]]:
    """Every field definition (inactive ones too: their stored values still show) by category."""
    config = configuration.current()
    if category_ids is None:
        category_ids = {field.category_id for field in config.custom_fields}
    return {pk: config.fields_of(pk) for pk in category_ids if config.fields_of(pk)}


def shown(ticket, fields: list[CustomField]) -> list[tuple[str, str]]:
    """(label, value) in the active language, in the form's order; a value whose definition
    is gone (the ticket moved to another category) shows under its key."""
    values = dict(ticket.custom or {})
    rows = []
    for field in fields:
        if field.key in values:
            text = field.display_value(values.pop(field.key))
            if text:
                rows.append((field.display_label(), text))
    for key, value in values.items():
        rows.append((key, ", ".join(map(str, value)) if isinstance(value, list) else str(value)))
    return rows


def for_ticket(ticket) -> list[tuple[str, str]]:
    if not ticket.custom:
        return []
    return shown(ticket, definitions([ticket.category_id]).get(ticket.category_id, []))
