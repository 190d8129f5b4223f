from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.read, name="read"),
    path("badge/", views.badge, name="badge"),
    path("preferences/", views.preferences, name="preferences"),
    path("robots/", views.robots, name="robots"),
    path("robots/<int:pk>/test/", views.robot_send_test, name="robot_test"),
    path("robots/<int:pk>/toggle/", views.robot_toggle, name="robot_toggle"),
    path("deliveries/", views.deliveries, name="deliveries"),
    path("<int:pk>/", views.open_notification, name="open"),
]
