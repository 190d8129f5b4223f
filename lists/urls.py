from django.urls import path

from . import views

app_name = "lists"
urlpatterns = [
    path("", views.list_index, name="index"),
    path("<int:year>/", views.list_detail, name="detail"),
    path("<int:year>/add/", views.list_add, name="add"),
    path("<int:year>/compare/", views.list_compare, name="compare"),
    path("<int:year>/publish/", views.list_publish, name="publish"),
    path("<int:year>/export.xlsx", views.list_export, name="export"),
    path("<int:year>/entries/<int:pk>/", views.entry_row, name="entry"),
    path("<int:year>/entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("<int:year>/entries/<int:pk>/remove/", views.entry_remove, name="entry_remove"),
]
