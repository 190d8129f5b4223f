from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BattlemapConfig(AppConfig):
    name = "battlemap"
    verbose_name = _("Battle map")
