from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from categories.models import Category

from . import netguard
from .models import EventType, Webhook


def clean_url(url: str) -> str:
    """Refuse schemes other than http(s) and non-public addresses (netguard)."""
    try:
        netguard.check(url)
    except netguard.Refused as refused:
        raise forms.ValidationError(str(refused), code="refused") from None
    return url


class WebhookForm(forms.ModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("An http or https address that takes a POST."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"),
        queryset=Category.objects.order_by("name"),
        required=False,
        help_text=_("None chosen: every category."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("path"),
        required=False,
        help_text=_("Its tickets and those of the organisations below it; none: all."),
    )

    class Meta:
        model = Webhook
        fields = ["name", "url", "events", "categories", "organisation"]

    def clean_url(self):
        return clean_url(self.cleaned_data["url"])
