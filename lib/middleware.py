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


class SessionTimeoutMiddleware:
    """End a signed-in session after 30 idle minutes or 12 hours, whichever comes first.

    Shared tablets in a classroom are left on tables: an idle timeout keeps the next
    person from reading a child's record, and the absolute lifetime bounds a stolen cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            login_at = session.setdefault(LOGIN_AT, now)
            seen_at = session.get(SEEN_AT, now)
            if now - seen_at > settings.SESSION_IDLE_TIMEOUT or now - login_at > settings.SESSION_ABSOLUTE_LIFETIME:
                logout(request)
                info(request, _("Your session has ended. Please sign in again."))
                login_url = f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}"
                if getattr(request, "htmx", False):
                    return HttpResponseClientRedirect(login_url)
                return redirect(login_url)
            # Write at most once a minute: a session save on every tap would be wasted work.
            if now - seen_at > 60 or SEEN_AT not in session:
                session[SEEN_AT] = now
        return self.get_response(request)


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
