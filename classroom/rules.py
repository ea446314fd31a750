"""Who may see and do what: the one module every view, export, feed and API endpoint asks.

Three kinds of rule live here, each stated once:

- **Roles.** Roles are Django groups created by a data migration; a user may hold several.
  A volunteer keeps the role when their access ends (deactivated, no pledge on file, insurance
  expired), but may not act in it: ``acts_as`` is what screens ask.
- **Row scoping.** Every model's ``visible_to(user)`` comes from one parameterised queryset,
  ``SiteScopedQuerySet``: the path from a row to its site, which roles read, whether rows tied to
  no site are read too, and which rows a volunteer sees.
- **Read and change of one object.** ``access(user, obj)`` answers both at once; the volunteer's
  paired children, the seven-day window and the window for writing a record are defined here too.

Denials answer 404 (``Http404``) so that nobody learns what exists behind a URL.

``classroom`` imports no other app of ours, so the rules for the models of ``volunteers``,
``activities`` and ``casework`` are stated through ORM relation paths and attributes only
(``tutor__volunteer__is_active``, ``helpers__volunteer__user``, the ``user.volunteer`` relation,
``activity.lead_id``); this module never imports those apps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STAFF = "staff"
COORDINATOR = "coordinator"
VOLUNTEER = "volunteer"
# The staff administrator runs the program's records as a whole: the full export of the program's
# data and a child's own data export (issue 13); held beside the staff role, never instead of it.
STAFF_ADMIN = "staff_admin"
ROLES = (STAFF, COORDINATOR, VOLUNTEER, STAFF_ADMIN)
MANAGERS = (STAFF, COORDINATOR)
ROLE_LABELS = {
    STAFF: _("Learning-support staff"),
    COORDINATOR: _("Coordinator"),
    VOLUNTEER: _("Volunteer"),
    STAFF_ADMIN: _("Staff administrator"),
}

# A volunteer sees a paired child from the plan until this many days after the class day, and
# writes their record from the class day until this many days after it.
PAIRED_DAYS_AFTER = 7
# Why a volunteer's access ended when they have no volunteer profile at all (the other reasons
# come from ``Volunteer.access_ended_on``).
ACCESS_NO_PROFILE = "no_profile"


def _model(name: str):
    """A classroom model, looked up when a rule runs: the models build their querysets on this module,
    so it cannot import them (``classroom.models`` imports ``classroom.rules``, never the reverse)."""
    return django_apps.get_model("classroom", name)


# --- Roles -----------------------------------------------------------------------------------------------
def is_superuser(user) -> bool:
    """An active superuser: sees every row of every model."""
    return bool(getattr(user, "is_superuser", False) and user.is_active)


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


def volunteer_profile_ended(user) -> str:
    """Why the user's volunteer profile does not allow tutoring today ("" while it does): deactivated,
    no pledge on file, insurance expired (``Volunteer.access_ended_on``), or no profile at all.

    Asked through the ``user.volunteer`` relation, so this module needs no import of ``volunteers``.
    """
    volunteer_model = get_user_model().volunteer.related.related_model
    volunteer = (volunteer_model._default_manager.filter(user=user)
                 .only("is_active", "pledge_signed_on", "insurance_expires_on").first())
    if volunteer is None:
        return ACCESS_NO_PROFILE
    return volunteer.access_ended_on(timezone.localdate())


def volunteer_access_ended(user) -> str:
    """Why a user with the volunteer role may not act as a volunteer today ("" while they may).

    Access holds while the volunteer is active, has a pledge on file and valid insurance; it is
    asked once per request.
    """
    if VOLUNTEER not in roles_of(user):
        return ""
    cached = getattr(user, "_yorisoi_volunteer_ended", None)
    if cached is None:
        cached = volunteer_profile_ended(user)
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
    """Learning-support staff."""
    return has_role(user, STAFF)


def is_staff_admin(user) -> bool:
    """A staff administrator: exports the program's data and a child's own data (active superusers too)."""
    return is_superuser(user) or has_role(user, STAFF_ADMIN)


def two_factor_required(user) -> bool:
    """Staff, staff administrators, coordinators and superusers sign in with a second factor (a TOTP
    code or a recovery code) wherever ``TWO_FACTOR_REQUIRED`` is on (by default whenever DEBUG is off);
    for volunteers it is their choice."""
    from django.conf import settings

    return settings.TWO_FACTOR_REQUIRED and (is_superuser(user) or has_role(user, STAFF, STAFF_ADMIN, COORDINATOR))


def is_volunteer(user) -> bool:
    """A volunteer whose access holds today (active, pledge on file, insurance valid)."""
    return acts_as(user, VOLUNTEER)


def can_manage_classroom(user) -> bool:
    """Staff and coordinators run the classroom; volunteers only see their own sessions."""
    return has_role(user, *MANAGERS)


def can_see_sensitive(user) -> bool:
    """Households, guardians' contacts, enrolment reasons, health notes, consent, and why a child left school
    or the program (an outcome's reason and note; coordinators see the outcome itself): staff only."""
    return has_role(user, STAFF)


def can_record_outcome(user, student) -> bool:
    """Outcomes are recorded, changed and deleted by the staff of the child's site (one query)."""
    return is_superuser(user) or (is_staff(user) and access(user, student).read)


def can_edit_class_days(user) -> bool:
    """Class days are created, edited, cancelled and restored by staff; coordinators read them."""
    return has_role(user, STAFF)


def can_edit_pairing_preferences(user) -> bool:
    """Which children a volunteer prefers or avoids tutoring: staff set it; coordinators read the profile."""
    return has_role(user, STAFF)


def can_change_site_settings(user, site) -> bool:
    """A site's settings (the early-warning thresholds) are changed by the staff of that site (one query)."""
    return is_staff(user) and access(user, site).read


def can_choose_activity_lead(user) -> bool:
    """The lead of an experience activity reads guardians' phones and allergy notes: staff choose them."""
    return is_superuser(user) or can_see_sensitive(user)


def can_see_contacts(user, activity) -> bool:
    """Emergency phones and allergy notes of an activity's participants: staff, and the activity's lead.

    Coordinators plan activities but, as everywhere else in Yorisoi, never see guardians'
    contacts or health notes (``can_see_sensitive``); the lead who takes the children out has
    them on the printed list.
    """
    return can_see_sensitive(user) or (activity.lead_id is not None and activity.lead_id == user.pk)


def require_role(request: HttpRequest, *roles: str) -> None:
    """404 unless the user may act now in one of ``roles``."""
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


def staff_admin_required(view: Callable) -> Callable:
    """Login first (redirect to the login page), then the staff administrator role (active superusers
    too; 404 for anyone else)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not is_staff_admin(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def role_labels(roles: Iterable[str]) -> list[str]:
    """The names of ``roles`` in the user's language, in the order of ``ROLES``."""
    return [str(ROLE_LABELS[r]) for r in ROLES if r in roles]


def role_holders(*roles: str, sites=None) -> models.QuerySet:
    """Active accounts holding one of ``roles``; members of one of ``sites`` (ids or sites) when given.

    May hold an account twice (two roles, two sites): callers add ``.distinct()`` where it matters.
    """
    users = get_user_model().objects.filter(is_active=True, groups__name__in=roles)
    if sites is not None:
        users = users.filter(sites__in=[sites] if isinstance(sites, int) else sites)
    return users


def at_volunteer_sites(volunteer, path: str = "site") -> Q:
    """Rows at one of the volunteer's sites (``path``: the ORM path from a row to its site): the class
    days they sign up for, the children they may be paired with, the activities they may help at."""
    return Q(**{f"{path}__in": volunteer.sites.all()})


def works_at(volunteer, site) -> bool:
    """The volunteer belongs to ``site`` (a site or its id): one query."""
    return volunteer.sites.filter(pk=getattr(site, "pk", site)).exists()


def tutors_at(site) -> Q:
    """Who may tutor on a class day of ``site``: its staff, and the volunteers who work there (on users)."""
    return Q(groups__name=STAFF, sites=site) | Q(groups__name=VOLUNTEER, volunteer__sites=site)


# --- Row scoping -------------------------------------------------------------------------------------------
class SiteScopedQuerySet(models.QuerySet):
    """Rows of the sites the user belongs to, for the roles that read them.

    Set on a subclass:

    - ``site_path``: the ORM path from a row to its site (``""``: the row is a site; ``None``: the
      rows belong to no site, and every reader reads them all);
    - ``readers``: the roles that read the rows of their sites (holding the role is enough);
    - ``writers``: the roles that change the rows they read (``None``: the readers);
    - ``siteless_visible``: readers also read the rows tied to no site (``site_path`` is null);
    - ``volunteer_path``: the ORM path from a row to the user a volunteer (whose access holds) sees
      it as; ``None``: volunteers see none;
    - ``volunteer_distinct``: that path crosses a to-many relation, so rows are made distinct.

    An active superuser sees every row; anyone else, none.
    """

    site_path: str | None = "site"
    readers: tuple[str, ...] = MANAGERS
    writers: tuple[str, ...] | None = None
    siteless_visible: bool = False
    volunteer_path: str | None = None
    volunteer_distinct: bool = False

    def visible_to(self, user):
        """The rows ``user`` may read, by the settings above."""
        if is_superuser(user):
            return self
        if has_role(user, *self.readers):
            if self.site_path is None:
                return self
            members = f"{self.site_path}__members" if self.site_path else "members"
            if self.siteless_visible:
                return self.filter(Q(**{f"{self.site_path}__isnull": True}) | Q(**{members: user})).distinct()
            return self.filter(**{members: user})
        if self.volunteer_path is not None and is_volunteer(user):
            rows = self.filter(**{self.volunteer_path: user})
            return rows.distinct() if self.volunteer_distinct else rows
        return self.none()


def colleagues(user) -> models.QuerySet:
    """The accounts that are members of a site the user sees (every account for a superuser): whose
    entries the access log may be narrowed to."""
    sites = _model("Site").objects.visible_to(user)
    return get_user_model().objects.filter(sites__in=sites).distinct()


def access_log_scope(user) -> Q:
    """The access-log entries staff read: about children they see, or by their colleagues about no child or
    about a child whose record was deleted since (the entry keeps the id and the name as read).

    A colleague is a member of a site the user belongs to (all members for a superuser).
    """
    colleagues = _model("Site").objects.visible_to(user).values("members")
    no_child_now = Q(student_id__isnull=True) | ~Q(student_id__in=_model("Student").objects.values("pk"))
    return Q(student__in=_model("Student").objects.visible_to(user)) | (no_child_now & Q(user__in=colleagues))


# --- Accounts: what a staff administrator manages --------------------------------------------------------
def account_sites(user) -> models.QuerySet:
    """The sites whose accounts ``user`` manages: a staff administrator's own sites (the sites they are a
    member of; every site for a superuser); none for anyone else."""
    sites = _model("Site").objects.all()
    if is_superuser(user):
        return sites
    if not has_role(user, STAFF_ADMIN):
        return sites.none()
    return sites.filter(members=user)


def manageable_accounts(user) -> models.QuerySet:
    """The accounts a staff administrator manages, active or not: members of their sites, and volunteers
    whose profile is on one of their sites. Never a superuser (only the Django admin manages those), and
    nobody's for anyone but a staff administrator. An account of no site is managed in the Django admin."""
    users = get_user_model().objects
    if not is_staff_admin(user):
        return users.none()
    sites = account_sites(user)
    at_sites = users.filter(Q(sites__in=sites) | Q(volunteer__sites__in=sites)).values("pk")
    return users.filter(is_superuser=False, pk__in=at_sites)


def account_access(user, account) -> Access:
    """A staff administrator reads and changes the accounts they manage (one query); anyone else, none."""
    if account is None or not is_staff_admin(user):
        return NONE
    managed = manageable_accounts(user).filter(pk=account.pk).exists()
    return Access(read=managed, change=managed)


def accounts_holding(accounts: models.QuerySet, role: str) -> models.QuerySet:
    """Those of ``accounts`` that hold ``role`` (active or not): the list of accounts narrowed by role."""
    return accounts.filter(groups__name=role) if role in ROLES else accounts.none()


def account_roles(account) -> frozenset[str]:
    """The roles an account holds, active or not (``roles_of`` answers none for a deactivated account)."""
    return frozenset(name for name in account.groups.values_list("name", flat=True) if name in ROLES)


def account_memberships(user, account) -> tuple[set[int], set[int]]:
    """The ids of the sites ``account`` belongs to: those among ``user``'s own sites (which a staff
    administrator changes) and the others (which they leave as they are)."""
    own = set(account_sites(user).values_list("pk", flat=True))
    held = set(account.sites.values_list("pk", flat=True))
    return held & own, held - own


def locks_out(user, account, *, roles: Iterable[str], active: bool, sites: Iterable | None = None) -> bool:
    """A staff administrator may not lock themselves out: remove their own staff administrator role,
    deactivate their own account, or leave every one of their sites (``sites``: the sites they keep,
    when the change touches them); another staff administrator, or a superuser, does it."""
    if account.pk != user.pk or is_superuser(user):
        return False
    return STAFF_ADMIN not in set(roles) or not active or (sites is not None and not list(sites))


def history_scope(user) -> Q:
    """The rows of the change history (``classroom.history``) a staff administrator reads: the past
    versions of records of the sites they belong to (every row for a superuser), and the rows tied to no
    site (a household before its first child, a volunteer before their sites) written by a colleague.
    Asked of each historical model; anyone else reads none. The rows carry their record's sites, so
    the scope holds after the record is deleted.
    """
    if is_superuser(user):
        return Q()
    if not is_staff_admin(user):
        return Q(pk__in=[])
    site_ids = list(_model("Site").objects.filter(members=user).values_list("pk", flat=True))
    if not site_ids:
        return Q(pk__in=[])
    members = get_user_model().objects.filter(sites__in=site_ids).values("pk")
    scope = Q(history_sites="") & Q(history_user__in=members)
    for site_id in site_ids:
        scope |= Q(history_sites__contains=f",{site_id},")
    return scope


def history_colleagues(user) -> models.QuerySet:
    """Whose changes a staff administrator may narrow the change history to: the members of their sites
    (every account for a superuser)."""
    if is_superuser(user):
        return get_user_model().objects.all()
    return get_user_model().objects.filter(sites__members=user).distinct()


# --- The volunteer's children and records ----------------------------------------------------------------
def paired_since(today: dt.date | None = None) -> dt.date:
    """The earliest class day whose pairs are still visible to their tutor (seven days back)."""
    return (today or timezone.localdate()) - dt.timedelta(days=PAIRED_DAYS_AFTER)


def is_paired_on(class_day_date: dt.date, today: dt.date | None = None) -> bool:
    """A pair of a class day on ``class_day_date`` is still visible to its tutor today."""
    return class_day_date >= paired_since(today)


def _may_tutor_on(today: dt.date) -> dict:
    """The volunteer access rule as query conditions on a tutoring record's tutor."""
    return {"tutor__volunteer__is_active": True, "tutor__volunteer__pledge_signed_on__lte": today,
            "tutor__volunteer__insurance_expires_on__gte": today}


def own_records(user, today: dt.date | None = None):
    """Every tutoring record the user is the tutor of (their own writing, any date), while their access holds."""
    records = _model("TutoringRecord").objects
    if not is_volunteer(user):
        return records.none()
    return records.filter(tutor=user, **_may_tutor_on(today or timezone.localdate()))


def paired_records(user, today: dt.date | None = None):
    """The user's pairs whose child they may still see: planned, or up to 7 days after the class day,
    and only while the child is active."""
    return own_records(user, today).filter(class_day__date__gte=paired_since(today)).of_active_children()


def shows_child(record, today: dt.date | None = None) -> bool:
    """Whether the tutor of ``record`` may see its child now (the same rule as ``paired_records``)."""
    return is_paired_on(record.class_day.date, today) and record.student.is_active_child


def record_window(record, today: dt.date | None = None) -> str:
    """Where today stands for the tutor writing the record: ``before`` the class day, ``open`` from the
    class day until 7 days after it, ``closed`` afterwards, or ``cancelled`` (the class day was)."""
    today = today or timezone.localdate()
    if record.class_day.is_cancelled:
        return "cancelled"
    if today < record.class_day.date:
        return "before"
    if today > record.class_day.date + dt.timedelta(days=PAIRED_DAYS_AFTER):
        return "closed"
    return "open"


def led_activity(user, queryset, pk: int):
    """For the activity's read-only pages: the activity if the user plans it, or leads it (404 otherwise).

    A volunteer may lead an activity; one whose access ended reads nothing.
    """
    from django.shortcuts import get_object_or_404

    if can_manage_classroom(user):
        return get_object_or_404(queryset.visible_to(user), pk=pk)
    if not is_volunteer(user):
        raise Http404
    return get_object_or_404(queryset, pk=pk, lead=user)


# --- Read and change of one object ---------------------------------------------------------------------
@dataclass(frozen=True)
class Access:
    """What the user may do with one object: read it, change it."""

    read: bool
    change: bool


NONE = Access(read=False, change=False)
# What is written on a class day: the children's attendance and tutoring records (the default), or
# the volunteers' attendance (who came, and when), which can only be written once the day has come.
CHILDREN_RECORDS = "children"
VOLUNTEER_ATTENDANCE = "volunteers"
# Why a class day may not be written now, by anyone: it was cancelled, or it has not come yet.
DAY_CANCELLED = "cancelled"
DAY_NOT_YET = "not_yet"


def class_day_closed(class_day, *, from_the_day: bool = False, today: dt.date | None = None) -> str:
    """Why ``class_day`` may not be written now ("" while it may): ``DAY_CANCELLED``, or, for what is
    only written once the day has come (``from_the_day``), ``DAY_NOT_YET`` before it.

    ``access`` decides with it, and the services choose their message by its answer.
    """
    if class_day.is_cancelled:
        return DAY_CANCELLED
    if from_the_day and class_day.date > (today or timezone.localdate()):
        return DAY_NOT_YET
    return ""


def _readable(user, obj) -> bool:
    """The object is among the rows its model's ``visible_to`` shows the user (one query)."""
    return type(obj)._default_manager.visible_to(user).filter(pk=obj.pk).exists()


def access(user, obj, *, known_readable: bool = False, what: str = CHILDREN_RECORDS, as_tutor: bool = False,
           today: dt.date | None = None) -> Access:
    """Whether ``user`` may read ``obj`` and whether they may change it.

    - A class day: read by the staff and coordinators of its site. Its children's attendance and
      tutoring records are written by staff, unless the day is cancelled; its volunteers'
      attendance (``what=VOLUNTEER_ATTENDANCE``) too, and only once the day has come.
    - A tutoring record: staff and coordinators read it as part of its class day, and staff
      write it unless the day is cancelled. Its tutor, while their access holds, reads their own
      record, and writes it while the record window is ``open`` (``record_window``); the tutor's
      own screens ask ``as_tutor``, whatever other role the user holds.
    - An activity: read as ``visible_to`` says; changed by the roles that read it, unless it is cancelled.
    - Any other row: read as its model's ``visible_to`` says; changed by the roles its queryset names as
      ``writers`` (an outcome: staff), else by the roles that read it.

    ``known_readable``: the caller loaded ``obj`` through ``visible_to(user)`` (or another read rule
    of this module, such as ``led_activity``) in this request, so reading it is not asked of the
    database again (the tutor's own record is decided from its fields either way).
    """
    today = today or timezone.localdate()
    label = obj._meta.label
    if label == "classroom.TutoringRecord" and (as_tutor or not (is_superuser(user) or can_manage_classroom(user))):
        if not (is_volunteer(user) and obj.tutor_id == user.pk):
            return NONE
        return Access(read=True, change=record_window(obj, today) == "open")
    if not (known_readable or _readable(user, obj)):
        return NONE
    if label == "classroom.ClassDay":
        closed = class_day_closed(obj, from_the_day=what == VOLUNTEER_ATTENDANCE, today=today)
        return Access(read=True, change=is_staff(user) and not closed)
    if label == "classroom.TutoringRecord":
        return Access(read=True, change=is_staff(user) and not class_day_closed(obj.class_day))
    if label == "activities.Activity":
        managers = is_superuser(user) or can_manage_classroom(user)
        return Access(read=True, change=managers and not obj.is_cancelled)
    scope = type(obj)._default_manager.none()
    writers = getattr(scope, "writers", None) or getattr(scope, "readers", ())
    return Access(read=True, change=is_superuser(user) or has_role(user, *writers))
