from django import forms
from django.utils.translation import gettext_lazy as _


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, username or e-mail"), required=False, max_length=100)
