"""What other apps hold about a person, for the privacy export, without privacy/
importing them (capability apps never import each other).

An app that keeps personal data connects a receiver to `collect` in its `ready()`;
privacy/ sends it while writing a person's export. Each receiver is called with
`person` (whose data) and `viewer` (who asked) and returns `(name, rows)`: the export
gets a list `name` holding `rows` (JSON-ready dicts). Return rows that are safe to show
to the person: never a secret or a hash.
"""

import django.dispatch

collect = django.dispatch.Signal()


def sections(person, viewer) -> list[tuple[str, list[dict]]]:
    """Every app's `(name, rows)` for `person`, in the order the apps connected."""
    return [answer for _receiver, answer in collect.send(sender=None, person=person, viewer=viewer)]
