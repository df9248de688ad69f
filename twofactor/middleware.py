from django.shortcuts import redirect

from .policy import is_required
from .selectors import has_authenticator
from .signin import redirect_with_next

# Open to a signed-in user whatever they owe.
ALWAYS_OPEN = {"logout", "set_language", "healthz"}
SETUP = {"twofactor:setup", "twofactor:confirm"}


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
        if view in ALWAYS_OPEN:
            return None
        if has_authenticator(user):
            if view == "twofactor:verify":
                return None
            # Back to this page afterwards, unless it was a form sent.
            return redirect_with_next(
                "twofactor:verify", request.get_full_path() if request.method == "GET" else ""
            )
        if is_required(user) and view not in SETUP:
            return redirect("twofactor:setup")
        return None
