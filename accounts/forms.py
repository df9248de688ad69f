from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AuthenticationForm,
    BaseUserCreationForm,
    PasswordResetForm,
    UsernameField,
)
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import mail, phones
from .models import (
    HANDLER_TOPICS,
    NotificationTopic,
    Organisation,
    OrganisationKind,
    RegistrationStatus,
    User,
)
from .selectors import user_for_login
from .services import ProposedOrganisation
from .taxnumbers import TaxScheme


class SignInForm(AuthenticationForm):
    """Django's sign-in form; the fields are `username` and `password`.

    The name may be the username or the e-mail address. An account that is not
    open is told why, but only to someone who knows its password.
    """

    remember = forms.BooleanField(
        label=_("Keep me signed in on this computer"), required=False, initial=False
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "pending": _(
            "Your registration is waiting for an administrator's approval. You will get "
            "an e-mail when it is decided."
        ),
        "refused": _("Your registration was refused: %(reason)s"),
        "inactive": _("This account is closed. Please contact the administrators."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Username or e-mail")
        self.fields["username"].widget.attrs["autocomplete"] = "username"

    def get_invalid_login_error(self):
        if not getattr(self.request, "axes_locked_out", False):
            user = user_for_login(self.cleaned_data.get("username"))
            if (
                user is not None
                and not user.is_active
                and user.check_password(self.cleaned_data.get("password"))
            ):
                return self.closed_account_error(user)
        return super().get_invalid_login_error()

    def closed_account_error(self, user) -> ValidationError:
        registration = getattr(user, "registration", None)
        status = registration.status if registration else None
        if status == RegistrationStatus.PENDING:
            return ValidationError(self.error_messages["pending"], code="pending")
        if status == RegistrationStatus.REFUSED:
            return ValidationError(
                self.error_messages["refused"],
                code="refused",
                params={"reason": registration.reason},
            )
        return ValidationError(self.error_messages["inactive"], code="inactive")


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # The parent tells apart chambers with similar names in different cities.
        return f"{obj.name} — {obj.parent.name}" if obj.parent_id else obj.name


def _email_taken(email: str, *, exclude_pk=None) -> bool:
    return User.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists()


class RegistrationForm(BaseUserCreationForm):
    """Self-registration: the account, and the organisation chosen or proposed.

    Only the fields listed here are read: whatever else a POST carries (is_active,
    is_staff, role, ...) is ignored. Whether the username or the e-mail address is
    taken is never said here: `services.register` tells the applicant by mail, so that
    the page tells nobody who has an account.
    """

    # The confederation's own staff are set up by an admin: its members see everything.
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.exclude(kind=OrganisationKind.CONFEDERATION)
        .select_related("parent")
        .order_by("name_key"),
        required=False,
        help_text=_("Type in the box above the list to find yours."),
    )
    new_organisation = forms.BooleanField(label=_("My organisation is not listed"), required=False)
    organisation_name = forms.CharField(label=_("Name of the organisation"), required=False)
    organisation_kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", "---------")]
        + [c for c in OrganisationKind.choices if c[0] != OrganisationKind.CONFEDERATION],
        required=False,
    )
    organisation_tax_scheme = forms.ChoiceField(
        label=_("Country of the tax number"),
        choices=TaxScheme.choices,
        initial=TaxScheme.TR,
        required=False,
    )
    organisation_tax_number = forms.CharField(
        label=_("Tax number"),
        required=False,
        help_text=_("VKN for a company or a chamber; T.C. identity number for a person."),
    )
    organisation_parent = OrganisationChoiceField(
        label=_("It belongs to"),
        queryset=Organisation.objects.select_related("parent").order_by("name_key"),
        required=False,
        help_text=_("The union, chamber or other organisation above yours."),
    )

    # The organisation's fields, as the model names them.
    PROPOSAL_FIELDS = {
        "name": "organisation_name",
        "kind": "organisation_kind",
        "tax_scheme": "organisation_tax_scheme",
        "tax_number": "organisation_tax_number",
        "parent": "organisation_parent",
    }

    class Meta(BaseUserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name", "email", "phone")
        field_classes = {"username": UsernameField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _("Your approval and password resets are sent here.")
        self.fields["phone"].read_in(phones.region())  # the organisation is not known yet
        # The page starts with the person, not with the username further down.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["first_name"].widget.attrs["autofocus"] = True

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"])

    def _get_validation_exclusions(self):
        # The model's unique e-mail constraint would say "taken"; its format is checked
        # by the form field.
        return {*super()._get_validation_exclusions(), "email"}

    def validate_unique(self):
        """Nothing: a taken username or address is answered by mail, not on the page."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_organisation"):
            cleaned["organisation"] = None
            self._clean_proposal(cleaned)
        elif not cleaned.get("organisation") and "organisation" not in self.errors:
            self.add_error(
                "organisation",
                ValidationError(
                    _("Choose your organisation, or tick “My organisation is not listed”."),
                    code="required",
                ),
            )
        return cleaned

    def _clean_proposal(self, cleaned):
        cleaned["organisation_tax_scheme"] = cleaned.get("organisation_tax_scheme") or TaxScheme.TR
        given = {
            name: cleaned[field]
            for name, field in self.PROPOSAL_FIELDS.items()
            if cleaned.get(field)
        }
        missing = [name for name in self.PROPOSAL_FIELDS if name not in given]
        for name in missing:
            field = self.PROPOSAL_FIELDS[name]
            if field not in self.errors:
                self.add_error(
                    field, ValidationError(self.fields[field].error_messages["required"])
                )
        # The directory's own rules on what was given: a valid, unused tax number and
        # an unused name.
        organisation = Organisation(**given)
        try:
            organisation.full_clean(
                exclude=[*Organisation.COMPUTED_FIELDS, *missing], validate_constraints=False
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name not in missing:
                    self.add_error(self.PROPOSAL_FIELDS.get(name), messages)
            return
        if not missing:
            cleaned["organisation_name"] = organisation.name
            cleaned["organisation_tax_number"] = organisation.tax_number

    def proposal(self) -> ProposedOrganisation | None:
        if not self.cleaned_data.get("new_organisation"):
            return None
        return ProposedOrganisation(
            **{name: self.cleaned_data[field] for name, field in self.PROPOSAL_FIELDS.items()}
        )


def language_choices():
    return [("", _("The browser's language")), *settings.LANGUAGES]


class ProfileForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Preferred language"), choices=language_choices, required=False
    )
    mail_topics = forms.MultipleChoiceField(
        label=_("Send me an e-mail when"),
        choices=NotificationTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = User
        fields = ("first_name", "last_name", "email", "phone", "language")

    def __init__(self, *args, handler: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["phone"].read_in(phones.region_of(self.instance.organisation))
        self.offered = [
            (topic, label)
            for topic, label in NotificationTopic.choices
            if handler or topic not in HANDLER_TOPICS
        ]
        self.fields["mail_topics"].choices = self.offered
        muted = set(self.instance.muted_topics or [])
        self.initial["mail_topics"] = [
            topic for topic, _label in self.offered if topic not in muted
        ]

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if _email_taken(email, exclude_pk=self.instance.pk):
            raise ValidationError(
                _("A user with this e-mail address already exists."), code="email_taken"
            )
        return email

    def muted_topics(self) -> list[str]:
        """The topics left unticked, and those not offered here keeping their setting."""
        offered = {topic for topic, _label in self.offered}
        chosen = set(self.cleaned_data.get("mail_topics") or [])
        kept = {t for t in (self.instance.muted_topics or []) if t not in offered}
        return sorted(kept | (offered - chosen))


class LocalisedPasswordResetForm(PasswordResetForm):
    """Writes the reset e-mail in the user's preferred language to the outbox: the page
    does no network work, so a mail server neither slows it down nor tells by the delay
    whether the address has an account."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        mail.write(
            to_email,
            subject_template=subject_template_name,
            body_template=email_template_name,
            context=context,
            language=context["user"].language or translation.get_language(),
        )
