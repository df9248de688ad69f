"""The admin site in the user's language: its header, and capital letters as the
language writes them (Turkish "İşlem kayıtları")."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from common.text import capfirst


class HelpdeskAdminSite(admin.AdminSite):
    site_header = format_lazy(
        "{} — {}", _("Problem and Support Notification System"), _("Administration")
    )
    site_title = site_header
    index_title = _("Administration")

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        for app in apps:
            app["name"] = capfirst(app["name"])
            for model in app["models"]:
                model["name"] = capfirst(model["model"]._meta.verbose_name_plural)
        return apps


class HelpdeskAdminConfig(AdminConfig):
    default_site = "helpdesk_site.admin.HelpdeskAdminSite"
