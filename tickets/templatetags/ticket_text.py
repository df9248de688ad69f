from django import template

from .. import references

register = template.Library()


@register.filter
def ticket_links(text, visible):
    """`{{ text|ticket_links:linkable }}`: escaped, `#N` linked when the reader sees N."""
    return references.linked(text, visible or frozenset())
