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

        register(
            NavItem(_("Điều hành"), "ioc:overview", "ioc.view_indicator"),
            NavItem(_("Dữ liệu"), "ioc:datasets", "ioc.view_dataset"),
        )
        readers = ("ioc.view_dataset", "ioc.view_ingestionrun", "ioc.view_indicator", "ioc.view_alert")
        senders = (*readers, "ioc.add_ingestionrun")
        grant(User.Role.LEADER, *readers, "ioc.change_alert")
        grant(User.Role.DEPARTMENT_OFFICER, *senders)
        grant(User.Role.COMMUNE_OFFICER, *senders)
        grant(
            User.Role.OPERATOR,
            *senders,
            "ioc.change_alert",
            "ioc.change_dataset",
            "ioc.add_dataset",
            "ioc.view_pullsource",
        )
