from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MilestonesConfig(AppConfig):
    name = "milestones"
    verbose_name = _("Milestones")

    def ready(self) -> None:
        from reports import warnings

        from .selectors import WARNING_KIND, milestone_warnings

        warnings.register(WARNING_KIND, _("Milestone slipped"), milestone_warnings, order=40)
