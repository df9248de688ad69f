"""Pages about personal data: a person's own (the privacy page and the export), and
for supervisors anybody's (export, erasure). Anyone else gets 404 for the latter."""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from common import storage

from . import export, selectors, services
from .forms import ErasureForm, PeopleSearchForm
from .models import Erasure

logger = logging.getLogger(__name__)


def _for_supervisor(request, pk) -> User:
    if not request.user.is_supervisor:
        raise Http404
    return get_object_or_404(User.objects.select_related("organisation"), pk=pk)


def _download(request, person: User, viewer: User):
    # The archive carries the documents: with their store down it would break midway.
    try:
        storage.probe(default_storage)
    except storage.STORE_ERRORS:
        logger.exception("The document store did not answer; no export for #%s.", person.pk)
        message = _("The documents cannot be fetched just now. Try again in a few minutes.")
        return render(request, "503.html", {"message": message}, status=503)
    response = StreamingHttpResponse(export.archive(person, viewer), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export.filename(person)}"'
    # Whatever the middleware does: personal data is never kept by a cache.
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
def privacy_page(request):
    """What the site holds about the signed-in person, their export, how to be erased."""
    user = request.user
    context = {
        "summary": selectors.summary(user, user),
        "retention_days": settings.HELPDESK_RETENTION_DAYS,
    }
    return render(request, "privacy/mine.html", context)


@require_GET
def export_mine(request):
    return _download(request, request.user, request.user)


@require_GET
def people(request):
    if not request.user.is_supervisor:
        raise Http404
    form = PeopleSearchForm(request.GET)
    found = selectors.people(form.cleaned_data["q"]) if form.is_valid() else []
    return render(request, "privacy/people.html", {"form": form, "people": found})


def _erasure(person: User) -> Erasure | None:
    return Erasure.objects.select_related("by").filter(person=person).first()


@require_GET
def person_detail(request, pk):
    person = _for_supervisor(request, pk)
    context = {
        "person": person,
        "summary": selectors.summary(person, request.user),
        "erasure": _erasure(person),
    }
    return render(request, "privacy/person.html", context)


@require_GET
def person_export(request, pk):
    return _download(request, _for_supervisor(request, pk), request.user)


@require_http_methods(["GET", "POST"])
def person_erase(request, pk):
    """The confirm page, and its POST: the supervisor decides whether the text goes."""
    person = _for_supervisor(request, pk)
    # Bound on any POST: an unticked box posts nothing at all.
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            erasure = services.erase(
                person, by=request.user, redact_text=form.cleaned_data["redact_text"]
            )
        except services.ErasureError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The personal data was erased; the account is now shown as %(name)s.")
                % {"name": erasure.person.display_name()},
            )
            return redirect("privacy:person", pk=person.pk)
    context = {
        "person": person,
        "form": form,
        "erasure": _erasure(person),
        "refusal": services.refusal(person, by=request.user),
        "summary": selectors.summary(person, request.user),
    }
    return render(request, "privacy/erase.html", context)
