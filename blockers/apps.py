from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlockersConfig(AppConfig):
    name = "blockers"
    verbose_name = _("Blockers")

    def ready(self) -> None:
        from . import notices

        notices.connect()
