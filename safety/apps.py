from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "safety"
    verbose_name = _("Quality and safety")

    def ready(self) -> None:
        from reports import warnings

        from .selectors import WARNING_KIND, hazard_warnings

        warnings.register(
            WARNING_KIND,
            _("Major hazard open"),
            hazard_warnings,
            order=35,
            blocker_kind="construction",
            list_url="safety:major",
        )
