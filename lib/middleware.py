import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.messages import info
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

LOGIN_AT = "yorisoi_login_at"
SEEN_AT = "yorisoi_seen_at"


def quiet(view):
    """Mark a view whose requests are not activity: asking how long the session has left
    (static/js/session-timeout.js) must not keep a tablet left on a table signed in for ever."""
    view.session_quiet = True
    return view


class SessionTimeoutMiddleware:
    """End a signed-in session after 30 idle minutes or 12 hours, whichever comes first.

    Shared tablets in a classroom are left on tables: an idle timeout keeps the next
    person from reading a child's record, and the absolute lifetime bounds a stolen cookie.
    Every request to a view counts as activity, except one to a view marked ``@quiet``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            request.session.setdefault(LOGIN_AT, time.time())
            idle_left, absolute_left = session_time_left(request)
            if idle_left < 0 or absolute_left < 0:
                logout(request)
                info(request, _("Your session has ended. Please sign in again."))
                login_url = f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}"
                if getattr(request, "htmx", False):
                    return HttpResponseClientRedirect(login_url)
                return redirect(login_url)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Write at most once a minute: a session save on every tap would be wasted work (the warning
        # asks the server how long is left, so it allows for this).
        if request.user.is_authenticated and not getattr(view_func, "session_quiet", False):
            now = time.time()
            if now - request.session.get(SEEN_AT, 0) > 60:
                request.session[SEEN_AT] = now
        return None


def session_time_left(request, now: float | None = None) -> tuple[float, float]:
    """Seconds this signed-in session has left, as the server counts them: (until the idle timeout,
    until the absolute lifetime ends). The idle count starts from the last recorded activity, which
    may be up to a minute older than the last request (SessionTimeoutMiddleware writes it once a minute)."""
    now = time.time() if now is None else now
    session = request.session
    login_at = session.get(LOGIN_AT, now)
    seen_at = session.get(SEEN_AT, now)
    return (seen_at + settings.SESSION_IDLE_TIMEOUT - now, login_at + settings.SESSION_ABSOLUTE_LIFETIME - now)


def session_touch(request) -> None:
    """Count this moment as activity now, not within the minute (the person pressed "stay signed in")."""
    request.session[SEEN_AT] = time.time()


# Powerful browser features Yorisoi never uses, switched off for every page (and for any frame).
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "bluetooth", "camera", "display-capture", "geolocation", "gyroscope",
    "hid", "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get", "serial",
    "usb", "xr-spatial-tracking", "browsing-topics", "interest-cohort",
))


class PrivateResponseMiddleware:
    """Every response that reaches a view carries ``Permissions-Policy``; and none is kept by a browser
    or a proxy (``Cache-Control: no-store``): pages, fragments, exports and the API show children's
    records, and a shared tablet's history or cache must not hold them after the session ends.

    Static files are served by WhiteNoise before this middleware and keep their long cache; a view
    that states its own ``Cache-Control`` (an activity photo's ``private, max-age``) keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response
