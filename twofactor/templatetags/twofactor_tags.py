from django import template

from ..forms import TurnOffForm
from ..policy import is_required
from ..selectors import authenticator, recovery_codes_left

register = template.Library()


@register.inclusion_tag("twofactor/_profile_panel.html", takes_context=True)
def two_factor_panel(context):
    """The profile page's "Two-factor sign-in" section for the signed-in user."""
    user = context["request"].user
    device = authenticator(user)
    return {
        "csrf_token": context.get("csrf_token"),
        "device": device,
        "codes_left": recovery_codes_left(user) if device else 0,
        "required": is_required(user),
        "turn_off_form": TurnOffForm(),
    }
