"""The secret an authenticator app needs: a QR code, and the same in text to type."""

from base64 import b32encode

import segno
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice


def qr_svg(device: TOTPDevice, *, title: str) -> SafeString:
    """The device's otpauth:// address as an inline <svg> element (no image request, no
    data: address for the Content-Security-Policy to allow)."""
    code = segno.make(device.config_url, error="m")
    # segno writes only its own markup and escapes the title.
    return mark_safe(code.svg_inline(scale=4, title=title, svgclass="twofactor-qr"))  # noqa: S308


def secret_for_typing(device: TOTPDevice) -> str:
    """The base32 secret in groups of four: `ABCD EFGH ...`."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
