"""The profile's token page: list, create (the token shown once), revoke."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import tokens
from .forms import TokenForm
from .models import ApiToken


def _page(request, form, new_token="", status=200):
    rows = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": rows, "new_token": new_token},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _row, token = tokens.create(
            request.user, name=data["name"], days=data["days"], scope=data["scope"]
        )
        # Rendered, not redirected: the token is shown this once and stored nowhere.
        return _page(request, TokenForm(), new_token=token, status=201)
    return _page(request, form)


@require_POST
def token_revoke(request, pk):
    row = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.revoke(row, by=request.user)
    messages.success(request, _("The token %(name)s was revoked.") % {"name": row.name})
    return redirect("api_tokens:list")
