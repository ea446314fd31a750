from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataioConfig(AppConfig):
    """Data in and out of the program: imports from the spreadsheets a city keeps, the full export
    of the program's data, a child's own data export, backups and retention.

    At the top of the house beside ``reporting``: it reads and writes the models of classroom,
    casework, volunteers and activities through their services, and none of them imports it.
    """

    name = "dataio"
    verbose_name = _("Data in and out")

    def ready(self):
        from dataio import integrations

        integrations.register()
