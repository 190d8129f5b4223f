from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Key projects")

    def ready(self) -> None:
        from . import baseline
        from .models import Project

        post_save.connect(baseline.record_on_creation, sender=Project, dispatch_uid="projects.baseline")
