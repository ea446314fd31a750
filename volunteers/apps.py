from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self):
        """The volunteer access rule joins the role check every view, feed and API endpoint makes."""
        from classroom import rules
        from volunteers.access import access_ended

        if access_ended not in rules.VOLUNTEER_ACCESS_CHECKS:
            rules.VOLUNTEER_ACCESS_CHECKS.append(access_ended)
