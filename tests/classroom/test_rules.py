"""The rules module on its own: each role check, for every persona, and the cases around it.

A table of persona -> what each check answers: a check that lets one role too many through, or one
too few, fails here before any screen is asked.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation

from classroom import rules
from classroom.factories import UserFactory

CHECKS = ["is_staff", "is_volunteer", "can_manage_classroom", "can_see_sensitive",
          "can_choose_activity_lead"]
EXPECTED = {
    "staff": {"is_staff", "can_manage_classroom", "can_see_sensitive", "can_choose_activity_lead"},
    "coordinator": {"can_manage_classroom"},
    "volunteer": {"is_volunteer"},
    "outsider": set(),
}


@pytest.fixture(autouse=True)
def _volunteer_access_holds(monkeypatch):
    """These tests are about roles; whether a volunteer's access ended is asked of a stand-in check."""
    monkeypatch.setattr(rules, "volunteer_profile_ended", lambda user: "")


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_each_check_for_each_persona(request, persona):
    user = request.getfixturevalue(persona)
    answers = {check for check in CHECKS if getattr(rules, check)(user)}
    assert answers == EXPECTED[persona]


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_an_inactive_user_holds_no_role(request, persona):
    user = request.getfixturevalue(persona)
    user.is_active = False
    assert rules.roles_of(user) == frozenset()
    assert not any(getattr(rules, check)(user) for check in CHECKS)


def test_anonymous_holds_no_role():
    assert rules.roles_of(AnonymousUser()) == frozenset()
    assert not rules.has_role(AnonymousUser(), *rules.ROLES)


def test_no_user_at_all_holds_no_role():
    """A request that never went through authentication (no user object) is nobody."""
    assert rules.roles_of(None) == frozenset()
    assert not rules.has_role(None, *rules.ROLES)


def test_roles_are_the_groups_known_to_the_rules(db):
    from django.contrib.auth.models import Group

    user = UserFactory(roles=[rules.STAFF, rules.VOLUNTEER])
    user.groups.add(Group.objects.create(name="book-club"))
    assert rules.roles_of(user) == frozenset({rules.STAFF, rules.VOLUNTEER})
    assert rules.has_role(user, rules.COORDINATOR, rules.VOLUNTEER)
    assert not rules.has_role(user, rules.COORDINATOR)


def test_roles_are_read_once_per_user_object(staff, count_queries):
    fresh = type(staff).objects.get(pk=staff.pk)
    with count_queries() as queries:
        rules.roles_of(fresh)
        rules.roles_of(fresh)
        rules.is_staff(fresh)
    assert queries.count == 1, queries.sql


def test_a_superuser_may_choose_a_lead_only_while_active(db):
    admin = UserFactory(is_superuser=True)
    assert rules.can_choose_activity_lead(admin)
    admin.is_active = False
    assert not rules.can_choose_activity_lead(admin)
    assert not rules.can_manage_classroom(UserFactory(is_superuser=True))  # the admin is not a role


@pytest.mark.parametrize(("reason", "acts"), [("", True), ("insurance expired", False)])
def test_a_volunteer_acts_as_one_only_while_their_access_holds(volunteer, monkeypatch, reason, acts):
    monkeypatch.setattr(rules, "volunteer_profile_ended", lambda user: reason)
    assert rules.has_role(volunteer, rules.VOLUNTEER)  # the account keeps the role
    assert rules.volunteer_access_ended(volunteer) == reason
    assert rules.acts_as(volunteer, rules.VOLUNTEER) is acts
    assert rules.is_volunteer(volunteer) is acts
    assert (rules.VOLUNTEER in rules.acting_roles(volunteer)) is acts


def test_the_profile_gives_the_reason_once_per_request(volunteer, monkeypatch):
    asked = []
    monkeypatch.setattr(rules, "volunteer_profile_ended", lambda user: asked.append(user) or "no pledge")
    assert rules.volunteer_access_ended(volunteer) == "no pledge"
    assert rules.volunteer_access_ended(volunteer) == "no pledge"
    assert asked == [volunteer]


