"""`{% url %}` as Django's, except that a URL without arguments is reversed once a
process: a page names a dozen of them (the menu, its forms' actions), each reversed
anew at some 40 µs. A template builtin (settings.TEMPLATES), so that it serves every
template, the admin's included; a URL with arguments, or `as` a variable, is Django's."""

from django import template
from django.conf import settings
from django.template import defaulttags
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

# (name, current app, script prefix, URLconf) -> the URL: as many as templates name.
_reversed: dict[tuple, str] = {}


class KeptURLNode(defaulttags.URLNode):
    def render(self, context):
        if self.args or self.kwargs or self.asvar:
            return super().render(context)
        view_name = self.view_name.resolve(context)
        try:  # the instance namespace, as Django's URLNode finds it
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        key = (view_name, current_app, get_script_prefix(), get_urlconf(settings.ROOT_URLCONF))
        url = _reversed.get(key)
        if url is None:  # NoReverseMatch goes up, as Django's does, and nothing is kept
            url = _reversed[key] = reverse(view_name, current_app=current_app)
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
