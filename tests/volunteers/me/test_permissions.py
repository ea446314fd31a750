"""A volunteer tries every URL of another volunteer and of unpaired children: 404 everywhere.

The URL patterns are enumerated from the resolver, so screens added later are covered too;
each is tried with real primary keys (of a paired child as well: staff pages stay closed).
"""

import re
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from classroom.factories import (
    ClassDayFactory,
    ConsentFactory,
    OutcomeFactory,
    StudentFactory,
    TutoringRecordFactory,
)
from classroom.grades import fiscal_year_of
from classroom.models import SignedInSession, TutoringRecord
from classroom.services.tokens import token_create
from tests.neighbours import ours
from tests.volunteers.me.conftest import days
from volunteers.models import AvailabilityException, PairingPreference, SignUp, SignUpAnswer

# The volunteer's own pages, and the pages every signed-in user has.
OPEN_TO_A_VOLUNTEER = {
    "healthz", "login", "logout", "password_change", "password_change_done", "set_language",
    "api:openapi-json", "api:openapi-view", "api:api-root", "api:me", "api:sites", "api:students", "api:class_day_list",
    "classroom:home",
    "volunteers:home_volunteer", "activities:my_activities", "activities:activity_offer_help", "volunteers:my_calendar",
    "volunteers:my_calendar_renew", "volunteers:my_calendar_revoke", "volunteers:my_hours", "volunteers:calendar_feed",
    # Every signed-in user's own account: profile and tokens, where they are signed in, the second factor.
    "classroom:profile", "classroom:token_create", "classroom:sessions_end_others", "classroom:two_factor",
    "classroom:two_factor_setup", "classroom:two_factor_verify", "classroom:two_factor_codes",
    "classroom:two_factor_recovery_renew", "classroom:two_factor_turn_off",
    "favicon", "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete",
}
PUBLIC = {"healthz", "login", "set_language", "volunteers:calendar_feed", "api:api-root", "api:openapi-json", "logout",
          "favicon", "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete"}


def patterns(resolver=None, prefix="", namespace=None):
    """(route, URL name with its namespace) of every pattern but the admin's."""
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("admin/"):
                continue
            yield from patterns(p, prefix + str(p.pattern), p.namespace or namespace)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (f"{namespace}:{p.name}" if namespace and p.name else p.name)


@pytest.fixture
def world(me, pair, child, sibling, other_volunteer, site, other_site, staff):
    """Someone else's everything, with real keys."""
    unpaired = StudentFactory(site=site, nickname="ヨソちゃん")
    elsewhere = StudentFactory(site=other_site)
    other_day = ClassDayFactory(site=site, date=days(0), start_time=pair.class_day.start_time.replace(hour=10),
                                end_time=pair.class_day.end_time.replace(hour=12))
    other_record = TutoringRecordFactory(class_day=other_day, student=unpaired, tutor=other_volunteer.user)
    old_record = TutoringRecordFactory(class_day=ClassDayFactory(site=site, date=days(-30)), student=child, tutor=None)
    sign_up = SignUp.objects.create(volunteer=other_volunteer, class_day=other_day, answer=SignUpAnswer.CAN_COME)
    my_sign_up = ours(SignUp).get(volunteer=me)
    return {
        "students": [unpaired, elsewhere, sibling, child],
        "class_days": [other_day, pair.class_day, ClassDayFactory(site=other_site, date=days(2))],
        "volunteers": [other_volunteer, me],
        "records": [other_record, old_record],
        "sign_ups": [sign_up, my_sign_up],
        "consents": [ConsentFactory(student=unpaired), ConsentFactory(student=child)],
        "exceptions": [AvailabilityException.objects.create(volunteer=other_volunteer, date=days(3))],
        "preferences": [PairingPreference.objects.create(student=unpaired, volunteer=other_volunteer, kind="preferred")],
        "outcomes": [OutcomeFactory(student=child), OutcomeFactory(student=unpaired)],  # even their own child's
        # Someone else's API token and signed-in session.
        "account": [token_create(user=staff, name="市の台帳", expires_on=days(30))[0],
                    SignedInSession.objects.create(user=staff, session_key="s" * 40)],
    }


OWN_POST_ONLY = {"activities:help_offer", "activities:help_withdraw"}
# Writes that answer any GET with 405 before asking who is there (a GET reveals nothing); their POST is 404 here.
POST_ONLY = {"classroom:session_end", "dataio:student_legal_hold"}
ANY_KEYS = [SimpleNamespace(pk=n) for n in (1, 2, 3)]


