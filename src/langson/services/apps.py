from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "langson.services"
    label = "services"
    verbose_name = _("Dịch vụ công một cửa")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from langson.core.models import User
        from langson.core.navigation import NavItem, register
        from langson.core.permissions import grant
        from langson.core.services.jobs import register_schedule
        from langson.core.services.seed import REFERENCE_LOADERS
        from langson.services.catalog import load_procedures
        from langson.services.models import DossierEvent
        from langson.services.notify_applicant import on_event_saved

        register_schedule("services.check_deadlines", "langson.services.tasks.check_deadlines", 15 * 60)
        register_schedule(
            "services.applicant_messages", "langson.services.notify_applicant.deliver_applicant_messages", 60
        )
        # The applicant's e-mail / SMS notices are queued in the transaction of each announced step.
        post_save.connect(on_event_saved, sender=DossierEvent, dispatch_uid="services_notify_applicant")

        register(
            NavItem(_("Dịch vụ công"), "services:catalog", "services.view_procedure"),
            NavItem(_("Hồ sơ của tôi"), "services:my-dossiers", "services.add_dossier"),
            NavItem(_("Một cửa"), "services:inbox", "services.view_dossier"),
            after="ioc:reports",
        )
        # People and businesses submit and follow their own hồ sơ; officers work on those of their units.
        grant(User.Role.CITIZEN, "services.view_procedure", "services.add_dossier")
        grant(User.Role.BUSINESS, "services.view_procedure", "services.add_dossier")
        officers = ("services.view_procedure", "services.view_dossier", "services.change_dossier")
        grant(User.Role.COMMUNE_OFFICER, *officers)
        grant(User.Role.DEPARTMENT_OFFICER, *officers)
        grant(User.Role.OPERATOR, *officers, "services.add_procedure", "services.change_procedure")
        grant(User.Role.LEADER, "services.view_procedure", "services.view_dossier")
        # The procedure catalog is reference data (sample until the province's official list replaces it).
        if load_procedures not in REFERENCE_LOADERS:
            REFERENCE_LOADERS.append(load_procedures)
