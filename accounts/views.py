import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from categories.models import Category
from categories.selectors import handles_tickets

from . import services
from .forms import LocalisedPasswordResetForm, ProfileForm, RegistrationForm, SignInForm
from .middleware import IDLE_SIGN_OUT, set_session_length
from .models import User
from .selectors import organisation_directory
from .throttle import allow, client_address

logger = logging.getLogger(__name__)

TOO_MANY = gettext_lazy("Too many attempts from your address. Please wait an hour and try again.")


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    """Django's sign-in, with "keep me signed in" and the idle sign-out notice."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        set_session_length(self.request, remember=bool(form.cleaned_data.get("remember")))
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["signed_out_idle"] = self.request.session.pop(IDLE_SIGN_OUT, False)
        return context


@login_not_required
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not allow(
            "register", client_address(request), limit=settings.HELPDESK_REGISTRATION_LIMIT
        ):
            form.is_valid()  # keeps what was typed on the page
            form.add_error(None, ValidationError(TOO_MANY, code="throttled"))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            # Enough mail to one inbox: say the usual thing, do nothing.
            if allow(
                "register-email",
                data["email"].casefold(),
                limit=settings.HELPDESK_REGISTRATION_LIMIT,
            ):
                services.register(
                    username=data["username"],
                    email=data["email"],
                    password=data["password1"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    phone=data["phone"],
                    organisation=data["organisation"],
                    proposal=form.proposal(),
                    language=translation.get_language(),
                    base_url=_base_url(request),
                )
            else:
                # Said to nobody but the operator: whoever tries to flood an inbox.
                logger.warning(
                    "Registration for an address over its hourly limit, from %s: dropped",
                    client_address(request),
                )
            # The same answer whether or not the username or the address was taken:
            # the applicant learns that by mail.
            return redirect("register_done")
    return render(request, "accounts/register.html", {"form": form}, status=status)


@login_not_required
def register_done(request):
    return render(request, "accounts/register_done.html")


def profile(request):
    user = request.user
    handler = handles_tickets(user)
    # A copy: a refused form must not change the name shown in the menu.
    form = ProfileForm(request.POST or None, instance=User.objects.get(pk=user.pk), handler=handler)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_profile(
            user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            language=data["language"],
            muted_topics=form.muted_topics(),
        )
        messages.success(request, _("Your profile was saved."))
        return redirect("profile")
    teams = Category.objects.filter(responsibles=user).order_by("name")
    # "Responsible" is being on a category's team, which the role field does not say.
    role = _("Responsible") if handler and not user.is_supervisor else user.get_role_display()
    return render(request, "accounts/profile.html", {"form": form, "teams": teams, "role": role})


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("profile")
    success_message = gettext_lazy("Your password was changed.")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, rate-limited per visitor address and per address asked for.

    The answer is the same whether or not the address belongs to someone.
    """

    form_class = LocalisedPasswordResetForm

    def post(self, request, *args, **kwargs):
        if not allow(
            "reset", client_address(request), limit=settings.HELPDESK_PASSWORD_RESET_LIMIT
        ):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, ValidationError(TOO_MANY, code="throttled"))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"].casefold()
        if not allow("reset-email", email, limit=settings.HELPDESK_PASSWORD_RESET_LIMIT):
            # Enough mail to one inbox: say the usual thing, send nothing.
            return redirect(self.get_success_url())
        return super().form_valid(form)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The page the e-mailed link opens, in the language the user chose."""

    def dispatch(self, *args, **kwargs):
        response = super().dispatch(*args, **kwargs)
        language = getattr(getattr(self, "user", None), "language", "")
        if language in dict(settings.LANGUAGES):
            # The response renders after this, so it is written in that language.
            translation.activate(language)
            self.request.LANGUAGE_CODE = language
        return response


def directory(request):
    """The organisation tree for supervisors: who is who, and how to reach them."""
    if not request.user.is_supervisor:
        raise Http404
    return render(request, "accounts/directory.html", {"rows": organisation_directory()})
