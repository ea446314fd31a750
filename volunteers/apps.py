from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self):
        """The volunteer access rule joins the role check every view, feed and API endpoint makes."""
        from classroom import extensions, rules
        from volunteers.access import access_ended
        from volunteers.ical import class_day_events

        if access_ended not in rules.VOLUNTEER_ACCESS_CHECKS:
            rules.VOLUNTEER_ACCESS_CHECKS.append(access_ended)
        # The volunteer's own events in their feed (others' come through the same point).
        extensions.register(extensions.CALENDAR_EVENTS, "class_days", class_day_events, order=10)
