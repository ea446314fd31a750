"""Users and roles: a staff administrator manages the accounts of their own sites on Yorisoi's screens.

Each screen for the staff administrator and for everyone else (404), the accounts they may not manage
(another site's, a superuser's), role changes that apply on the next request, deactivation that ends
every session, no locking oneself out, hostile input, double submits, and an access-log entry for
every read and change.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from classroom import rules
from classroom.access_log import (
    ACCOUNT_CHANGE,
    ACCOUNT_CREATE,
    ACCOUNT_DEACTIVATE,
    ACCOUNT_LIST,
    ACCOUNT_REACTIVATE,
    ACCOUNT_VIEW,
    LOG_VIEW,
    TWO_FACTOR_RESET,
)
from classroom.factories import UserFactory
from classroom.models import AccessLog, SignedInSession
from classroom.services import accounts
from volunteers.factories import VolunteerFactory

User = get_user_model()
PAGES = ["oversight:home", "oversight:user_list", "oversight:user_create", "oversight:access_log"]
ACCOUNT_PAGES = ["oversight:user_detail", "oversight:user_active", "oversight:user_two_factor_reset"]


def logged(user, action) -> int:
    return AccessLog.objects.filter(user=user, action=action).count()


def edit_data(account, admin, **changes):
    data = {"last_name": account.last_name, "first_name": account.first_name, "email": account.email,
            "roles": sorted(rules.account_roles(account)),
            "sites": sorted(rules.account_memberships(admin, account)[0]),
            "state": accounts.account_state(account, by=admin)}
    data.update(changes)
    return data


# --- Who opens the screens -----------------------------------------------------------------------------
@pytest.mark.parametrize("persona", ["staff", "coordinator", "volunteer", "outsider"])
def test_only_staff_administrators_open_the_screens(client, request, persona, staff_admin, staff):
    client.force_login(request.getfixturevalue(persona))
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 404, name
    for name in [*ACCOUNT_PAGES, "oversight:user_edit"]:
        assert client.get(reverse(name, args=[staff.pk])).status_code == 404, name
        assert client.post(reverse(name, args=[staff.pk]), {"active": "0"}).status_code == 404, name
    staff.refresh_from_db()
    assert staff.is_active


def test_anonymous_is_sent_to_sign_in(client, staff):
    response = client.get(reverse("oversight:user_detail", args=[staff.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_staff_administrator_opens_every_screen_and_each_read_is_logged(staff_admin_client, staff_admin, staff):
    for name in PAGES:
        assert staff_admin_client.get(reverse(name)).status_code == 200, name
    for name in ACCOUNT_PAGES:
        assert staff_admin_client.get(reverse(name, args=[staff.pk])).status_code == 200, name
    assert logged(staff_admin, ACCOUNT_LIST) == 1 and logged(staff_admin, ACCOUNT_VIEW) == 1
    # The account's name is the page's; the header still names who is signed in.
    html = staff_admin_client.get(reverse("oversight:user_active", args=[staff.pk])).content.decode()
    assert "佐藤 美咲" in html and "山本 直子" in html and "ログインできなくなり" in html
    assert logged(staff_admin, LOG_VIEW) == 1
    # The user's page as an htmx fragment: the table only.
    fragment = staff_admin_client.get(reverse("oversight:user_list"), HTTP_HX_REQUEST="true",
                                      HTTP_HX_TARGET="user-results").content.decode()
    assert "<html" not in fragment and staff.username in fragment


def test_the_navigation_and_the_staff_home_lead_staff_administrators_only(client, staff_admin, staff):
    client.force_login(staff_admin)
    url = reverse("oversight:home")
    assert url in client.get(reverse("classroom:home_staff")).content.decode()
    client.force_login(staff)
    assert url not in client.get(reverse("classroom:home_staff")).content.decode()


def test_the_old_address_of_the_log_moves_for_good_for_staff_administrators_only(client, staff_admin, staff):
    client.force_login(staff)
    assert client.get("/visits/access-log/").status_code == 404
    client.force_login(staff_admin)
    response = client.get("/visits/access-log/?who=3")
    assert response.status_code == 301 and response["Location"] == reverse("oversight:access_log") + "?who=3"


# --- Which accounts ------------------------------------------------------------------------------------
def test_the_list_holds_the_accounts_of_the_admins_sites_and_their_volunteers_only(
        staff_admin_client, staff_admin, staff, coordinator, site, other_site):
    volunteer = VolunteerFactory(sites=[site]).user
    elsewhere = UserFactory(username="elsewhere-staff", roles=[rules.STAFF], sites=[other_site])
    far_volunteer = VolunteerFactory(sites=[other_site]).user
    boss = UserFactory(username="boss-superuser", is_superuser=True, sites=[site])
    html = staff_admin_client.get(reverse("oversight:user_list")).content.decode()
    for account in (staff, coordinator, volunteer, staff_admin):
        assert account.username in html
    for account in (elsewhere, far_volunteer, boss):
        assert account.username not in html
        assert staff_admin_client.get(reverse("oversight:user_detail", args=[account.pk])).status_code == 404
        response = staff_admin_client.post(reverse("oversight:user_active", args=[account.pk]), {"active": "0"})
        assert response.status_code == 404
        account.refresh_from_db()
        assert account.is_active


def test_the_list_filters_by_role_active_and_text(staff_admin_client, staff, coordinator):
    url = reverse("oversight:user_list")
    html = staff_admin_client.get(url, {"role": rules.COORDINATOR}).content.decode()
    assert coordinator.username in html and staff.username not in html
    coordinator.is_active = False
    coordinator.save()
    html = staff_admin_client.get(url, {"active": "no"}).content.decode()
    assert coordinator.username in html and staff.username not in html
    html = staff_admin_client.get(url, {"q": staff.last_name}).content.decode()
    assert staff.username in html and coordinator.username not in html
    # Hostile filters: an error in Japanese or ignored, never a 500.
    for query in ({"role": "superuser"}, {"active": "maybe"}, {"q": "x" * 10_000}, {"page": "-1"}):
        assert staff_admin_client.get(url, query).status_code in (200, 400)


def test_the_list_costs_the_same_queries_at_5_and_50_accounts(staff_admin_client, site, count_queries):
    def count() -> int:
        url = reverse("oversight:user_list")
        staff_admin_client.get(url)
        with count_queries() as queries:
            staff_admin_client.get(url)
        return queries.count

    for _ in range(5):
        UserFactory(roles=[rules.STAFF], sites=[site])
    few = count()
    for _ in range(45):
        UserFactory(roles=[rules.COORDINATOR], sites=[site])
    assert count() == few


# --- Creating an account --------------------------------------------------------------------------------
def create_data(site, **changes):
    data = {"username": "new-staff", "last_name": "新井", "first_name": "さくら", "email": "arai@example.jp",
            "roles": [rules.STAFF], "sites": [site.pk], "form_token": "a" * 32}
    data.update(changes)
    return data


def test_creating_an_account_mails_a_link_and_nobody_sees_a_password(staff_admin_client, staff_admin, site,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_admin_client.post(reverse("oversight:user_create"), create_data(site))
    account = User.objects.get(username="new-staff")
    assert response.status_code == 302 and response["Location"] == reverse("oversight:user_detail", args=[account.pk])
    assert rules.account_roles(account) == {rules.STAFF} and list(account.sites.all()) == [site]
    assert account.has_usable_password() and not account.check_password("")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["arai@example.jp"]
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", mail.outbox[0].body).group(0)
    assert "new-staff" in mail.outbox[0].body
    # The link sets the person's own password.
    page = Client().get(link, follow=True)
    assert page.status_code == 200 and "new_password1" in page.content.decode()
    assert logged(staff_admin, ACCOUNT_CREATE) == 1


def test_a_double_submit_creates_one_account(staff_admin_client, site, django_capture_on_commit_callbacks):
    url = reverse("oversight:user_create")
    with django_capture_on_commit_callbacks(execute=True):
        first = staff_admin_client.post(url, create_data(site))
        second = staff_admin_client.post(url, create_data(site))
    assert User.objects.filter(username="new-staff").count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("changes", [
    {"sites": []}, {"roles": []}, {"roles": ["superuser"]}, {"email": ""}, {"email": "not-an-address"},
    {"username": "スペース 入り"}, {"username": "x" * 10_000}, {"last_name": "長" * 5_000}, {"form_token": "zz"},
    {"username": "staff-persona"},
])
def test_hostile_or_bad_input_creates_nothing_and_answers_in_japanese(staff_admin_client, staff, site, changes):
    before = User.objects.count()
    response = staff_admin_client.post(reverse("oversight:user_create"), create_data(site, **changes))
    assert response.status_code in (200, 400)
    assert User.objects.count() == before
    if response.status_code == 200:
        assert 'role="alert"' in response.content.decode()
        assert re.search(r"[ぁ-んァ-ヶ一-龯]", re.sub(r"<[^>]+>", "", response.content.decode().split('role="alert"')[1]))


def test_another_sites_id_is_refused(staff_admin_client, other_site):
    response = staff_admin_client.post(reverse("oversight:user_create"), create_data(other_site))
    assert response.status_code == 200 and "sites" in response.context["form"].errors
    assert not User.objects.filter(username="new-staff").exists()


# --- Roles and sites ------------------------------------------------------------------------------------
def test_a_role_change_applies_on_the_next_request(staff_admin_client, staff_admin, coordinator, site):
    person = Client()
    person.force_login(coordinator)
    assert person.get(reverse("casework:visit_list")).status_code == 404
    response = staff_admin_client.post(reverse("oversight:user_edit", args=[coordinator.pk]),
                                       edit_data(coordinator, staff_admin, roles=[rules.STAFF]))
    assert response.status_code == 302
    assert person.get(reverse("casework:visit_list")).status_code == 200
    assert person.get(reverse("classroom:home_coordinator")).status_code == 404
    assert logged(staff_admin, ACCOUNT_CHANGE) == 1


def test_sites_change_among_the_admins_own_and_the_others_stay(staff_admin_client, staff_admin, site, other_site):
    third = type(site).objects.create(name="第三の教室")
    staff_admin.sites.add(third)
    person = UserFactory(roles=[rules.STAFF], sites=[site, other_site])
    response = staff_admin_client.post(reverse("oversight:user_edit", args=[person.pk]),
                                       edit_data(person, staff_admin, sites=[third.pk]))
    assert response.status_code == 302
    assert set(person.sites.all()) == {third, other_site}  # the admin cannot take away another site's membership


def test_a_stale_form_saves_nothing(staff_admin_client, staff_admin, other_admin, staff):
    stale = edit_data(staff, staff_admin, last_name="古い")
    accounts.account_update(by=other_admin, account=staff, first_name=staff.first_name, last_name="新しい",
                            email=staff.email, roles=[rules.STAFF], sites=[s.pk for s in staff.sites.all()])
    response = staff_admin_client.post(reverse("oversight:user_edit", args=[staff.pk]), stale)
    assert response.status_code == 200 and "開いた後" in response.content.decode()
    staff.refresh_from_db()
    assert staff.last_name == "新しい"
    assert logged(staff_admin, ACCOUNT_CHANGE) == 0


def test_saving_twice_is_the_same_as_once(staff_admin_client, staff_admin, staff):
    data = edit_data(staff, staff_admin, roles=[rules.STAFF, rules.COORDINATOR])
    url = reverse("oversight:user_edit", args=[staff.pk])
    assert staff_admin_client.post(url, data).status_code == 302
    assert staff_admin_client.post(url, data).status_code == 302  # the same target state: nothing more changes
    assert rules.account_roles(staff) == {rules.STAFF, rules.COORDINATOR}


@pytest.mark.parametrize("changes", [{"roles": ["superuser"]}, {"sites": ["99999999"]}, {"sites": ["x"]},
                                     {"email": "a" * 300}, {"last_name": ""}, {"state": "z" * 100}])
def test_hostile_edits_change_nothing(staff_admin_client, staff_admin, staff, changes):
    before = (staff.last_name, staff.email, rules.account_roles(staff), set(staff.sites.all()))
    response = staff_admin_client.post(reverse("oversight:user_edit", args=[staff.pk]),
                                       edit_data(staff, staff_admin, **changes))
    assert response.status_code in (200, 400)
    staff.refresh_from_db()
    assert (staff.last_name, staff.email, rules.account_roles(staff), set(staff.sites.all())) == before


def test_a_staff_administrator_cannot_remove_their_own_role(staff_admin_client, staff_admin):
    response = staff_admin_client.post(reverse("oversight:user_edit", args=[staff_admin.pk]),
                                       edit_data(staff_admin, staff_admin, roles=[rules.STAFF]))
    assert response.status_code == 200 and "管理者" in response.content.decode()
    assert rules.STAFF_ADMIN in rules.account_roles(staff_admin)


def test_a_staff_administrator_cannot_leave_all_their_sites(staff_admin_client, staff_admin, site):
    response = staff_admin_client.post(reverse("oversight:user_edit", args=[staff_admin.pk]),
                                       edit_data(staff_admin, staff_admin, sites=[]))
    assert response.status_code == 200 and list(staff_admin.sites.all()) == [site]


def test_another_staff_administrator_may_remove_it(staff_admin_client, staff_admin, other_admin):
    response = staff_admin_client.post(reverse("oversight:user_edit", args=[other_admin.pk]),
                                       edit_data(other_admin, staff_admin, roles=[rules.STAFF]))
    assert response.status_code == 302 and rules.account_roles(other_admin) == {rules.STAFF}


# --- Deactivation and the second factor ----------------------------------------------------------------
def signed_in(user) -> tuple[Client, str]:
    person = Client()
    person.force_login(user)
    key = person.session.session_key
    SignedInSession.objects.get_or_create(user=user, session_key=key)  # force_login records it already
    return person, key


def test_deactivating_ends_every_session_at_once(staff_admin_client, staff_admin, staff):
    person, key = signed_in(staff)
    assert person.get(reverse("classroom:home_staff")).status_code == 200
    url = reverse("oversight:user_active", args=[staff.pk])
    assert "無効" in staff_admin_client.get(url).content.decode()  # the confirmation step
    assert staff_admin_client.post(url, {"active": "0"}).status_code == 302
    assert staff_admin_client.post(url, {"active": "0"}).status_code == 302  # a double submit: no error
    staff.refresh_from_db()
    assert not staff.is_active and not SessionStore().exists(key)
    assert person.get(reverse("classroom:home_staff")).status_code == 302  # back to sign-in
    assert logged(staff_admin, ACCOUNT_DEACTIVATE) == 2
    assert staff_admin_client.post(url, {"active": "1"}).status_code == 302
    staff.refresh_from_db()
    assert staff.is_active and logged(staff_admin, ACCOUNT_REACTIVATE) == 1
    assert staff_admin_client.post(url, {"active": "maybe"}).status_code == 404


def test_a_staff_administrator_cannot_deactivate_themselves(staff_admin_client, staff_admin):
    response = staff_admin_client.post(reverse("oversight:user_active", args=[staff_admin.pk]), {"active": "0"},
                                       follow=True)
    staff_admin.refresh_from_db()
    assert staff_admin.is_active and "無効" in response.content.decode()
    assert logged(staff_admin, ACCOUNT_DEACTIVATE) == 0


def test_resetting_the_second_factor_deletes_the_devices_after_a_confirmation(staff_admin_client, staff_admin, staff):
    TOTPDevice.objects.create(user=staff, name="authenticator", confirmed=True)
    StaticDevice.objects.create(user=staff, name="recovery")
    person, key = signed_in(staff)
    url = reverse("oversight:user_two_factor_reset", args=[staff.pk])
    assert staff_admin_client.get(url).status_code == 200 and TOTPDevice.objects.filter(user=staff).exists()
    assert staff_admin_client.post(url).status_code == 302
    assert staff_admin_client.post(url).status_code == 302  # twice: nothing left to delete, no error
    assert not TOTPDevice.objects.filter(user=staff).exists() and not StaticDevice.objects.filter(user=staff).exists()
    assert not SessionStore().exists(key)
    assert logged(staff_admin, TWO_FACTOR_RESET) == 2


# --- The log shows each action readably ----------------------------------------------------------------
def test_the_log_names_each_account_action_in_japanese(staff_admin_client, staff_admin, staff):
    staff_admin_client.get(reverse("oversight:user_list"))
    staff_admin_client.get(reverse("oversight:user_detail", args=[staff.pk]))
    staff_admin_client.post(reverse("oversight:user_active", args=[staff.pk]), {"active": "0"})
    html = staff_admin_client.get(reverse("oversight:access_log"), {"who": staff_admin.pk}).content.decode()
    for label in ("アカウント一覧の閲覧", "アカウントの閲覧", "アカウントの無効化"):
        assert label in html, label
    assert reverse("oversight:user_detail", args=[staff.pk]) in html
