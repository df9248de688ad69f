"""`{% fragment "name" value... %}...{% endfragment %}`: a part of a page drawn once a
process for each language, URLconf and set of the values named, then copied as drawn. For
what many pages repeat and what depends on little: the menu (the same for everyone of
one role), the list's filter fields (the same for the same criteria and configuration),
each some dozens of tags drawn anew on every page.

A fragment must depend on nothing but its values, the language and the URLs: never a
CSRF token or a user's name. A value that is None draws it afresh and keeps nothing.
Kept for the process's life: words and URLs change only with a release, which starts
new processes (and in development, where `runserver` reloads an edited template or
catalogue without one, when it says a file changed)."""

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.autoreload import file_changed

register = template.Library()

# (name, language, script prefix, URLconf, values...) -> the HTML drawn. Emptied when full: the
# criteria people use are far fewer.
_drawn: dict[tuple, str] = {}
MAX_KEPT = 500


def forget_drawn(**kwargs) -> None:
    """Draw every fragment afresh from now on (a file changed; a test's rows are gone)."""
    _drawn.clear()


file_changed.connect(forget_drawn, dispatch_uid="fragments.forget_drawn")


class FragmentNode(template.Node):
    def __init__(self, nodelist, name: str, values: list):
        self.nodelist = nodelist
        self.name = name
        self.values = values

    def render(self, context):
        values = [value.resolve(context) for value in self.values]
        if None in values:  # the caller knows no key for what it draws: drawn afresh
            return self.nodelist.render(context)
        urls = get_script_prefix(), get_urlconf(settings.ROOT_URLCONF)
        key = (self.name, translation.get_language(), *urls, *map(str, values))
        html = _drawn.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(_drawn) >= MAX_KEPT:
                _drawn.clear()
            _drawn[key] = html
        return html


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a quoted name, then values")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]])
