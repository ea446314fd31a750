"""The second step of signing in: a signed-in session that has not shown a second factor reaches only
the two-factor pages, signing out and the language switch.

Whoever has an authenticator is asked for a code after the password (volunteers included, once they
chose to set one up); staff, staff administrators, coordinators and superusers who have none are sent
to set one up first where ``TWO_FACTOR_REQUIRED`` is on (``rules.two_factor_required``). The API answers
401 to such a session; an API token is not a session and is not affected.
"""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from classroom import rules

# Where a session waiting for its second factor may go.
OPEN_PREFIXES = ("/accounts/two-factor/verify/", "/accounts/two-factor/setup/", "/accounts/logout/", "/accounts/password/reset/", "/i18n/", "/healthz",
                 "/favicon.ico", "/static/")
# In the session: "verified" (a second factor was shown in this session), "verify" (the user has an
# authenticator and has not shown it yet) or "none" (they have none). Kept in the session so that a
# signed-in request costs no query for it.
STATE = "yorisoi_two_factor"
VERIFIED = "verified"


def pending_step(request) -> str:
    """"verify", "setup" or "" (nothing to do) for the request's signed-in user."""
    user = request.user
    if not user.is_authenticated:
        return ""
    state = request.session.get(STATE)
    if state == VERIFIED:
        return ""
    if state is None:
        from classroom.services.two_factor import has_two_factor

        state = "verify" if has_two_factor(user) else "none"
        request.session[STATE] = state
    if state == "verify":
        return "verify"
    return "setup" if rules.two_factor_required(user) else ""


class TwoFactorMiddleware:
    """After django_otp's OTPMiddleware: sends a session that owes a second factor to the page for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = "" if request.path_info.startswith(OPEN_PREFIXES) else pending_step(request)
        if not step:
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": _("Sign in with your second factor first.")}, status=401)
        target = reverse(f"classroom:two_factor_{step}")
        target += "?" + urlencode({"next": request.get_full_path()})
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(target)
        return redirect(target)
