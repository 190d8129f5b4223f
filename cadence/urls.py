from django.urls import path

from . import views

app_name = "cadence"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("weekly/", views.weekly, name="weekly"),
    path("monthly/", views.monthly, name="monthly"),
    path("quarterly/", views.quarterly, name="quarterly"),
    path("<int:pk>/download/", views.download, name="download"),
]
