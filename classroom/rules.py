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


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def is_staff(user) -> bool:
    return has_role(user, STAFF)


def is_coordinator(user) -> bool:
    return has_role(user, COORDINATOR)


def is_volunteer(user) -> bool:
    return has_role(user, VOLUNTEER)


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
    if not has_role(request.user, *roles):
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
