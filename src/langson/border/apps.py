from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BorderConfig(AppConfig):
    name = "langson.border"
    label = "border"
    verbose_name = _("Cửa khẩu thông minh")

    def ready(self) -> None:
        from langson.core.models import User
        from langson.core.navigation import NavItem, register
        from langson.core.permissions import grant
        from langson.core.services.jobs import register_schedule

        register_schedule("border.check_clearance", "langson.border.tasks.check_clearance", 5 * 60)
        register(
            NavItem(_("Lô hàng cửa khẩu"), "border:shipments", "border.view_shipment"),
            NavItem(_("Thông quan xe"), "border:clearance", "border.view_truckvisit"),
            after="ioc:reports",
        )
        # Gate officers (and the economic-zone board above them) record and follow their gates' trucks; the
        # organisation tree decides which gates (core.models.scoped). Leaders look.
        watchers = ("border.view_truckvisit", "border.view_clearancebatch")
        recorders = (*watchers, "border.add_truckevent")
        grant(User.Role.DEPARTMENT_OFFICER, *recorders)
        grant(User.Role.OPERATOR, *recorders)
        grant(User.Role.LEADER, *watchers, "border.view_shipment")
        # Businesses declare their shipments' documents and correct what the OCR read; officers look.
        grant(
            User.Role.BUSINESS,
            "border.view_shipment",
            "border.add_shipment",
            "border.add_document",
            "border.add_fieldcorrection",
        )
        grant(User.Role.DEPARTMENT_OFFICER, "border.view_shipment")
        grant(User.Role.OPERATOR, "border.view_shipment")
