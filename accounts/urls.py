from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

# /accounts/login/ is in the site's URL map: the password step here, with the code step
# of two-factor sign-in after it.
urlpatterns = [
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("register/done/", views.register_done, name="register_done"),
    path("profile/", views.profile, name="profile"),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("directory/", views.directory, name="directory"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
