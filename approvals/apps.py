from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Approvals")

    def ready(self) -> None:
        from reports import warnings

        from . import warnings as approval_warnings

        warnings.register(
            approval_warnings.DEPARTMENT_LATE,
            _("Approval held past its limit"),
            approval_warnings.department_late,
            order=10,
            blocker_kind="approvals",
        )
        warnings.register(
            approval_warnings.OWNER_LATE,
            _("Approval not submitted on time"),
            approval_warnings.owner_late,
            order=11,
            blocker_kind="approvals",
        )
