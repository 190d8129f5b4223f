from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaintenanceConfig(AppConfig):
    """Backups that restore (docs/backup.md): `manage.py backup`, `manage.py restore` and the nightly job."""

    name = "maintenance"
    verbose_name = _("Maintenance")
