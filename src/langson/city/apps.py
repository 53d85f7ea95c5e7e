from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CityConfig(AppConfig):
    name = "langson.city"
    label = "city"
    verbose_name = _("Đô thị thông minh")

    def ready(self) -> None:
        from langson.core.models import User
        from langson.core.permissions import grant
        from langson.core.services.jobs import register_schedule

        register_schedule("city.export_readings", "langson.city.ingest.lake.export_readings_task", 5 * 60)
        # Gateways post telemetry with an operator account's API key (devices use their own secret).
        grant(User.Role.OPERATOR, "city.add_reading")
