from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandConfig(AppConfig):
    name = "land"
    verbose_name = _("Land acquisition")

    def ready(self) -> None:
        from reports import warnings

        from .selectors import WARNING_KIND, land_warnings

        warnings.register(WARNING_KIND, _("Land behind"), land_warnings, order=20, blocker_kind="land")
