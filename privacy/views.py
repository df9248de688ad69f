"""Pages about personal data: a person's own (the privacy page and the export), and
for supervisors anybody's. Anyone else gets 404 for the latter."""

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from accounts.models import User

from . import export, selectors
from .forms import PeopleSearchForm


def _for_supervisor(request, pk) -> User:
    if not request.user.is_supervisor:
        raise Http404
    return get_object_or_404(User.objects.select_related("organisation"), pk=pk)


def _download(person: User, viewer: User) -> StreamingHttpResponse:
    response = StreamingHttpResponse(export.archive(person, viewer), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export.filename(person)}"'
    # Whatever the middleware does: personal data is never kept by a cache.
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
def privacy_page(request):
    """What the site holds about the signed-in person, their export, how to be erased."""
    user = request.user
    return render(request, "privacy/mine.html", {"summary": selectors.summary(user, user)})


@require_GET
def export_mine(request):
    return _download(request.user, request.user)


@require_GET
def people(request):
    if not request.user.is_supervisor:
        raise Http404
    form = PeopleSearchForm(request.GET)
    found = selectors.people(form.cleaned_data["q"]) if form.is_valid() else []
    return render(request, "privacy/people.html", {"form": form, "people": found})


@require_GET
def person_detail(request, pk):
    person = _for_supervisor(request, pk)
    context = {
        "person": person,
        "summary": selectors.summary(person, request.user),
    }
    return render(request, "privacy/person.html", context)


@require_GET
def person_export(request, pk):
    return _download(_for_supervisor(request, pk), request.user)
