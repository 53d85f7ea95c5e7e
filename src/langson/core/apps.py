from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "langson.core"
    label = "core"
    verbose_name = _("Dữ liệu nền")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from langson.core.models import CalendarOverride, OrgUnit
        from langson.core.services import audit
        from langson.core.services.calendar import forget_calendars

        audit.connect_signals()
        for model in (CalendarOverride, OrgUnit):  # an override, or a unit's Saturday reception
            post_save.connect(
                forget_calendars, sender=model, dispatch_uid=f"forget_calendars_save_{model.__name__}"
            )
            post_delete.connect(
                forget_calendars, sender=model, dispatch_uid=f"forget_calendars_del_{model.__name__}"
            )
