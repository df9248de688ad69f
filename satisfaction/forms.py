from django import forms
from django.utils.translation import gettext_lazy as _

RATINGS = [
    (5, _("5 – Very satisfied")),
    (4, _("4 – Satisfied")),
    (3, _("3 – Neither satisfied nor dissatisfied")),
    (2, _("2 – Dissatisfied")),
    (1, _("1 – Very dissatisfied")),
]


class AnswerForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with how your ticket was handled?"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
