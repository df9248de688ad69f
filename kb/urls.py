from django.urls import path

from . import views

app_name = "kb"

urlpatterns = [
    path("", views.kb_index, name="index"),
    path("suggest/", views.kb_suggest, name="suggest"),
    path("new/", views.article_create, name="create"),
    path("files/<int:pk>/", views.file_download, name="file"),
    path("<slug:slug>/", views.article_detail, name="article"),
    path("<slug:slug>/vote/", views.article_vote, name="vote"),
    path("<slug:slug>/edit/", views.article_edit, name="edit"),
    path("<slug:slug>/history/", views.article_history, name="history"),
    path("<slug:slug>/files/", views.article_upload, name="upload"),
]
