from django import forms
from django.conf import settings
from django.core.validators import validate_slug
from django.utils.translation import gettext_lazy as _

from categories.models import Category
from categories.selectors import team_category_ids

from .models import Article, Visibility
from .services import RESERVED_SLUGS

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 50_000
QUERY_MAX_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the help"), max_length=QUERY_MAX_LENGTH, required=False)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        empty_label=_("All categories"),
    )


class VoteForm(forms.Form):
    useful = forms.TypedChoiceField(
        label=_("Was this useful?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ArticleForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=Visibility.choices, initial=Visibility.DRAFT
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown: # headings, *emphasis*, - lists, [links](https://…), tables."),
    )
    slug = forms.CharField(
        label=_("Address"),
        max_length=100,
        required=False,
        validators=[validate_slug],
        help_text=_("Latin letters, digits and hyphens; empty makes one from the title."),
    )

    def __init__(self, *args, user, article: Article | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        writable = Category.objects.filter(is_active=True)
        if not user.is_supervisor:
            writable = writable.filter(pk__in=team_category_ids(user))
        self.fields["category"].queryset = writable
        if article is not None:
            # The address is a link people keep: set once.
            del self.fields["slug"]

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if slug and (slug in RESERVED_SLUGS or Article.objects.filter(slug=slug).exists()):
            raise forms.ValidationError(_("Another article has this address."))
        return slug


class FileForm(forms.Form):
    file = forms.FileField(label=_("Image or document"))
