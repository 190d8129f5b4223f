from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorksConfig(AppConfig):
    name = "works"
    verbose_name = _("Works")

    def ready(self) -> None:
        from reports import warnings as registry

        from . import warnings

        registry.register(
            warnings.NO_CONTRACT, _("Started without a contract"), warnings.no_contract_or_late, order=45
        )
        registry.register(
            warnings.ABOVE_BUDGET, _("Contract above ceiling price"), warnings.above_budget, order=46
        )
        # Yielded by no_contract_or_late with tender_no_contract (one read of the year plans).
        registry.register(warnings.LATE, _("Tender late"), None, order=47)
