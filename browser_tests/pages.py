"""What the browser tests share: the demo password, window sizes, signing in, messages."""

import re
from pathlib import Path

from django.utils import translation

# axe-core 4.14.1 (MPL-2.0), from `npm pack axe-core@4.14.1`: package/axe.min.js.
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
PASSWORD = "demo12345"  # noqa: S105 - the demo users' documented password
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
SOLAR_HIJRI_DATE = re.compile(
    r"^[۰-۹]{1,2} (فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند)"
    r" [۰-۹]{4} [۰-۹]{2}:[۰-۹]{2}$"
)


def sign_in(page, username):
    """Sign in through the form, as a person does; lands on the list."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/tickets/")


def t(language, text, context=None):
    """A message in `language`, as the page shows it."""
    with translation.override(language):
        if context:
            return translation.pgettext(context, text)
        return translation.gettext(text)
