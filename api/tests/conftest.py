import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api import tokens
from api.models import Scope


@pytest.fixture(autouse=True)
def _own_cache(settings):
    # Each test counts its requests afresh (throttling), in memory of this process.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"}
    }
    cache.clear()


@pytest.fixture
def api():
    """`api(user)`: a client sending a fresh read-and-write token of `user`
    (`scope=Scope.READ` for a read-only one); `api()`: one with no token."""

    def client_for(user=None, *, scope=Scope.READ_WRITE, days=30):
        client = APIClient()
        if user is not None:
            row, token = tokens.create(user, name="test", days=days, scope=scope)
            client.token_row, client.token = row, token
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {client.token}")
        return client

    return client_for
