from django import forms
from django.utils.translation import gettext_lazy as _

from categories.models import Category
from categories.selectors import team_category_ids

from .models import CannedReply


class CannedReplyForm(forms.ModelForm):
    class Meta:
        model = CannedReply
        fields = ["title", "category", "language", "action", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        categories = Category.objects.filter(is_active=True)
        field = self.fields["category"]
        if user.is_supervisor:
            field.empty_label = _("Shared by every team")
        else:
            # A team writes for its own categories; shared texts are the supervisors'.
            categories = categories.filter(pk__in=team_category_ids(user))
            field.required = True
        field.queryset = categories
