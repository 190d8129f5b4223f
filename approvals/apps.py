from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Approvals")

    def ready(self) -> None:
        from pool import readiness as pool_readiness
        from pool.models import Candidate
        from pool.signals import candidate_promoted
        from reports import warnings

        from . import services
        from . import warnings as approval_warnings
        from .readiness import missing

        # The reserve pool's pages say what a candidate lacks to start, by the one rule (readiness).
        pool_readiness.provide(lambda candidates: missing(candidates, of="candidate"))

        def follow(sender, candidate, project, **kwargs) -> None:
            services.nodes_follow_promotion(candidate=candidate, project=project)

        candidate_promoted.connect(
            follow, sender=Candidate, dispatch_uid="approvals_follow_promotion", weak=False
        )

        warnings.register(
            approval_warnings.DEPARTMENT_LATE,
            _("Approval held past its limit"),
            approval_warnings.late,
            order=10,
            blocker_kind="approvals",
        )
        warnings.register(
            approval_warnings.OWNER_LATE,
            _("Approval not submitted on time"),
            None,  # yielded by approval_warnings.late with the department's
            order=11,
            blocker_kind="approvals",
        )
