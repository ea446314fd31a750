from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """The report to the city: figures per fiscal year and month, read from every other app.

    The top of the house: it imports classroom, casework, volunteers and activities, and none of
    them imports it. It stores nothing (no models, no writes): every figure is computed when asked
    (``reporting.figures``), so it has no services or admin of its own.
    """

    name = "reporting"
    verbose_name = _("Reports")

    def ready(self):
        """This month's figures on the staff home, through ``classroom.extensions``."""
        from reporting import integrations

        integrations.register()
