import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils import translation
from django.utils.functional import LazyObject, empty

# Session keys: when the user was last seen, and a note for the sign-in page.
LAST_SEEN = "last_seen"
IDLE_SIGN_OUT = "signed_out_idle"


class UserLanguageMiddleware:
    """Use the signed-in user's preferred language over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user and user.is_authenticated else ""
        if language in self.codes:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


def set_session_length(request, *, remember: bool) -> None:
    """After sign-in: "keep me signed in" keeps the session for SESSION_COOKIE_AGE with no
    idle sign-out; otherwise it ends with the browser or after SESSION_IDLE_TIMEOUT idle."""
    if remember:
        request.session.set_expiry(settings.SESSION_COOKIE_AGE)
        request.session["remember"] = True
    else:
        request.session.set_expiry(0)


def stamp_last_seen(sender, request, user, **kwargs):
    """On sign-in (`user_logged_in`): the idle clock starts now."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())


class IdleTimeoutMiddleware:
    """Signs out a user who made no request for SESSION_IDLE_TIMEOUT seconds.

    The time seen is written at most once a minute, not on every request: a page
    costs no session write. "Keep me signed in" sessions are left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not request.session.get("remember"):
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            timeout = settings.SESSION_IDLE_TIMEOUT
            if last_seen is not None and now - last_seen > timeout:
                logout(request)
                request.session[IDLE_SIGN_OUT] = True
            elif last_seen is None or now - last_seen >= min(60, timeout // 10):
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class PlainUserMiddleware:
    """`request.user` as the user itself rather than the lazy wrappers that
    authentication and two-factor sign-in put around it (one within the other). A page
    reads the user's attributes some hundreds of times, and each read through a wrapper
    fails a lookup first: a twelfth of a ticket's page's Python calls. After
    IdleTimeoutMiddleware, which has loaded the user by then, so nothing is loaded here
    that would not be."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        while isinstance(user, LazyObject) and user._wrapped is not empty:
            user = user._wrapped
        request.user = user
        return self.get_response(request)
