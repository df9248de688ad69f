from django.contrib import admin
from django.urls import include, path

from tickets.views import attachment_download
from twofactor import views as twofactor_views

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    # /healthz and /metrics.
    path("", include("monitoring.urls")),
    # The password, then the code when the user has an authenticator (twofactor/).
    path("accounts/login/", twofactor_views.SignInView.as_view(), name="login"),
    path("accounts/two-factor/", include("twofactor.urls")),
    path("accounts/api-tokens/", include("api.page_urls")),
    path("accounts/", include("accounts.urls")),
    path("tickets/", include("tickets.urls")),
    path("attachments/<int:pk>/", attachment_download, name="attachment"),
    path("privacy/", include("privacy.urls")),
    path("api/v1/", include("api.urls")),
    path("kb/", include("kb.urls")),
    path("exports/", include("exports.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("survey/", include("satisfaction.urls")),
    path("canned/", include("canned.urls")),
    path("webhooks/", include("webhooks.urls")),
    path("mail/", include("mailin.urls")),
    path("cases/", include("cases.urls")),
    # The language switcher works on the sign-in page too.
    path("i18n/setlang/", views.switch_language, name="set_language"),
    # The admin has no sign-in of its own: the site's two steps guard it.
    path("admin/login/", twofactor_views.admin_sign_in),
    path("admin/", admin.site.urls),
]

# Django's own page for a request it cannot read names no reason; ours does.
handler400 = "helpdesk_site.views.bad_request"
# Under /api/ every error is JSON (api/errors.py); elsewhere Django's pages.
handler403 = "api.errors.permission_denied"
handler404 = "api.errors.page_not_found"
handler500 = "api.errors.server_error"
