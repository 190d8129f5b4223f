from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/export.xlsx", views.task_export, name="task_export"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/mine/", views.my_tasks, name="my_tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/feedback/", views.task_feedback, name="task_feedback"),
    path("tasks/<int:pk>/report/", views.task_report, name="task_report"),
    path("tasks/<int:pk>/verify/", views.task_verify, name="task_verify"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/new/", views.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/photos/<int:photo_id>/", views.inspection_photo, name="inspection_photo"),
]
