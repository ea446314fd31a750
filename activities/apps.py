from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Experience activities")

    def ready(self):
        """Activities add themselves to what the lower apps show; those apps never import this one."""
        from activities.ical import activity_events
        from activities.integrations import (  # noqa: F401 (timeline_entries registers the source)
            release_volunteer_help,
            schedule_section,
            timeline_entries,
        )
        from classroom import extensions

        extensions.register(extensions.CALENDAR_EVENTS, "activities", activity_events, order=50)
        extensions.register(extensions.SCHEDULE_SECTIONS, "activities", schedule_section)
        extensions.register(extensions.VOLUNTEER_RELEASES, "activity_help", release_volunteer_help)
