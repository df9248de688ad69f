import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import views as accounts_views

from . import lockout, services, signin
from .forms import CodeForm, TurnOffForm
from .qr import qr_svg, secret_for_typing
from .selectors import authenticator, has_authenticator
from .services import TwoFactorError


@method_decorator(login_not_required, name="dispatch")
class SignInView(accounts_views.SignInView):
    """The password step; a user with an authenticator goes on to the code step."""

    def form_valid(self, form):
        user = form.get_user()
        if not has_authenticator(user):
            return super().form_valid(form)
        signin.begin(self.request, user, remember=bool(form.cleaned_data.get("remember")))
        return signin.redirect_with_next("twofactor:verify", self.get_redirect_url())


@login_not_required
@never_cache
@sensitive_post_parameters("code")
def verify(request):
    """The second step: a code from the app, or a recovery code, then signed in."""
    next_url = signin.safe_next(request)
    if request.user.is_authenticated:
        user = request.user
        if user.is_verified() or not has_authenticator(user):
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    else:
        user = signin.pending_user(request)
        if user is None:
            messages.info(request, _("Please sign in with your password first."))
            return signin.redirect_with_next("login", next_url)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and lockout.locked_out(request, user):
        pass  # AxesMiddleware answers with the lockout page instead
    elif request.method == "POST" and form.is_valid() and not lockout.claim_try(user):
        form.add_error("code", _too_many_codes())
        status = 429
    elif request.method == "POST" and form.is_valid():
        device = services.verify_code(user, form.cleaned_data["code"])
        if device is not None:
            lockout.forgive(user)
            signin.finish(request, user, device)
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        lockout.count_failure(request, user)
        form.add_error(
            "code",
            _("That code is not right, or it was used already. Please type the code shown now."),
        )
    return render(request, "twofactor/verify.html", {"form": form, "next": next_url}, status=status)


def _too_many_codes() -> str:
    minutes = lockout.wait_minutes()
    return ngettext(
        "Too many wrong codes were typed for this account. Please try again in %(minutes)d "
        "minute at most.",
        "Too many wrong codes were typed for this account. Please try again in %(minutes)d "
        "minutes at most.",
        minutes,
    ) % {"minutes": minutes}


@never_cache
def setup(request):
    """The setup page; POST starts it with a new secret."""
    if request.method == "POST":
        try:
            services.start_setup(request.user)
        except TwoFactorError as error:
            messages.error(request, str(error))
            return redirect("profile")
        return redirect("twofactor:setup")
    if has_authenticator(request.user):
        messages.info(request, _("Two-factor sign-in is already on."))
        return redirect("profile")
    form = CodeForm(recovery=False)
    return _render_setup(request, authenticator(request.user, confirmed=False), form)


def _render_setup(request, device, form):
    context = {"device": device, "form": form}
    if device is not None:
        context["qr"] = qr_svg(device, title=_("QR code for your authenticator app"))
        context["secret"] = secret_for_typing(device)
    return render(request, "twofactor/setup.html", context)


@require_POST
@never_cache
@sensitive_post_parameters("code")
def confirm(request):
    """The first code from the app turns two-factor sign-in on; the recovery codes follow."""
    device = authenticator(request.user, confirmed=False)
    if device is None:
        messages.error(request, _("Please start the setup again."))
        return redirect("twofactor:setup")
    form = CodeForm(request.POST, recovery=False)
    if form.is_valid():
        try:
            codes = services.confirm_setup(device, code=form.cleaned_data["code"])
        except TwoFactorError as error:
            form.add_error("code", str(error))
        else:
            # This session has just shown it holds the app: a new key for a new standing.
            request.session.cycle_key()
            django_otp.login(request, device)
            messages.success(request, _("Two-factor sign-in is on."))
            return _render_codes(request, codes)
    return _render_setup(request, device, form)


@require_POST
@never_cache
def recovery_codes(request):
    """New recovery codes, shown once; the old ones stop working."""
    try:
        codes = services.new_recovery_codes(request.user)
    except TwoFactorError as error:
        messages.error(request, str(error))
        return redirect("profile")
    return _render_codes(request, codes)


def _render_codes(request, codes):
    # Shown in the answer to the POST, never stored for a later page: once only.
    return render(request, "twofactor/recovery_codes.html", {"codes": codes})


@require_POST
@sensitive_post_parameters("password", "code")
def turn_off(request):
    """Turns two-factor sign-in off, with the password or a current code."""
    user = request.user
    form = TurnOffForm(request.POST)
    if lockout.locked_out(request, user):
        return redirect("profile")  # replaced by the lockout page
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("profile")
    if not lockout.claim_try(user):
        messages.error(request, _too_many_codes())
        return redirect("profile")
    password, code = form.cleaned_data["password"], form.cleaned_data["code"]
    if (password and user.check_password(password)) or (
        code and services.verify_code(user, code) is not None
    ):
        lockout.forgive(user)
        services.turn_off(user)
        messages.success(request, _("Two-factor sign-in is off."))
        return redirect("profile")
    # Someone at an unattended, signed-in computer must not guess the password here.
    lockout.count_failure(request, user)
    messages.error(
        request, _("The password or the code is not right: two-factor sign-in stays on.")
    )
    return redirect("profile")


@login_not_required
def admin_sign_in(request):
    """The admin's own sign-in would skip the code: it sends to the site's, then back.
    Somebody signed in who is not staff has nothing there: to the site's home."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    return signin.redirect_with_next("login", request.GET.get("next") or reverse("admin:index"))