def candidates(route: str, world: dict) -> list[str]:
    """Every way of filling the route's parameters with someone else's real keys."""
    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    if not params:
        return [route]
    first = params[0]
    if first == "token":
        return []
    if first == "uidb64":  # a password reset link: anyone's to open (the page checks its token)
        return [route.replace("<uidb64>", "MQ").replace("<token>", "not-a-token")]
    if route.startswith("oversight/history/"):  # the change history: staff administrators only
        return [route.replace("<slug:kind>", "student").replace("<int:pk>", str(s.pk)) for s in world["students"]]
    if route.startswith("accounts/profile/tokens/"):
        pks = world["account"][:1]
    elif route.startswith("accounts/profile/sessions/"):
        pks = world["account"][1:]
    elif route.startswith("api/classroom/class-days/"):
        pks = world["class_days"]
    elif route.startswith(("students/", "api/")) or first in ("student_id",):
        pks = world["students"]
    elif route.startswith("outcomes/"):
        pks = world["outcomes"]
    elif route.startswith("volunteer/records/"):
        pks = world["records"]
    elif route.startswith(("class-days/", "volunteers/class-days/", "volunteers/plan/", "volunteer/class-days/")):
        pks = world["class_days"]
    elif route.startswith("volunteers/"):
        pks = world["volunteers"]
    elif route.startswith(("visits/", "contacts/", "shares/", "activities/", "partners/", "volunteer/activities/",
                           "outbox/")):
        pks = ANY_KEYS  # staff-only records (visits, queued mail...) and activities the volunteer does not help at
    elif route.startswith("data/children/"):
        pks = world["students"]  # a child's own data export: staff administrators only
    elif route.startswith("oversight/users/"):
        pks = [SimpleNamespace(pk=world["account"][0].user_id)]  # a staff member's account: staff administrators only
    elif route.startswith("imports/"):
        pks = ANY_KEYS  # imports: staff of the site only
    elif route.startswith("reports/"):
        pks = [SimpleNamespace(pk=fiscal_year_of(timezone.localdate()))]  # the report to the city: staff, coordinators
    else:
        pytest.fail(f"Unknown parameter in {route}: teach this test about it")
    others = {
        "student_pk": world["students"], "student_id": world["students"], "consent_pk": world["consents"], "volunteer_pk": world["volunteers"],
        "exception_pk": world["exceptions"], "preference_pk": world["preferences"], "sign_up_pk": world["sign_ups"],
        "participant_pk": ANY_KEYS, "helper_pk": ANY_KEYS,
        "month": [SimpleNamespace(pk=f"{timezone.localdate().year:04d}-{timezone.localdate().month:02d}")],
    }
    urls = []
    for obj in pks:
        url = re.sub(r"<(?:\w+:)?" + first + ">", str(obj.pk), route, count=1)
        for name in params[1:]:
            url = re.sub(r"<(?:\w+:)?" + name + ">", str(others[name][0].pk), url, count=1)
        urls.append(url)
    return urls


def test_volunteer_gets_404_on_every_url_not_their_own(volunteer_client, world):
    volunteer_client.get("/volunteer/")
    tried, wrong = 0, []
    for route, name in patterns():
        if name in OPEN_TO_A_VOLUNTEER or route in ("api/volunteers/", "api/classroom/students"):
            continue  # the API lists answer only the volunteer's own record or nothing (tests/volunteers/manage/test_api.py)
        for url in candidates(route, world):
            if name == "volunteers:my_sign_up" and any(url.endswith(f"/{d.pk}/answer/") for d in world["class_days"][:2]):
                continue  # a class day of their own site: theirs to answer
            for method in ("get",) if route.startswith("api/") else ("get", "post"):
                tried += 1
                status = getattr(volunteer_client, method)("/" + url).status_code
                if status == 405 and method == "get" and (name in OWN_POST_ONLY | POST_ONLY or route.startswith("api/")):
                    continue  # the volunteer's own one-tap actions; their POST must still be 404 here
                if status != 404:
                    wrong.append(f"{method.upper()} /{url} ({name}) -> {status}")
    assert tried > 50
    assert not wrong, "\n".join(wrong)


def test_api_student_detail_is_404_for_a_volunteer(volunteer_client, world):
    for student in world["students"]:
        assert volunteer_client.get(f"/api/classroom/students/{student.pk}").status_code == 404


def test_nothing_written_by_the_attempts(volunteer_client, world, me):
    before = ours(SignUp).filter(volunteer=me).values_list("answer", "confirmed_at").get()
    test_volunteer_gets_404_on_every_url_not_their_own(volunteer_client, world)
    assert ours(SignUp).filter(volunteer=me).values_list("answer", "confirmed_at").get() == before
    assert not TutoringRecord.objects.filter(pk__in=[r.pk for r in world["records"]], written_at__isnull=False).exists()
    assert ours(SignUp).count() == 2


def test_anonymous_is_sent_to_login_or_404(client, world):
    wrong = []
    for route, name in patterns():
        if name in PUBLIC or name in ("api:me", "api:sites", "api:students", "api:openapi-view"):
            continue
        for url in candidates(route, world)[:1]:
            response = client.get("/" + url)
            if route.startswith("api/") and response.status_code in {401, 405}:
                continue  # the API answers 401 without a session (405 to a GET on a POST-only route)
            if not (response.status_code == 404 or (response.status_code == 302 and "/accounts/login/" in response["Location"])):
                wrong.append(f"GET /{url} ({name}) -> {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_paired_child_is_not_visible_once_the_window_closed(volunteer_client, me, child, site):
    from django.urls import reverse
    record = TutoringRecordFactory(class_day=ClassDayFactory(site=site, date=days(-8)), student=child, tutor=me.user,
                                   written_at=timezone.now())
    html = volunteer_client.get(reverse("volunteers:home_volunteer")).content.decode()
    assert "ケンくん" not in html
    assert "ケンくん" not in volunteer_client.get(reverse("volunteers:my_tutoring_record", args=[record.pk])).content.decode()
