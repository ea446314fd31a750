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

        # Sign-in and sign-out are Django's flow, not ours: its signals are where it tells us.
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        user_logged_in.connect(_signed_in, dispatch_uid="yorisoi_signed_in")
        user_logged_out.connect(_signed_out, dispatch_uid="yorisoi_signed_out")


def _signed_in(sender, request, user, **kwargs):
    from classroom.services.sessions import session_record

    if request is not None and hasattr(request, "session"):
        session_record(request=request, user=user)


def _signed_out(sender, request, user, **kwargs):
    from classroom.services.sessions import session_forget

    if request is not None and hasattr(request, "session"):
        session_forget(session_key=request.session.session_key)
