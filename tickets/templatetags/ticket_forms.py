"""The ticket page's action forms and the new ticket's form, drawn as crispy-forms'
Bootstrap 5 layout draws them at a fraction of the cost: a page carries up to eight,
and drawing each field through a template of its own (lookups, an include for its
notes) cost a handler's page about a millisecond more, and the new ticket's form a
third of its page."""

import re

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms, template
from django.template.defaultfilters import unordered_list
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from tickets.forms import MultipleFileInput

register = template.Library()

FILE_WIDGETS = {"multiplefile", "clearablefile", "file"}


# Widgets whose HTML is drawn only from what `_drawn_from` reads (a file input's never
# shows a value: an unbound one has none).
KEPT_WIDGETS = {
    forms.Textarea,
    forms.Select,
    forms.TextInput,
    forms.HiddenInput,
    forms.CheckboxInput,
    forms.FileInput,
    forms.ClearableFileInput,
    MultipleFileInput,
}
KEPT_FORMS = 512  # distinct unbound forms kept per process
_kept: dict = {}  # `_drawn_from`'s key -> the form's HTML
# Where a kept form's value made per form (a reply's submission token) goes; only a UUID
# as str() writes it, which HTML draws as it is.
_PER_FORM = "\x00{}\x00"
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@register.simple_tag
def page_form(form):
    """`{% page_form form %}`: the non-field errors, then each field with its label, its
    widget and its notes (errors, help text).

    An unbound form of plain widgets draws the same HTML each time it is drawn from the
    same labels, values and choices in the same language: that HTML is kept, and the
    page's other cards (a supervisor's has six) cost a lookup. A value made for each
    form, a UUID, is kept as a mark and put in for each form.

    A form with a list of radio buttons or checkboxes, which this does not draw, is
    drawn by crispy-forms itself."""
    if any(isinstance(field.field.widget, forms.RadioSelect) for field in form):
        return as_crispy_form(form)
    found = _drawn_from(form)
    if found is None:
        return _drawn(form)
    key, per_form = found
    html = _kept.get(key)
    if html is None:
        if len(_kept) >= KEPT_FORMS:
            _kept.clear()
        html = str(_drawn(form))
        for number, value in enumerate(per_form):
            html = html.replace(value, _PER_FORM.format(number))
        _kept[key] = html
    for number, value in enumerate(per_form):
        html = html.replace(_PER_FORM.format(number), value)
    # Drawn by _drawn, which escapes what it is given; the values put in are UUIDs.
    return mark_safe(html)  # noqa: S308


def _drawn_from(form) -> tuple[tuple, list[str]] | None:
    """Everything an unbound form's HTML is drawn from, and the values made for this
    form (UUIDs, in the order of the fields); or None when it is not to be kept: bound,
    or with a widget, a value or choices this does not tell apart."""
    if form.is_bound:
        return None
    key = [type(form), form.prefix, form.auto_id, form.use_required_attribute]
    key.append(translation.get_language())
    per_form = []
    for field in form:
        widget, choices = field.field.widget, getattr(field.field, "choices", ())
        value = field.value()
        if (
            type(widget) not in KEPT_WIDGETS
            or not isinstance(choices, (list, tuple))
            or not isinstance(value, (str, int, type(None)))
        ):
            return None  # another widget, a model's choices not read yet, another value
        if isinstance(field.field, forms.UUIDField) and _UUID.fullmatch(str(value or "")):
            per_form.append(str(value))
            value = forms.UUIDField  # in the key: that there is one, not which
        key.append(
            (
                field.name,
                str(field.label),
                str(field.help_text),
                field.field.required,
                field.field.disabled,
                type(widget),
                tuple(sorted((name, str(v)) for name, v in widget.attrs.items())),
                value,
                tuple((str(choice), str(label)) for choice, label in choices),
            )
        )
    return tuple(key), per_form


def _drawn(form):
    parts = ["\n"]
    errors = form.non_field_errors()
    if errors:
        parts.append(
            format_html(
                '<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
                unordered_list(errors, autoescape=True),
            )
        )
    parts.append("\n")
    for field in form:
        if field.is_hidden:
            parts.append(str(field))
        elif isinstance(field.field.widget, forms.CheckboxInput):
            parts.append(
                format_html(
                    '\n<div class="mb-3"><div id="div_{}" class="form-check">{}{}{}</div></div>\n',
                    field.auto_id,
                    page_widget(field),
                    _label(field, "form-check-label"),
                    _notes(field),
                )
            )
        else:
            label = _label(field, "form-label") if field.label else ""
            widget = format_html("{}{}", page_widget(field), _notes(field))
            if field.widget_type in FILE_WIDGETS:
                wrapper = '<div class="is-invalid">{}</div>' if field.errors else "<div>{}</div>"
                widget = format_html(wrapper, widget)
            parts.append(
                format_html(
                    '\n<div id="div_{}" class="mb-3">{}{}</div>\n', field.auto_id, label, widget
                )
            )
    parts.append("\n")
    return _joined(parts)


def _joined(parts):
    """The parts as one safe string, each escaped unless it is safe already."""
    return format_html_join("", "{}", ((part,) for part in parts))


def _label(field, css):
    required = field.field.required
    return format_html(
        '<label for="{}" class="{}{}">{}{}</label>',
        field.id_for_label,
        css,
        " requiredField" if required else "",
        field.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",
    )


def _notes(field):
    """The field's errors and help text, under its widget."""
    notes = []
    if field.errors:
        errors = format_html_join(
            "",
            '<p id="error_{}_{}"><strong>{}</strong></p>',
            ((n, field.auto_id, error) for n, error in enumerate(field.errors, 1)),
        )
        notes.append(
            format_html(
                '<div id="{}_error" class="invalid-feedback">{}</div>',
                field.errors.field_id,
                errors,
            )
        )
    if field.help_text:
        ident = format_html('id="{}_helptext" ', field.auto_id) if field.auto_id else ""
        # The help text is the form's own text, drawn as it is (as crispy-forms does).
        help_text = mark_safe(field.help_text)  # noqa: S308
        notes.append(format_html('<div {}class="form-text">{}</div>', ident, help_text))
    notes.append("\n")  # as the notes' template ended
    return _joined(notes)


def page_widget(field):
    """The widget with Bootstrap's class, marked when refused."""
    widget = field.field.widget
    if isinstance(widget, forms.FileInput):
        css = "form-control"
    else:
        # crispy's mark of the widget's kind ("textarea", "select"), then Bootstrap's.
        kind = type(widget).__name__.lower()
        if isinstance(widget, forms.CheckboxInput):
            css = f"{kind} form-check-input"
        elif isinstance(widget, forms.Select):
            css = f"{kind} form-select"
        else:
            css = f"{kind} form-control"
    if field.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class")
    return field.as_widget(attrs={"class": f"{existing} {css}" if existing else css})
