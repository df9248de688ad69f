from django import forms
from django.utils.translation import gettext_lazy as _


class ErasureForm(forms.Form):
    redact_text = forms.BooleanField(
        label=_("Also remove what they wrote"),
        required=False,
        help_text=_(
            "The subjects and descriptions of the tickets they filed, their messages and "
            "the documents they uploaded are removed from every ticket. Without this, the "
            "text stays and only who they are goes."
        ),
    )


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, username or e-mail"), required=False, max_length=100)
