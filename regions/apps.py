from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regions")

    def ready(self) -> None:
        from lib import lookups  # noqa: PLC0415 — lib is below every app; installed once apps are ready

        lookups.register()
