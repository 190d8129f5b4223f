from django.urls import path

from . import files, views

app_name = "approvals"
urlpatterns = [
    path("", views.register, name="register"),
    path("export.xlsx", views.register_export, name="export"),
    path("departments/", views.departments, name="departments"),
    path("departments/export.xlsx", views.departments_export, name="departments_export"),
    path("templates/", views.templates, name="templates"),
    path("templates/<int:pk>/delete/", views.template_delete, name="template_delete"),
    path("project/<int:pk>/", views.plan, name="plan"),
    path("project/<int:pk>/apply/", views.apply_template, name="apply"),
    path("project/<int:pk>/add/", views.node_add, name="node_add"),
    path("candidate/<int:pk>/", views.candidate_plan, name="candidate_plan"),
    path("candidate/<int:pk>/apply/", views.candidate_apply_template, name="candidate_apply"),
    path("candidate/<int:pk>/add/", views.candidate_node_add, name="candidate_node_add"),
    path("node/<int:pk>/edit/", views.node_edit, name="node_edit"),
    path("node/<int:pk>/delete/", views.node_delete, name="node_delete"),
    path("node/<int:pk>/record/", views.node_record, name="node_record"),
    path("node/<int:pk>/suspend/", views.suspension_add, name="suspend"),
    path("node/<int:pk>/attachment/", files.attachment, name="attachment"),
    path("suspension/<int:pk>/delete/", views.suspension_delete, name="suspension_delete"),
]
