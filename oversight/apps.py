from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    """The staff administrator's screens: the program's users and their roles, the change history of
    every record that holds personal data, and the access log of reads.

    At the top of the house beside ``reporting`` and ``dataio``: it reads the history and the log of
    every app below, and none of them imports it. Its own use is logged like any other read.
    """

    name = "oversight"
    verbose_name = _("Oversight")

    def ready(self):
        """Register what oversight adds to classroom's pages (``classroom.extensions``)."""
        from oversight import integrations

        integrations.register()
