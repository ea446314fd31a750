from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Experience activities")

    def ready(self):
        """Activities add themselves to what the lower apps show; those apps never import this one."""
        from activities.ical import activity_events
        from activities.integrations import schedule_section, timeline_entries  # noqa: F401 (registers the source)
        from volunteers import ical
        from volunteers.views import schedule

        if activity_events not in ical.EVENT_SOURCES:
            ical.EVENT_SOURCES.append(activity_events)
        if schedule_section not in schedule.SCHEDULE_SECTIONS:
            schedule.SCHEDULE_SECTIONS.append(schedule_section)
