from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, post_save
        from simple_history.signals import post_create_historical_record

        from blockers.models import BlockerEvent
        from reports.models import ReportEvent
        from supervision.models import TaskFeedback

        from . import immutability, recording

        post_create_historical_record.connect(recording.on_history, dispatch_uid="audit_history")
        post_save.connect(recording.on_report_event, sender=ReportEvent, dispatch_uid="audit_report_event")
        post_save.connect(recording.on_blocker_event, sender=BlockerEvent, dispatch_uid="audit_blocker_event")
        post_save.connect(recording.on_task_feedback, sender=TaskFeedback, dispatch_uid="audit_task_feedback")
        # A later migration that rebuilds an audited table (SQLite copies it) drops its triggers:
        # every migrate puts them back.
        post_migrate.connect(immutability.on_post_migrate, dispatch_uid="audit_immutability")
