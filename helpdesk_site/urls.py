from django.contrib import admin
from django.urls import include, path

from tickets.views import attachment_download

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("tickets/", include("tickets.urls")),
    path("attachments/<int:pk>/", attachment_download, name="attachment"),
    path("privacy/", include("privacy.urls")),
    # The language switcher works on the sign-in page too.
    path("i18n/setlang/", views.switch_language, name="set_language"),
    path("admin/", admin.site.urls),
]