def test_access_checks_concern_only_volunteers(staff, monkeypatch):
    monkeypatch.setattr(rules, "volunteer_profile_ended", lambda user: "ended")
    assert rules.volunteer_access_ended(staff) == ""
    assert rules.acting_roles(staff) == frozenset({rules.STAFF})
    assert rules.acts_as(staff, rules.STAFF)


def test_a_staff_volunteer_whose_volunteer_access_ended_still_acts_as_staff(db, monkeypatch):
    monkeypatch.setattr(rules, "volunteer_profile_ended", lambda user: "ended")
    both = UserFactory(roles=[rules.STAFF, rules.VOLUNTEER])
    assert rules.acting_roles(both) == frozenset({rules.STAFF})
    assert rules.acts_as(both, rules.STAFF) and not rules.acts_as(both, rules.VOLUNTEER)


@pytest.mark.parametrize(("persona", "roles", "allowed"), [
    ("staff", (rules.STAFF,), True),
    ("staff", (rules.COORDINATOR, rules.VOLUNTEER), False),
    ("coordinator", (rules.STAFF, rules.COORDINATOR), True),
    ("volunteer", (rules.STAFF, rules.COORDINATOR), False),
    ("outsider", rules.ROLES, False),
])
def test_require_role_answers_404_to_everyone_else(request, persona, roles, allowed):
    http = RequestFactory().get("/")
    http.user = request.getfixturevalue(persona)
    if allowed:
        assert rules.require_role(http, *roles) is None
    else:
        with pytest.raises(Http404):
            rules.require_role(http, *roles)


def test_role_required_sends_strangers_to_404_and_lets_the_role_in(staff, volunteer):
    view = rules.role_required(rules.STAFF)(lambda request: "the page")
    http = RequestFactory().get("/")
    http.user = staff
    assert view(http) == "the page"
    http.user = volunteer
    with pytest.raises(Http404):
        view(http)


def test_role_labels_in_the_rules_order():
    with translation.override("en"):
        assert rules.role_labels({rules.VOLUNTEER, rules.STAFF}) == ["Learning-support staff", "Volunteer"]
        assert rules.role_labels([rules.COORDINATOR]) == ["Coordinator"]
        assert rules.role_labels([]) == []


def test_a_user_object_without_the_superuser_flag_is_no_superuser():
    """Only a flag that says so makes a superuser: a stand-in without one (no roles either) chooses no lead."""
    stand_in = SimpleNamespace(is_authenticated=True, is_active=True, _yorisoi_roles=frozenset())
    assert not rules.can_choose_activity_lead(stand_in)


# --- Accounts: what a staff administrator manages ------------------------------------------------------
def test_a_staff_administrator_manages_the_accounts_of_their_sites_only(staff_admin, staff, coordinator, site,
                                                                          other_site):
    from classroom.factories import UserFactory
    from volunteers.factories import VolunteerFactory

    tutor = VolunteerFactory(sites=[site]).user
    elsewhere = UserFactory(roles=[rules.STAFF], sites=[other_site])
    boss = UserFactory(is_superuser=True, sites=[site])
    managed = set(rules.manageable_accounts(staff_admin))
    assert {staff, coordinator, tutor, staff_admin} <= managed
    assert not {elsewhere, boss} & managed
    assert rules.account_access(staff_admin, staff).change and not rules.account_access(staff_admin, boss).read
    assert not rules.manageable_accounts(staff).exists()  # plain staff manage nobody
    assert list(rules.account_sites(staff_admin)) == [site] and not rules.account_sites(staff).exists()


def test_a_staff_administrator_may_not_lock_themselves_out(staff_admin, staff):
    assert rules.locks_out(staff_admin, staff_admin, roles=[rules.STAFF], active=True)
    assert rules.locks_out(staff_admin, staff_admin, roles=[rules.STAFF_ADMIN], active=False)
    assert not rules.locks_out(staff_admin, staff_admin, roles=[rules.STAFF, rules.STAFF_ADMIN], active=True)
    assert rules.locks_out(staff_admin, staff_admin, roles=[rules.STAFF_ADMIN], active=True, sites=[])
    assert not rules.locks_out(staff_admin, staff, roles=[], active=False, sites=[])
