"""Django's cached template loader, whose templates translate each constant
`{% translate "..." %}` once a process for each language, rather than on every page.

A page draws some forty of them (headings, labels, buttons), each a lazy `gettext` through
the active catalogue, then made safe and escaped: some 5 µs apiece, a twentieth of a
ticket's page. What one draws depends on the words and the language alone, and words
change only with a release (a new process) or, in development, when `runserver` says a
catalogue changed: then every template is compiled anew.

A loader rather than a tag library: templates `{% load i18n %}`, which would put
Django's tag back over any builtin, and a library of the same name is ambiguous (the
check templates.W003). A `translate` of a variable, with a filter or `noop`, or with a
context that is not a constant, is Django's own.
"""

from django.template import Variable
from django.template.autoreload import reset_loaders
from django.template.base import render_value_in_context
from django.template.loaders import cached
from django.templatetags.i18n import TranslateNode
from django.utils import translation
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeData, mark_safe


class KeptTranslateNode(TranslateNode):
    """A constant `{% translate %}`, its output kept by language. (Escaping changes
    nothing: Django marks the words of a quoted string safe, and their translation.)"""

    kept: dict

    def render(self, context):
        language = translation.get_language()
        value = self.kept.get(language)
        if value is None:
            value = self.kept[language] = self._translated(context)
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value

    def _translated(self, context):
        """As TranslateNode.render draws it (percent signs doubled in the text restored)."""
        self.filter_expression.var.translate = True
        if self.message_context:
            self.filter_expression.var.message_context = self.message_context.resolve(context)
        value = render_value_in_context(self.filter_expression.resolve(context), context)
        restored = value.replace("%%", "%")
        # Safe as it was: the same text with a sign restored.
        return mark_safe(restored) if isinstance(value, SafeData) else restored  # noqa: S308


def _constant(expression) -> bool:
    """A quoted string without filters (a string, or a Variable of a literal: as
    TranslateNode holds its words)."""
    if expression.filters:
        return False
    var = expression.var
    return isinstance(var, str) or (isinstance(var, Variable) and var.literal is not None)


def keep_translations(nodelist) -> None:
    for node in nodelist.get_nodes_by_type(TranslateNode):
        if (
            type(node) is TranslateNode
            and not node.noop
            and _constant(node.filter_expression)
            and (node.message_context is None or _constant(node.message_context))
        ):
            node.__class__ = KeptTranslateNode
            node.kept = {}


class Loader(cached.Loader):
    def get_template(self, template_name, skip=None):
        template = super().get_template(template_name, skip)
        if not getattr(template, "translations_kept", False):
            keep_translations(template.nodelist)
            template.translations_kept = True
        return template


def forget_translations(sender, file_path, **kwargs) -> None:
    """A catalogue changed under `runserver` (which then reloads it without a restart):
    templates compiled anew, their translations with them."""
    if file_path.suffix == ".mo":
        reset_loaders()


file_changed.connect(forget_translations, dispatch_uid="template_loaders.forget_translations")
