"""The survey page: no sign-in, the signed token is the key. A forged, expired or used
link gets a page that says so, with status 404, 410 or 409, and nothing is stored."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import services, tokens
from .forms import AnswerForm
from .models import Survey


def _refused(request, message: str, status: int):
    return render(request, "satisfaction/refused.html", {"message": message}, status=status)


def _survey(token: str) -> Survey:
    survey_id, key = tokens.read(token)
    survey = Survey.objects.select_related("ticket").filter(pk=survey_id).first()
    if survey is None or survey.key != key:
        raise tokens.Invalid
    return survey


@login_not_required
@never_cache  # the link is a key: no proxy or browser keeps the page
@require_http_methods(["GET", "POST"])
def survey_answer(request, token):
    try:
        survey = _survey(token)
    except tokens.Invalid:
        return _refused(request, _("This survey link is not valid."), 404)
    except tokens.Expired:
        return _refused(request, _("This survey link has expired."), 410)
    if not services.can_change(survey):
        return _refused(request, _("This survey was answered and can no longer be changed."), 409)
    saved = False
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                survey = services.answer(survey, **form.cleaned_data)
            except services.SurveyClosed as error:
                return _refused(request, str(error), 409)
            saved = True
    else:
        initial = {"rating": survey.rating, "comment": survey.comment} if survey.rating else {}
        form = AnswerForm(initial=initial)
    status = 200 if request.method == "GET" or saved else 400
    context = {"survey": survey, "ticket": survey.ticket, "form": form, "saved": saved}
    return render(request, "satisfaction/survey.html", context, status=status)
