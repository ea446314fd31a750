from django.conf import settings

from classroom import rules
from lib.middleware import session_time_left
from lib.names import person_name


def roles(request):
    user_roles = rules.roles_of(getattr(request, "user", None))
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    return {
        # With its namespace ("classroom:roster"): the menu marks the entry of the current screen.
        "current_view_name": match.view_name if match else "",
        "display_name": person_name(user) if user is not None and user.is_authenticated else "",
        "user_roles": user_roles,
        "is_staff_role": rules.STAFF in user_roles,
        "is_coordinator_role": rules.COORDINATOR in user_roles,
        "is_volunteer_role": rules.VOLUNTEER in user_roles,
        # Staff administration (accounts, the access log): staff administrators and superusers.
        "is_staff_admin_role": rules.STAFF_ADMIN in user_roles or rules.is_superuser(user),
        # A volunteer whose access ended keeps "My schedule" (which explains why) and nothing else.
        "volunteer_access_ended": bool(rules.volunteer_access_ended(user)) if rules.VOLUNTEER in user_roles else False,
        "role_labels": rules.role_labels(user_roles),
    }


def session_warning(request):
    """What the page needs to warn before a signed-in session ends (templates/includes/session_warning.html):
    seconds of the warning's lead, of the idle timeout, and left of the session's lifetime now."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return {"session_warning": None}
    return {"session_warning": {
        "lead": settings.SESSION_WARNING_LEAD,
        "idle": settings.SESSION_IDLE_TIMEOUT,
        "idle_minutes": settings.SESSION_IDLE_TIMEOUT // 60,
        "absolute_left": max(0, int(session_time_left(request)[1])),
    }}
