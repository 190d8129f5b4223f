from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_edit, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/minutes/", views.meeting_minutes, name="minutes"),
    path("<int:pk>/minutes.docx", views.meeting_docx, name="docx"),
    path("<int:pk>/decisions/", views.decision_create, name="decision_create"),
]
