from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("Funds")

    def ready(self) -> None:
        from reports import warnings

        from .selectors import WARNING_KIND, funds_warnings

        warnings.register(WARNING_KIND, _("Funds behind"), funds_warnings, order=30, blocker_kind="funds")
