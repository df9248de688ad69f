"""/api/v1/: each route answers with or without its final slash (a program that
leaves it off gets the answer, not a redirect that drops its POST)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from . import views

app_name = "api"


def route(pattern: str, view, name: str):
    # DRF authenticates (token or session) and answers 401 itself: the site's
    # sign-in redirect does not apply here.
    return re_path(rf"^{pattern}/?$", login_not_required(view), name=name)


class Schema(SpectacularAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]


class Docs(SpectacularSwaggerSplitView):
    authentication_classes = []
    permission_classes = [AllowAny]
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"


urlpatterns = [
    route("schema", Schema.as_view(), "schema"),
    route("docs", Docs.as_view(), "docs"),
    route("me", views.Me.as_view(), "me"),
    route("tickets", views.TicketList.as_view(), "tickets"),
    route(r"tickets/(?P<pk>[0-9]{1,18})", views.TicketDetail.as_view(), "ticket"),
    route(
        r"tickets/(?P<pk>[0-9]{1,18})/attachments",
        views.TicketDocuments.as_view(),
        "ticket_documents",
    ),
    *(
        route(rf"tickets/(?P<pk>[0-9]{{1,18}})/{name}", view.as_view(), f"ticket_{name}")
        for name, view in views.TICKET_ACTIONS.items()
    ),
    route(r"attachments/(?P<pk>[0-9]{1,18})", views.AttachmentDownload.as_view(), "attachment"),
    route("categories", views.CategoryList.as_view(), "categories"),
    route(r"categories/(?P<pk>[0-9]{1,18})/team", views.CategoryTeam.as_view(), "category_team"),
    route("kinds", views.KindList.as_view(), "kinds"),
    route("organisations", views.OrganisationList.as_view(), "organisations"),
]
