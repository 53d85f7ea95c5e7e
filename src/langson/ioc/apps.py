from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IocConfig(AppConfig):
    name = "langson.ioc"
    label = "ioc"
    verbose_name = _("Trung tâm điều hành thông minh")

    def ready(self) -> None:
        from langson.core.models import User
        from langson.core.navigation import NavItem, register
        from langson.core.permissions import grant
        from langson.core.services.jobs import register_schedule

        register_schedule("ioc.pull_due_sources", "langson.ioc.tasks.pull_due_sources", 60)
        register_schedule("ioc.check_freshness", "langson.ioc.tasks.check_freshness", 15 * 60)
        register_schedule("ioc.lake_maintenance", "langson.ioc.tasks.lake_maintenance", 24 * 3600)
        register_schedule("ioc.compute_app_indicators", "langson.ioc.tasks.compute_app_indicators", 15 * 60)
        register_schedule("ioc.notifications", "langson.ioc.services.notify.deliver_notifications", 60)
        register_schedule("ioc.reports", "langson.ioc.services.reporting.generate_due_reports", 3600)

        from langson.core.services.seed import DEMO_LOADERS
        from langson.ioc.services.demo_data import load_demo

        DEMO_LOADERS.append(load_demo)

        from langson.core.contract import platform_event, platform_event_cleared
        from langson.ioc.services.contract import on_platform_event, on_platform_event_cleared

        platform_event.connect(on_platform_event, dispatch_uid="ioc_platform_event")
        platform_event_cleared.connect(on_platform_event_cleared, dispatch_uid="ioc_platform_event_cleared")
        register(
            NavItem(_("Điều hành"), "ioc:overview", "ioc.view_indicator"),
            NavItem(_("Dữ liệu"), "ioc:datasets", "ioc.view_dataset"),
            NavItem(_("Báo cáo"), "ioc:reports", "ioc.view_report"),
        )
        readers = (
            "ioc.view_dataset",
            "ioc.view_ingestionrun",
            "ioc.view_indicator",
            "ioc.view_alert",
            "ioc.view_report",
        )
        senders = (*readers, "ioc.add_ingestionrun")
        grant(User.Role.LEADER, *readers, "ioc.change_alert", "ioc.add_report")
        grant(User.Role.DEPARTMENT_OFFICER, *senders)
        grant(User.Role.COMMUNE_OFFICER, *senders)
        grant(
            User.Role.OPERATOR,
            *senders,
            "ioc.change_alert",
            "ioc.add_report",
            "ioc.change_dataset",
            "ioc.add_dataset",
            "ioc.view_pullsource",
            "ioc.add_notificationtarget",
            "ioc.change_notificationtarget",
            "ioc.view_notificationtarget",
            "ioc.view_notification",
        )
