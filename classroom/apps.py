from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassroomConfig(AppConfig):
    name = "classroom"
    verbose_name = _("Classroom")

    def ready(self):
        from classroom.timeline import register_source  # noqa: F401 (importing registers the classroom's sources)
        from lib.hostile import install_constraint_messages, install_text_limits
        from lib.images import disable_unsafe_plugins

        install_constraint_messages()
        install_text_limits()  # every model TextField's form field has a length
        disable_unsafe_plugins()  # Pillow never opens EPS/PostScript, so never runs Ghostscript
