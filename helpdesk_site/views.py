from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import TooManyFilesSent
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET
from django.views.i18n import set_language

from api import errors as api_errors
from tickets import uploads


@login_not_required
@require_GET
def home(request):
    return redirect("tickets:list" if request.user.is_authenticated else "login")


@login_not_required
def switch_language(request):
    """Django's set_language; a signed-in user's choice also becomes their preference,
    which otherwise would win over the switcher on the next page."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
    ):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


@requires_csrf_token
def bad_request(request, exception):
    """The 400 page (`handler400`): says why when it was the size or the number of the
    documents sent; 413 for the size. Under /api/, the same as JSON."""
    if api_errors.is_api(request):
        return api_errors.bad_request(request, exception)
    if isinstance(exception, uploads.RequestTooLarge):
        message, status = exception.message, 413
    elif isinstance(exception, TooManyFilesSent):
        message, status = uploads.too_many_files(), 400
    else:
        message, status = _("The request could not be read. Please try again."), 400
    return render(request, "400.html", {"message": message}, status=status)
