"""The ticket page's action forms, drawn as crispy-forms' Bootstrap 5 layout draws them
at a fraction of the cost (templates/tickets/_form.html): a page carries up to eight."""

from django import forms, template

register = template.Library()


@register.filter
def page_widget(field):
    """`{{ field|page_widget }}`: the widget with Bootstrap's class, marked when refused."""
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


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)
