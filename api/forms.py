from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Scope

DAYS = [(30, _("30 days")), (90, _("90 days")), (365, _("One year"))]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the chamber's software."),
    )
    days = forms.TypedChoiceField(label=_("Valid for"), choices=DAYS, coerce=int, initial=90)
    scope = forms.ChoiceField(label=_("Access"), choices=Scope.choices, initial=Scope.READ)
