from django.urls import path

from . import views

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
]
