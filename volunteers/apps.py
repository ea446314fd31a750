from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self):
        """The volunteer's own class days are the first events of their calendar feed; the rest of
        what volunteers add to classroom's pages is in ``volunteers.integrations``."""
        from classroom import extensions
        from volunteers import integrations
        from volunteers.ical import class_day_events

        # The volunteer's own events in their feed (others' come through the same point).
        extensions.register(extensions.CALENDAR_EVENTS, "class_days", class_day_events, order=10)
        integrations.register()
