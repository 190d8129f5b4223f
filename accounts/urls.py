from django.urls import path

from . import otp_views, views

app_name = "accounts"
urlpatterns = [
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_edit, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path("units/", views.unit_list, name="units"),
    path("units/new/", views.unit_edit, name="unit_create"),
    path("units/<int:pk>/", views.unit_edit, name="unit_edit"),
    path("login-log/", views.login_log, name="login_log"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("security/", views.security, name="security"),
    path("users/<int:pk>/otp-reset/", views.otp_reset, name="otp_reset"),
    path("two-factor/", otp_views.otp_enrol, name="otp_enrol"),
    path("two-factor/code/", otp_views.otp_verify, name="otp_verify"),
]
