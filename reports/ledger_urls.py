"""The ledger, at /projects/ beside the project pages (keyproj/urls.py)."""

from django.urls import path

from . import ledger

app_name = "ledger"
urlpatterns = [
    path("", ledger.ledger, name="list"),
    path("export.xlsx", ledger.ledger_export, name="export"),
]
