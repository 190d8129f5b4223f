from django.urls import path

from . import views

app_name = "cadence"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("weekly/", views.weekly, name="weekly"),
    path("monthly/", views.monthly, name="monthly"),
    path("quarterly/", views.quarterly, name="quarterly"),
    path("<int:pk>/download/", views.download, name="download"),
    path("minutes/<int:pk>/", views.minutes, name="minutes"),
    path("minutes/<int:pk>/docx/", views.minutes_download, name="minutes_docx"),
    path("minutes/<int:pk>/issue/", views.minutes_issue_view, name="minutes_issue"),
]
