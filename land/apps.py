from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandConfig(AppConfig):
    name = "land"
    verbose_name = _("Land acquisition")

    def ready(self) -> None:
        from pool.models import Candidate
        from pool.signals import candidate_promoted
        from reports import warnings

        from . import services
        from .selectors import WARNING_KIND, land_warnings

        def follow(sender, candidate, project, **kwargs) -> None:
            services.plans_follow_promotion(candidate=candidate, project=project)

        candidate_promoted.connect(follow, sender=Candidate, dispatch_uid="land_follow_promotion", weak=False)

        warnings.register(WARNING_KIND, _("Land behind"), land_warnings, order=20, blocker_kind="land")
