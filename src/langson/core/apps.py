from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "langson.core"
    label = "core"
    verbose_name = _("Dữ liệu nền")

    def ready(self) -> None:
        from langson.core.services import audit

        audit.connect_signals()
