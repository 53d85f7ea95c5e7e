from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "langson.ops"
    label = "ops"
    verbose_name = _("Hạ tầng dữ liệu và vận hành")

    def ready(self) -> None:
        # Each part registers its schedules, permissions and menu items in its own module.
        from langson.ops import setup_backup, setup_uptime

        setup_backup.register()
        setup_uptime.register()
