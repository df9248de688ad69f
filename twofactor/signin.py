"""A sign-in between its two steps: the password was right, a code is still owed.

The half-done sign-in is kept in the session, and the user is not signed in until the
code: django-axes clears a user's failures on a sign-in, so a password alone must not
count as one, or it would reset the count of wrong codes.
"""

import time
from urllib.parse import urlencode

import django_otp
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.middleware import set_session_length

PENDING = "twofactor_pending"
# Time allowed between the password and the code.
PENDING_SECONDS = 600


def begin(request, user, *, remember: bool) -> None:
    """The password was right: remember who, until the code comes."""
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        # A password changed in between ends the half-done sign-in.
        "hash": user.get_session_auth_hash(),
        "remember": remember,
        "at": int(time.time()),
    }


def pending_user(request):
    """The user whose password was accepted in this session and who owes a code, or None."""
    data = request.session.get(PENDING)
    if not data or time.time() - data["at"] > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
    if user is None or not constant_time_compare(user.get_session_auth_hash(), data["hash"]):
        return None
    return user


def finish(request, user, device) -> None:
    """Signs `user` in, verified by `device`."""
    data = request.session.pop(PENDING, None)
    if request.user.is_authenticated:
        # A session signed in before, by another way, that owed the code.
        django_otp.login(request, device)
        request.session.cycle_key()
        return
    user.otp_device = device  # django_otp keeps it in the session on user_logged_in
    auth.login(request, user, backend=data["backend"])
    set_session_length(request, remember=data["remember"])


def safe_next(request) -> str:
    """The `next` address when it is on this site, else ""."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else ""


def redirect_with_next(viewname: str, next_url: str = "") -> HttpResponseRedirect:
    url = reverse(viewname)
    if next_url:
        url = f"{url}?{urlencode({'next': next_url})}"
    return HttpResponseRedirect(url)
