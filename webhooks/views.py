"""The supervisors' webhook pages: their hooks, a new one, and each hook's delivery log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .forms import WebhookForm
from .models import Webhook

LOG_SIZE = 50


def _supervisor(request):
    if not request.user.is_supervisor:
        raise PermissionDenied


def _own(request, pk) -> Webhook:
    _supervisor(request)
    return get_object_or_404(Webhook, pk=pk, owner=request.user)


@require_http_methods(["GET", "POST"])
def webhook_list(request):
    _supervisor(request)
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hook = services.create(by=request.user, form=form)
        messages.success(request, _("The webhook %(name)s was created.") % {"name": hook.name})
        return redirect(hook)
    hooks = Webhook.objects.filter(owner=request.user).prefetch_related("categories")
    return render(request, "webhooks/list.html", {"form": form, "hooks": hooks})


def _detail(request, hook, form=None):
    deliveries = hook.deliveries.order_by("-created_at", "-pk").prefetch_related("tries")
    context = {
        "hook": hook,
        "deliveries": deliveries[:LOG_SIZE],
        "form": form or WebhookForm(instance=hook, prefix="edit"),
    }
    return render(request, "webhooks/detail.html", context)


@require_http_methods(["GET", "POST"])
def webhook_detail(request, pk):
    """The hook, its log, and the form that changes its address, events and scope."""
    hook = _own(request, pk)
    if request.method == "GET":
        return _detail(request, hook)
    form = WebhookForm(request.POST, instance=hook, prefix="edit")
    if not form.is_valid():
        return _detail(request, hook, form)
    services.update(form=form)
    messages.success(request, _("The webhook %(name)s was saved.") % {"name": hook.name})
    return redirect(hook)


@require_POST
def webhook_new_secret(request, pk):
    """A new signing secret, e.g. when the old one may have leaked; the old one stops."""
    services.new_secret(_own(request, pk))
    messages.success(request, _("The webhook has a new signing secret."))
    return redirect("webhooks:detail", pk=pk)


@require_POST
def webhook_enable(request, pk):
    services.set_active(_own(request, pk), active=True)
    return redirect("webhooks:detail", pk=pk)


@require_POST
def webhook_disable(request, pk):
    services.set_active(_own(request, pk), active=False)
    return redirect("webhooks:detail", pk=pk)


@require_POST
def webhook_delete(request, pk):
    hook = _own(request, pk)
    hook.delete()
    messages.success(request, _("The webhook %(name)s was deleted.") % {"name": hook.name})
    return redirect("webhooks:list")
