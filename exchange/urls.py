from django.urls import path

from . import export_views, pool_export, views

app_name = "exchange"
urlpatterns = [
    path("", views.import_list, name="imports"),
    path("import/", views.import_upload, name="upload"),
    path("import/<int:pk>/", views.import_preview, name="preview"),
    path("import/<int:pk>/accept/", views.import_accept, name="accept"),
    path("import/<int:pk>/choose/", views.import_choose, name="choose"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="confirm"),
    path("import/<int:pk>/cancel/", views.import_cancel, name="cancel"),
    path("templates/<str:kind>.xlsx", views.template_download, name="template"),
    path("exports/ledger/", export_views.ledger_export_start, name="ledger_export"),
    path("exports/pool.xlsx", pool_export.pool_export, name="pool_export"),
    path("exports/<int:pk>/", export_views.export_status, name="export"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export_download"),
]
