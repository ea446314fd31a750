from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Case work")

    def ready(self):
        """Case work adds itself to classroom's pages through ``classroom.extensions``; classroom never imports it."""
        from casework import integrations, timeline  # importing timeline registers its sources

        timeline.register()
        integrations.register()
