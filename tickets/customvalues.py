"""The custom field values of tickets as readers see them: on the page, in mail, in exports."""

from .models import CustomField


def definitions(category_ids=None) -> dict[int, list[CustomField]]:
    """Every field definition (inactive ones too: their stored values still show) by category."""
    fields = CustomField.objects.order_by("position", "pk")
    if category_ids is not None:
        fields = fields.filter(category_id__in=category_ids)
    found: dict[int, list[CustomField]] = {}
    for field in fields:
        found.setdefault(field.category_id, []).append(field)
    return found


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
