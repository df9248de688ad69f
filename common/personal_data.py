"""What other apps hold about a person, for the privacy app's export, erasure and
retention rule, without privacy/ importing them (capability apps never import each
other). An app that keeps personal data connects receivers in its `ready()`:

- `collect`, sent while writing a person's export, with `person` (whose data) and
  `viewer` (who asked); returns `(name, rows)`: the export gets a list `name` holding
  `rows` (JSON-ready dicts). Return rows that are safe to show to the person: never a
  secret or a hash.
- `erase`, sent in the erasure's transaction once the account holds only its pseudonym,
  with `person`, `address` (the e-mail address the account had, or "") and
  `redact_text` (whether what they wrote on tickets goes too): remove or anonymise what
  the app keeps about them.
- `expire`, sent by the nightly retention rule with `cutoff`: remove or anonymise what
  the app keeps about people from before it (once: a second run finds nothing); returns
  how many rows it changed.
"""

import django.dispatch

collect = django.dispatch.Signal()
erase = django.dispatch.Signal()
expire = django.dispatch.Signal()


def sections(person, viewer) -> list[tuple[str, list[dict]]]:
    """Every app's `(name, rows)` for `person`, in the order the apps connected."""
    return [answer for _receiver, answer in collect.send(sender=None, person=person, viewer=viewer)]


def erase_everywhere(person, *, address: str, redact_text: bool) -> None:
    """Every app forgets `person`; an error rolls the whole erasure back."""
    erase.send(sender=None, person=person, address=address, redact_text=redact_text)


def expire_everywhere(cutoff) -> int:
    """Every app forgets what it keeps about people from before `cutoff`; how many rows."""
    return sum(changed for _receiver, changed in expire.send(sender=None, cutoff=cutoff))
