from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from categories.models import Category


class AssignForm(forms.Form):
    """Whose ticket a held message becomes, and in which category."""

    user = forms.CharField(label=_("User (username or e-mail address)"), max_length=254)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True).order_by("name")
    )

    def clean_user(self):
        wanted = self.cleaned_data["user"].strip()
        user = User.objects.filter(
            Q(username=wanted) | Q(email__iexact=wanted), is_active=True
        ).first()
        if user is None or user.organisation_id is None:
            raise forms.ValidationError(_("No active user with an organisation has this name."))
        return user
