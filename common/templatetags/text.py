"""`capfirst` as the active language capitalises (common.text.capfirst); a template
builtin, so that it replaces Django's own in every template, the admin's included."""

from django import template
from django.template.defaultfilters import stringfilter

from common.text import capfirst as language_capfirst

register = template.Library()


@register.filter(is_safe=True)
@stringfilter
def capfirst(value):
    return language_capfirst(value)
