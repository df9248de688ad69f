"""Sign-in: by username or e-mail address, with django-axes' lockout in front."""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

from . import loading
from .models import User
from .selectors import user_for_login


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out username or address before any password is checked.

    Axes needs the request; a call without one (the test client's `login()`, a shell)
    is not a web sign-in, and the lockout does not apply to it.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class UsernameOrEmailBackend(ModelBackend):
    """The sign-in name may be the username or the e-mail address."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = user_for_login(username)
        if user is None:
            # Hash anyway, so that the time taken does not tell who exists.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The session's user, loaded with what every page asks about them (loading.py)."""
        user = loading.load(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
