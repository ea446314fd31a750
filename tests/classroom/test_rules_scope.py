"""The one row scope (``rules.SiteScopedQuerySet``) and the one read/change answer (``rules.access``).

Each model's ``visible_to`` is compared, for every persona, with the query it was written as before
the rules were gathered in one module: the same rows, and ``distinct`` where that query had it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from activities.factories import ActivityFactory, HelperFactory, PartnerFactory
from activities.models import Activity, Partner
from casework.models import HomeVisit
from classroom import rules
from classroom.factories import (
    AttendanceFactory,
    ClassDayFactory,
    DropInFactory,
    SiteFactory,
    StudentFactory,
    TutoringRecordFactory,
    UserFactory,
)
from classroom.models import (
    Attendance,
    ClassDay,
    ClassDayStatus,
    DropIn,
    OutgoingMessage,
    Site,
    Student,
    TutoringRecord,
)
from volunteers.factories import VolunteerFactory
from volunteers.models import Volunteer


def _superuser(user):
    return getattr(user, "is_superuser", False) and user.is_active


def _managers(queryset, user, lookup):
    if _superuser(user):
        return queryset
    if not rules.can_manage_classroom(user):
        return queryset.none()
    return queryset.filter(**{lookup: user})


def _staff_only(queryset, user, lookup, *, siteless=False):
    if _superuser(user):
        return queryset
    if not rules.is_staff(user):
        return queryset.none()
    if siteless:
        return queryset.filter(Q(site__isnull=True) | Q(site__members=user)).distinct()
    return queryset.filter(**{lookup: user})


def _volunteers(queryset, user):
    if _superuser(user):
        return queryset
    if rules.can_manage_classroom(user):
        return queryset.filter(Q(sites__members=user) | Q(sites__isnull=True)).distinct()
    if rules.is_volunteer(user):
        return queryset.filter(user=user)
    return queryset.none()


def _partners(queryset, user):
    return queryset if _superuser(user) or rules.can_manage_classroom(user) else queryset.none()


def _activities(queryset, user):
    if _superuser(user):
        return queryset
    if rules.can_manage_classroom(user):
        return queryset.filter(Q(site__isnull=True) | Q(site__members=user)).distinct()
    if rules.is_volunteer(user):
        return queryset.filter(helpers__volunteer__user=user).distinct()
    return queryset.none()


# The queries each ``visible_to`` was before (model -> the old query).
BEFORE = {
    Site: lambda qs, user: _managers(qs, user, "members"),
    Student: lambda qs, user: _managers(qs, user, "site__members"),
    ClassDay: lambda qs, user: _managers(qs, user, "site__members"),
    Attendance: lambda qs, user: _managers(qs, user, "class_day__site__members"),
    TutoringRecord: lambda qs, user: _managers(qs, user, "class_day__site__members"),
    DropIn: lambda qs, user: _managers(qs, user, "site__members"),
    OutgoingMessage: lambda qs, user: _staff_only(qs, user, "", siteless=True),
    HomeVisit: lambda qs, user: _staff_only(qs, user, "student__site__members"),
    Volunteer: _volunteers,
    Partner: _partners,
    Activity: _activities,
}
PERSONAS = ["superuser", "staff", "coordinator", "staff_of_both", "volunteer", "ended_volunteer", "outsider",
            "inactive_staff", "anonymous"]


@pytest.fixture
def world(db):
    """Two sites with a row of every kind in each, rows tied to no site, and one person of each kind."""
    here, there = SiteFactory(name="ここの教室"), SiteFactory(name="あちらの教室")
    people = {
        "superuser": UserFactory(is_superuser=True),
        "staff": UserFactory(roles=[rules.STAFF], sites=[here]),
        "coordinator": UserFactory(roles=[rules.COORDINATOR], sites=[here]),
        "staff_of_both": UserFactory(roles=[rules.STAFF, rules.COORDINATOR], sites=[here, there]),
        "outsider": UserFactory(),
        "inactive_staff": UserFactory(roles=[rules.STAFF], sites=[here], is_active=False),
        "anonymous": None,
    }
    me = VolunteerFactory(sites=[here])
    ended = VolunteerFactory(sites=[here], insurance_expires_on=timezone.localdate() - dt.timedelta(days=1))
    people["volunteer"], people["ended_volunteer"] = me.user, ended.user
    VolunteerFactory(sites=[there])
    VolunteerFactory()  # of no site yet
    for site in (here, there):
        student = StudentFactory(site=site)
        day = ClassDayFactory(site=site)
        AttendanceFactory(class_day=day, student=student)
        TutoringRecordFactory(class_day=day, student=student, tutor=me.user)
        DropInFactory(site=site, student=student)
        OutgoingMessage.objects.create(site=site, recipients=["a@example.jp"], subject="件名", body="本文")
        HomeVisit.objects.create(student=student)
        for helper in (me, ended):
            HelperFactory(activity=ActivityFactory(site=site), volunteer=helper)
        HelperFactory(activity=ActivityFactory(site=site), volunteer=me)
    OutgoingMessage.objects.create(site=None, recipients=["b@example.jp"], subject="件名", body="本文")
    ActivityFactory(site=None)
    PartnerFactory()
    return people


def persona(world, name):
    if name == "anonymous":
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return type(world["staff"]).objects.get(pk=world[name].pk)  # a fresh object: no cached roles


@pytest.mark.parametrize("model", list(BEFORE), ids=lambda m: m.__name__)
@pytest.mark.parametrize("name", PERSONAS)
def test_visible_to_shows_the_same_rows_as_before(world, model, name):
    user = persona(world, name)
    now = model.objects.visible_to(user)
    before = BEFORE[model](model.objects.all(), user)
    assert sorted(now.values_list("pk", flat=True)) == sorted(before.values_list("pk", flat=True))
    assert now.query.distinct == before.query.distinct


def test_the_scope_reads_nothing_for_nobody(world):
    assert not Student.objects.visible_to(persona(world, "outsider")).exists()
    assert Student.objects.visible_to(persona(world, "superuser")).count() == 2
    assert set(Student.objects.visible_to(persona(world, "staff")).values_list("site__name", flat=True)) == {"ここの教室"}


def test_a_scope_is_stated_by_its_settings(db):
    class Scope(rules.SiteScopedQuerySet):
        site_path = "class_day__site"
        readers = (rules.STAFF,)

    coordinator = UserFactory(roles=[rules.COORDINATOR], sites=[SiteFactory()])
    assert not Scope(model=Attendance).visible_to(coordinator).exists()
    assert Scope.siteless_visible is False and Scope.volunteer_path is None


# --- access(): read and change ------------------------------------------------------------------------
@pytest.fixture
def days(site, other_site):
    today = timezone.localdate()
    return {
        "today": ClassDayFactory(site=site, date=today),
        "tomorrow": ClassDayFactory(site=site, date=today + dt.timedelta(days=1)),
        "cancelled": ClassDayFactory(site=site, date=today, start_time=dt.time(9, 0), end_time=dt.time(10, 0),
                                     status=ClassDayStatus.CANCELLED, cancel_reason="台風"),
        "elsewhere": ClassDayFactory(site=other_site, date=today),
    }


# (persona, class day) -> (read, change of the children's records, change of the volunteers' attendance)
CLASS_DAY = {
    ("staff", "today"): (True, True, True),
    ("staff", "tomorrow"): (True, True, False),
    ("staff", "cancelled"): (True, False, False),
    ("staff", "elsewhere"): (False, False, False),
    ("coordinator", "today"): (True, False, False),
    ("coordinator", "elsewhere"): (False, False, False),
    ("volunteer", "today"): (False, False, False),
    ("outsider", "today"): (False, False, False),
}


@pytest.mark.parametrize(("who", "day"), list(CLASS_DAY))
def test_access_to_a_class_day(request, days, who, day):
    user = request.getfixturevalue(who)
    read, children, volunteers = CLASS_DAY[(who, day)]
    assert rules.access(user, days[day]) == rules.Access(read=read, change=children)
    assert rules.access(user, days[day], what=rules.VOLUNTEER_ATTENDANCE) == rules.Access(read=read, change=volunteers)


def test_a_class_day_loaded_for_the_user_is_read_without_asking_again(staff, days, count_queries):
    day = ClassDay.objects.visible_to(staff).get(pk=days["today"].pk)
    rules.roles_of(staff)
    with count_queries() as q:
        assert rules.access(staff, day, known_readable=True) == rules.Access(read=True, change=True)
    assert q.count == 0, q.sql


def test_a_row_loaded_without_the_scope_is_asked_again(staff, days, count_queries):
    day = ClassDay.objects.get(pk=days["elsewhere"].pk)
    rules.roles_of(staff)
    with count_queries() as q:
        assert rules.access(staff, day) == rules.NONE
    assert q.count == 1, q.sql


def test_a_combined_queryset_forgets_whom_it_was_scoped_for(staff, days):
    combined = ClassDay.objects.visible_to(staff) | ClassDay.objects.filter(pk=days["elsewhere"].pk)
    elsewhere = combined.get(pk=days["elsewhere"].pk)
    assert not rules.access(staff, elsewhere).read


@pytest.mark.parametrize(("days_ago", "change"), [(-1, False), (0, True), (7, True), (8, False)])
def test_a_tutor_reads_their_record_and_writes_it_in_its_window(volunteer, site, days_ago, change):
    VolunteerFactory(user=volunteer, sites=[site])
    day = ClassDayFactory(site=site, date=timezone.localdate() - dt.timedelta(days=days_ago))
    record = TutoringRecordFactory(class_day=day, student=StudentFactory(site=site), tutor=volunteer)
    assert rules.access(volunteer, record) == rules.Access(read=True, change=change)


def test_another_tutors_record_and_an_ended_tutors_own_are_not_theirs(volunteer, site):
    profile = VolunteerFactory(user=volunteer, sites=[site])
    day = ClassDayFactory(site=site, date=timezone.localdate())
    mine = TutoringRecordFactory(class_day=day, student=StudentFactory(site=site), tutor=volunteer)
    theirs = TutoringRecordFactory(class_day=day, student=StudentFactory(site=site), tutor=UserFactory())
    assert rules.access(volunteer, theirs) == rules.NONE
    profile.is_active = False
    profile.save()
    fresh = type(volunteer).objects.get(pk=volunteer.pk)
    assert rules.access(fresh, mine) == rules.NONE


@pytest.mark.parametrize(("who", "expected"), [
    ("staff", rules.Access(read=True, change=True)),
    ("coordinator", rules.Access(read=True, change=False)),
    ("outsider", rules.NONE),
])
def test_access_to_a_tutoring_record_as_staff_and_coordinators(request, site, who, expected):
    user = request.getfixturevalue(who)
    record = TutoringRecordFactory(class_day=ClassDayFactory(site=site), student=StudentFactory(site=site))
    assert rules.access(user, record) == expected
    record.class_day.status = ClassDayStatus.CANCELLED
    assert rules.access(user, record) == rules.Access(read=expected.read, change=False)


@pytest.mark.parametrize(("who", "expected"), [
    ("staff", rules.Access(read=True, change=True)),
    ("coordinator", rules.Access(read=True, change=True)),
    ("volunteer", rules.NONE),
    ("outsider", rules.NONE),
])
def test_access_to_other_rows_follows_their_scope(request, site, other_site, who, expected):
    user = request.getfixturevalue(who)
    assert rules.access(user, StudentFactory(site=site)) == expected
    assert rules.access(user, StudentFactory(site=other_site)) == rules.NONE


def test_a_volunteer_reads_their_own_profile_and_activity_but_changes_neither(volunteer, site):
    profile = VolunteerFactory(user=volunteer, sites=[site])
    activity = HelperFactory(volunteer=profile, activity=ActivityFactory(site=site)).activity
    assert rules.access(volunteer, profile) == rules.Access(read=True, change=False)
    assert rules.access(volunteer, activity) == rules.Access(read=True, change=False)
    assert rules.access(volunteer, ActivityFactory(site=site)) == rules.NONE


def test_only_staff_change_a_staff_only_row(staff, coordinator, site):
    visit = HomeVisit.objects.create(student=StudentFactory(site=site))
    assert rules.access(staff, visit) == rules.Access(read=True, change=True)
    assert rules.access(coordinator, visit) == rules.NONE


@pytest.mark.parametrize(("day", "children", "volunteers"), [
    ("today", "", ""),
    ("tomorrow", "", rules.DAY_NOT_YET),
    ("cancelled", rules.DAY_CANCELLED, rules.DAY_CANCELLED),
])
def test_why_a_class_day_is_closed(days, day, children, volunteers):
    assert rules.class_day_closed(days[day]) == children
    assert rules.class_day_closed(days[day], from_the_day=True) == volunteers


def test_a_tutor_who_is_also_staff_writes_their_own_record_in_its_window_on_their_screen(site):
    both = UserFactory(roles=[rules.STAFF, rules.VOLUNTEER], sites=[site])
    VolunteerFactory(user=both, sites=[site])
    day = ClassDayFactory(site=site, date=timezone.localdate() - dt.timedelta(days=8))
    record = TutoringRecordFactory(class_day=day, student=StudentFactory(site=site), tutor=both)
    assert rules.access(both, record) == rules.Access(read=True, change=True)
    assert rules.access(both, record, as_tutor=True) == rules.Access(read=True, change=False)
