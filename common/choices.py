"""A field's choice labels, translated once a language rather than on every call."""

import functools

from django.utils.translation import get_language


@functools.cache
def _labels(field, language) -> dict:
    """The field's value -> its label in `language`; `language` keys the cache only:
    the labels are translated in the language active at the call, which is it."""
    return {value: str(label) for value, label in field.flatchoices}


class ChoiceLabels:
    """A model mixin for `get_FOO_display`: Django's hashes, and so translates, every
    choice's label on each call; a ticket's page asks for a label per action-log line."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return _labels(field, get_language()).get(value, value)
