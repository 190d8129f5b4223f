from django.urls import path

from . import views

app_name = "pool"
urlpatterns = [
    path("", views.candidate_list, name="list"),
    path("new/", views.candidate_create, name="create"),
    path("sectors/", views.by_sector, name="sectors"),
    path("units/", views.by_unit, name="units"),
    path("channels/", views.by_channel, name="by_channel"),
    path("growth/", views.growth, name="growth"),
    path("channels/manage/", views.channel_list, name="channels"),
    path("<int:pk>/", views.candidate_detail, name="detail"),
    path("<int:pk>/edit/", views.candidate_edit, name="edit"),
    path("<int:pk>/review/", views.candidate_review, name="review"),
    path("<int:pk>/documents/", views.document_save, name="document"),
    path("<int:pk>/documents/<int:doc_id>/", views.document_download, name="document_download"),
    path("<int:pk>/applications/", views.application_add, name="application"),
    path("<int:pk>/applications/<int:app_id>/delete/", views.application_delete, name="application_delete"),
]
