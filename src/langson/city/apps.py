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
        register_schedule("city.rules", "langson.city.tasks.run_rules_task", 60)  # lighting, faults, levels
        register_schedule("city.air_quality_alerts", "langson.city.tasks_air.evaluate_air_quality", 10 * 60)
        # Pages of parking (public, also in the menu of every signed-in person) and air quality (officials).
        from langson.core.navigation import NavItem, register

        register(
            NavItem(_("Không khí"), "city:air", "core.view_orgunit"),
            NavItem(_("Bãi đỗ xe, chỗ trống"), "city:parking"),
            after="ioc:reports",
        )
        # Gateways post telemetry with an operator account's API key (devices use their own secret).
        grant(User.Role.OPERATOR, "city.add_reading")

        # Device registry, map and commands (views_devices, api_devices, city.registry): the role says what,
        # the organisation tree whose. Technicians are the officers of the owner unit (Sở Xây dựng for the
        # street lights) and the operators; a ward's officers manage the devices their ward owns and see
        # those standing in it. Leaders look.
        from langson.core.services.seed import DEMO_LOADERS

        device_viewers = ("city.view_device", "city.view_command")
        technicians = (*device_viewers, "city.add_device", "city.change_device", "city.add_command")
        grant(User.Role.LEADER, *device_viewers)
        grant(User.Role.DEPARTMENT_OFFICER, *technicians)
        grant(User.Role.COMMUNE_OFFICER, *technicians)
        grant(User.Role.OPERATOR, *technicians)
        register(NavItem(_("Thiết bị đô thị"), "city:devices", "city.view_device"), after="ioc:reports")

        from langson.city.demo import load_city_demo

        DEMO_LOADERS.append(load_city_demo)
