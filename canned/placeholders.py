"""The placeholders of a canned reply, filled for one ticket."""

PLACEHOLDERS = ("{requester}", "{ticket}", "{organisation}")


def fill(text: str, ticket) -> str:
    """Replace each placeholder by its value; anything else in braces stays as written."""
    values = {
        "{requester}": ticket.requester.display_name(),
        "{ticket}": f"#{ticket.pk}",
        "{organisation}": ticket.organisation.name,
    }
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text
