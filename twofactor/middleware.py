from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .policy import is_required
from .selectors import had_authenticator
from .signin import redirect_with_next

# Open to a signed-in user whatever they owe.
ALWAYS_OPEN = {"logout", "set_language", "healthz"}
SETUP = {"twofactor:setup", "twofactor:confirm"}
# A program talks to these: it gets a JSON 401, not a page to sign in on.
API_PREFIX = "/api/"
# The API's schema and documentation are public: nothing to owe for them.
API_PUBLIC = {"api:schema", "api:docs"}


class SecondStepMiddleware:
    """Until a signed-in session is verified by a code, a user with an authenticator
    reaches only the code step, and a user whose group must use two-factor sign-in
    only its setup (and sign-out, either way). The admin is behind it like any page.

    Verified sessions cost nothing here: OTPMiddleware has already found their device.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        view = request.resolver_match.view_name
        if view in ALWAYS_OPEN or view in API_PUBLIC:
            return None
        if request.path.startswith(API_PREFIX):
            return self._api_refusal(request, user)
        if had_authenticator(user):
            if view == "twofactor:verify":
                return None
            # Back to this page afterwards, unless it was a form sent.
            return redirect_with_next(
                "twofactor:verify", request.get_full_path() if request.method == "GET" else ""
            )
        if is_required(user) and view not in SETUP:
            return redirect("twofactor:setup")
        return None

    def _api_refusal(self, request, user):
        """The API with a session that owes its second step: 401 in JSON (the shape of
        api/errors.py). A bearer token is the API's own sign-in: the session is moot."""
        if request.headers.get("Authorization", "").lower().startswith("bearer "):
            return None
        if had_authenticator(user):
            code, message = (
                "two_factor_required",
                _("Enter the code from your authenticator app on the site first."),
            )
        elif is_required(user):
            code, message = (
                "two_factor_setup_required",
                _("Set up two-factor sign-in on the site first."),
            )
        else:
            return None
        response = JsonResponse({"code": code, "message": message}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response
