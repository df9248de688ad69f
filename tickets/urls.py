from django.urls import path

from . import relation_views, views

app_name = "tickets"

urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("export.csv", views.ticket_export, name="export"),
    path("export.xlsx", views.ticket_export_xlsx, name="export_xlsx"),
    path("organisations/", views.organisation_suggestions, name="organisations"),
    path("new/", views.ticket_create, name="create"),
    path("bulk/", views.ticket_bulk, name="bulk"),
    path("searches/", views.saved_search_create, name="save_search"),
    path("searches/<int:pk>/", views.saved_search_open, name="saved_search"),
    path("searches/<int:pk>/delete/", views.saved_search_delete, name="delete_saved_search"),
    path("<int:pk>/", views.ticket_detail, name="detail"),
    path("<int:pk>/documents/", views.ticket_documents, name="documents"),
    path("<int:pk>/reply/", views.ticket_reply, name="reply"),
    path("<int:pk>/request-info/", views.ticket_request_info, name="request_info"),
    path("<int:pk>/redirect/", views.ticket_redirect, name="redirect"),
    path("<int:pk>/assign/", views.ticket_assign, name="assign"),
    path("<int:pk>/priority/", views.ticket_priority, name="priority"),
    path("<int:pk>/resolve/", views.ticket_resolve, name="resolve"),
    path("<int:pk>/reopen/", views.ticket_reopen, name="reopen"),
    path("<int:pk>/close/", views.ticket_confirm, name="confirm"),
    path("<int:pk>/merge/", relation_views.ticket_merge, name="merge"),
    path("<int:pk>/links/", relation_views.ticket_link, name="link"),
    path("<int:pk>/links/<int:other>/delete/", relation_views.ticket_unlink, name="unlink"),
    path("<int:pk>/follow/", relation_views.ticket_follow, name="follow"),
    path("<int:pk>/unfollow/", relation_views.ticket_unfollow, name="unfollow"),
    path("<int:pk>/followers/", relation_views.ticket_add_follower, name="add_follower"),
]
