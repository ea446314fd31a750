"""Who may do what: the one module every view, export and API endpoint asks.

Roles are Django groups created by a data migration. A user may hold several.
Denials answer 404 (``Http404``) so that nobody learns what exists behind a URL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

STAFF = "staff"
COORDINATOR = "coordinator"
VOLUNTEER = "volunteer"
ROLES = (STAFF, COORDINATOR, VOLUNTEER)
ROLE_LABELS = {
    STAFF: _("Learning-support staff"),
    COORDINATOR: _("Coordinator"),
    VOLUNTEER: _("Volunteer"),
}


def roles_of(user) -> frozenset[str]:
    """The user's roles, read once per request and cached on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_yorisoi_roles", None)
    if cached is None:
        cached = frozenset(
            name for name in user.groups.values_list("name", flat=True) if name in ROLES
        )
        user._yorisoi_roles = cached
    return cached


# What ends a volunteer's access while they keep the role (deactivated, no pledge on file, insurance
# expired): ``volunteers`` registers the check at start-up, since classroom imports no other app. A
# check answers the reason access ended ("" while it holds); it is asked once per request.
VOLUNTEER_ACCESS_CHECKS: list[Callable[[object], str]] = []


def volunteer_access_ended(user) -> str:
    """Why a user with the volunteer role may not act as a volunteer today ("" while they may)."""
    if VOLUNTEER not in roles_of(user):
        return ""
    cached = getattr(user, "_yorisoi_volunteer_ended", None)
    if cached is None:
        cached = next((reason for check in VOLUNTEER_ACCESS_CHECKS if (reason := check(user))), "")
        user._yorisoi_volunteer_ended = cached
    return cached


def acting_roles(user) -> frozenset[str]:
    """The roles the user may act in now: their roles, less the volunteer role once its access ended."""
    roles = roles_of(user)
    if VOLUNTEER in roles and volunteer_access_ended(user):
        return roles - {VOLUNTEER}
    return roles


def has_role(user, *roles: str) -> bool:
    """The user holds one of ``roles`` (a fact about the account: a deactivated volunteer still holds it)."""
    return bool(roles_of(user) & set(roles))


def acts_as(user, *roles: str) -> bool:
    """The user may act now in one of ``roles``: what every screen, feed and API endpoint asks."""
    return bool(acting_roles(user) & set(roles))


def is_staff(user) -> bool:
    return has_role(user, STAFF)


def is_coordinator(user) -> bool:
    return has_role(user, COORDINATOR)


def is_volunteer(user) -> bool:
    """A volunteer whose access holds today (active, pledge on file, insurance valid)."""
    return acts_as(user, VOLUNTEER)


def can_manage_classroom(user) -> bool:
    """Staff and coordinators run the classroom; volunteers only see their own sessions."""
    return has_role(user, STAFF, COORDINATOR)


def can_see_sensitive(user) -> bool:
    """Households, guardians' contacts, enrolment reasons, health notes and consent: staff only."""
    return has_role(user, STAFF)


def can_choose_activity_lead(user) -> bool:
    """The lead of an experience activity reads guardians' phones and allergy notes: staff choose them."""
    return bool(getattr(user, "is_superuser", False) and user.is_active) or can_see_sensitive(user)


def require_role(request: HttpRequest, *roles: str) -> None:
    if not acts_as(request.user, *roles):
        raise Http404


def role_required(*roles: str) -> Callable:
    """Login first (redirect to the login page), then the role (404 for anyone else)."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            require_role(request, *roles)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def role_labels(roles: Iterable[str]) -> list[str]:
    return [str(ROLE_LABELS[r]) for r in ROLES if r in roles]
