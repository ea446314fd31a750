"""Every URL pattern, tried as every role: nobody reaches what their role must not see.

A new URL pattern needs an entry in ARGUMENTS (how to fill its parameters) and, if a role
without classroom access may open it, in OPEN_TO; otherwise this test fails, on purpose.
"""

import datetime as dt
import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from casework.models import Contact, FollowUpAction, HomeVisit, InformationShare
from classroom.factories import (
    AttendanceFactory,
    ClassDayFactory,
    ConsentFactory,
    DropInFactory,
    GuardianFactory,
    HouseholdContactFactory,
    HouseholdFactory,
    OutcomeFactory,
    StudentFactory,
    TutoringRecordFactory,
)
from classroom.grades import fiscal_year_of
from classroom.models import (
    Attendance,
    ClassDay,
    Consent,
    DropIn,
    HouseholdContact,
    OutgoingMessage,
    Student,
    TutoringRecord,
)
from classroom.services.tokens import token_create
from volunteers.factories import VolunteerFactory

SENSITIVE = {
    "visit note": "秘密の訪問メモ",
    "contact note": "秘密の電話メモ",
    "follow-up": "秘密の対応",
    "share": "秘密の共有",
    "guardian phone": "090-5555-0199",
    "guardian email": "hogosha-secret@example.jp",
    "health note": "ピーナッツ重度アレルギー",
    "household address": "埼玉県深谷市秘密町9-9-9",
    "caseworker": "生活福祉課 守秘太郎",
    "consent partners": "深谷市立秘密中学校との共有",
    "reason label (ja)": "生活保護受給世帯",
    "reason label (en)": "Public assistance",
    "mail not sent": "秘密の未送信メール",
    "outcome note": "秘密の進路メモ",
    "outcome reason (ja)": "学校生活・人間関係",
}

# API lists answer an empty list (or only the user's own record) rather than 404.
API_OPEN = {"api:me", "api:sites", "api:students", "api:student_create", "api:class_day_list", "api:volunteer_list", "api:openapi-json",
            "api:openapi-view"}
# Asking for a new password is open to anyone, signed in or not (the link's own page checks its token).
PASSWORD_RESET = {"password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete"}
# Every signed-in user manages their own second factor (the pages act on the user's own devices only).
TWO_FACTOR = {"classroom:two_factor", "classroom:two_factor_setup", "classroom:two_factor_verify",
              "classroom:two_factor_codes"}
# Every signed-in user's own page and personal API tokens (a token of someone else: 404).
PROFILE = {"classroom:profile", "classroom:token_create"}
# The only pages a role without classroom access may open (everything else: 404, 405 or login).
OPEN_TO = {
    "volunteer": {*PROFILE, "classroom:home", "volunteers:home_volunteer", "activities:my_activities",
                  "activities:activity_offer_help", "password_change", "password_change_done", "login", "healthz",
                  *PASSWORD_RESET, *TWO_FACTOR, *API_OPEN},
    "outsider": {"classroom:home", "password_change", "password_change_done", "login", "healthz", *PASSWORD_RESET,
                 *TWO_FACTOR, *API_OPEN, *PROFILE},
    "anonymous": {"login", "healthz", *PASSWORD_RESET},
}
SKIP = {"logout", "set_language", "api-root", "favicon"}  # favicon: a redirect to a static file, for anyone


def url_patterns(patterns=None, namespace=None):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin" or p.namespace == "admin":
                continue
            yield from url_patterns(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern) and p.name and p.name not in SKIP:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p


@pytest.fixture
def world(site, staff):
    """A site whose one child has every kind of sensitive record."""
    household = HouseholdFactory(address=SENSITIVE["household address"])
    guardian = GuardianFactory(household=household, phone=SENSITIVE["guardian phone"], email=SENSITIVE["guardian email"])
    HouseholdContactFactory(household=household, kind=HouseholdContact.Kind.CASEWORKER, name=SENSITIVE["caseworker"])
    student = StudentFactory(site=site, household=household, family_name="秘密山", health_notes=SENSITIVE["health note"],
                             reasons=["public_assistance"], usual_weekdays="0123456")
    consent = ConsentFactory(student=student, guardian=guardian, partners=SENSITIVE["consent partners"])
    class_day = ClassDayFactory(site=site, date=timezone.localdate())
    AttendanceFactory(class_day=class_day, student=student)
    record = TutoringRecordFactory(class_day=class_day, student=student, handover_note="分数の復習から")
    DropInFactory(student=student)
    volunteer = VolunteerFactory(sites=[site])
    visit = HomeVisit.objects.create(student=student, living_environment="秘密の訪問メモ")
    visit.staff.add(staff)
    contact = Contact.objects.create(student=student, kind="phone", staff=staff, notes="秘密の電話メモ")
    follow_up = FollowUpAction.objects.create(student=student, visit=visit, description="秘密の対応", owner=staff,
                                              due_on=timezone.localdate())
    share = InformationShare.objects.create(student=student, recipient_name=SENSITIVE["caseworker"], what="秘密の共有",
                                            shared_by=staff, basis="consent", consent=consent)
    ClassDayFactory(site=site, date=timezone.localdate() - dt.timedelta(days=7))
    outcome = OutcomeFactory(student=student, stage="high_school", result="left_school", school="県立秘密高校",
                             decided_on=timezone.localdate() - dt.timedelta(days=10), reason="school_life",
                             note=SENSITIVE["outcome note"])
    message = OutgoingMessage.objects.create(site=site, recipients=[staff.email or "staff@example.jp"],
                                             subject="早期警告", body=SENSITIVE["mail not sent"], status="failed",
                                             attempts=6, last_error="SMTPConnectError")
    api_token, _key = token_create(user=staff, name="市の台帳", expires_on=timezone.localdate() + dt.timedelta(days=30))
    return {"staff": staff, "api_token": api_token, "message": message, "outcome": outcome, "student": student, "consent": consent, "class_day": class_day, "record": record,
            "volunteer": volunteer, "visit": visit, **activity_world(site, staff, student, guardian), "contact": contact, "follow_up": follow_up, "share": share,
            "import_run": import_world(site, staff)}


def import_world(site, staff):
    """An import preview whose one row carries a guardian's phone (and whose one error the error file lists)."""
    from dataio.services.imports import import_upload

    data = ("氏名,ふりがな,生年月日,保護者氏名,保護者ふりがな,電話番号\n"
            f"秘密山 はな,ひみつやま はな,2025/2/30,秘密山 母,ひみつやま はは,{SENSITIVE['guardian phone']}\n").encode()
    return import_upload(kind="students", site=site, file_name="名簿.csv", data=data, by=staff)


def activity_world(site, staff, student, guardian):
    from django.core.files.base import ContentFile

    from activities.models import Activity, ActivityPhoto, Helper, Participant, Partner

    partner = Partner.objects.create(name="秘密の農園", kind="farm", phone="048-000-0000")
    activity = Activity.objects.create(
        title="野菜の収穫体験", kind="farming", partner=partner, site=site, date=timezone.localdate(),
        start_time=dt.time(9), end_time=dt.time(12), place="深谷市の農園", capacity=10, food_involved=True)
    participant = Participant.objects.create(activity=activity, role="student", student=student, answer="going",
                                             allergy_notes=SENSITIVE["health note"])
    Participant.objects.create(activity=activity, role="guardian", guardian=guardian, household=guardian.household,
                               answer="going")
    helper = Helper.objects.create(activity=activity, staff=staff, role="受付")
    photo = ActivityPhoto(activity=activity, caption="収穫")
    photo.image.save("harvest.png", ContentFile(PNG), save=True)
    return {"partner": partner, "activity": activity, "participant": participant, "helper": helper, "photo": photo}


# A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def arguments(name: str, pattern: URLPattern, world) -> dict:
    keys = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
    short = name.split(":")[-1]
    values = {}
    for key in keys:
        if key in {"student_pk", "student_id"} or (key == "pk" and name.split(":")[-1].startswith(("student", "consent"))):
            values[key] = world["student"].pk
        elif key == "pk" and (short in {"my_sign_up", "pairing_plan", "pairing_plan_row", "pairing_plan_choose", "plan_save"}
                              or short.startswith(("volunteer_attendance", "pairing_sign_up"))):
            values[key] = world["class_day"].pk
        elif key in {"pk", "volunteer_pk"} and short.startswith(("volunteer_", "availability_exception_",
                                                               "pairing_preference_")):
            values[key] = world["volunteer"].pk
        elif key in {"exception_pk", "preference_pk", "sign_up_pk"}:
            values[key] = 1
        elif key == "pk" and short == "my_tutoring_record":
            values[key] = world["record"].pk
        elif key == "token":
            values[key] = "not-a-token"
        elif key == "uidb64":
            values[key] = "MQ"  # a user's id in a reset link (the token beside it is not valid)
        elif key == "pk" and short == "session_end":
            values[key] = 1  # POST only: a GET answers 405 whoever asks
        elif key == "pk" and short == "token_revoke":
            values[key] = world["api_token"].pk
        elif key == "pk" and short.startswith("visit_"):
            values[key] = world["visit"].pk
        elif key == "pk" and short.startswith("followup_"):
            values[key] = world["follow_up"].pk
        elif key == "pk" and short.startswith("contact_"):
            values[key] = world["contact"].pk
        elif key == "pk" and short.startswith("outcome_"):
            values[key] = world["outcome"].pk
        elif key == "pk" and short.startswith("user_"):
            values[key] = world["staff"].pk  # an account the staff administrator of the site manages
        elif key == "pk" and short == "subject_access_download":
            values[key] = world["student"].pk
        elif key == "pk" and short.startswith("outbox_"):
            values[key] = world["message"].pk
        elif key == "pk" and short == "share_detail":
            values[key] = world["share"].pk
        elif key == "pk" and short in {"share_list", "student_timeline"}:
            values[key] = world["student"].pk
        elif key == "pk" and short in {"activity_photo", "activity_photo_thumbnail", "activity_photo_delete"}:
            values[key] = world["photo"].pk
        elif key == "pk" and short.startswith("partner_"):
            values[key] = world["partner"].pk
        elif key == "pk" and short.startswith(("activity_", "helper_", "help_")):
            values[key] = world["activity"].pk
        elif key == "pk" and short.startswith("import_"):
            values[key] = world["import_run"].pk
        elif key == "kind" and short == "import_template":
            values[key] = "students"
        elif key == "kind" and short == "history_record":
            values[key] = "student"
        elif key == "pk" and short == "history_record":
            values[key] = world["student"].pk
        elif key == "participant_pk":
            values[key] = world["participant"].pk
        elif key == "helper_pk":
            values[key] = world["helper"].pk
        elif key == "consent_pk":
            values[key] = world["consent"].pk
        elif key == "pk" and name.split(":")[-1].startswith(("class_day", "roster", "attendance", "tutoring")):
            values[key] = world["class_day"].pk
        elif key == "fy":
            values[key] = fiscal_year_of(timezone.localdate())
        elif key == "month":
            values[key] = timezone.localdate().replace(day=1)
        else:
            pytest.fail(f"no argument known for {key!r} of URL {name!r}: add it to tests/test_access_crawl.py")
    return values


# Pages that take the child from the query string (e.g. "plan a visit" from the warning page).
STUDENT_QUERY = {"visit_create", "contact_create", "share_create"}


def url_for(name: str, pattern: URLPattern, world) -> str:
    url = reverse(name, kwargs=arguments(name, pattern, world))
    if name.split(":")[-1] in STUDENT_QUERY:
        url += f"?student={world['student'].pk}"
    return url


def text_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    if response.get("Content-Type", "").startswith("application/json"):
        # JSON escapes Japanese (\u79d8...): read it back, so that a leaked value is found as written.
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode(errors="replace")  # a download (the report's XLSX) is not text


def snapshot():
    return [m.objects.count() for m in (Student, Attendance, ClassDay, Consent, DropIn, TutoringRecord)]


@pytest.mark.parametrize("persona", ["volunteer", "outsider", "anonymous"])
def test_roles_without_classroom_access_reach_nothing(client, request, world, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    before = snapshot()
    opened = []
    for name, pattern in url_patterns():
        url = url_for(name, pattern, world)
        response = client.get(url)
        assert response.status_code != 500, url
        if response.status_code == 200 and name not in OPEN_TO[persona]:
            opened.append(url)
        if response.status_code == 200:
            content = text_of(response)
            leaked = [label for label, value in SENSITIVE.items() if value in content]
            assert not leaked and "秘密山" not in content, (url, leaked)
        posted = client.post(url, {"status": "present"})
        if name not in OPEN_TO[persona]:
            # The API validates a body before the view runs: a bad body answers 400/422, and nothing is written.
            refused = {302, 401, 403, 404, 405} | ({400, 422} if name.startswith("api:") else set())
            assert posted.status_code in refused, (url, posted.status_code)
    assert not opened, f"{persona} opened: {opened}"
    assert snapshot() == before


def test_coordinators_never_see_sensitive_fields(coordinator_client, world):
    seen = 0
    for name, pattern in url_patterns():
        url = url_for(name, pattern, world)
        for response in (coordinator_client.get(url), coordinator_client.get(url, HTTP_HX_REQUEST="true")):
            assert response.status_code != 500, url
            if response.status_code == 200:
                seen += 1
                content = text_of(response)
                leaked = [label for label, value in SENSITIVE.items() if value in content]
                assert not leaked, (url, leaked)
    assert seen > 15  # the coordinator really did open the classroom's pages


OTHER_ROLES_HOMES = {"classroom:home_coordinator", "volunteers:home_volunteer"}
# The staff administrator's pages: staff without that role get 404 (the downloads take a POST: 405 first).
STAFF_ADMIN_ONLY = {"dataio:data_home", "dataio:export_download", "dataio:subject_access_download",
                    "oversight:home", "oversight:user_list", "oversight:user_create", "oversight:user_detail",
                    "oversight:user_edit", "oversight:user_active", "oversight:user_two_factor_reset",
                    "oversight:access_log", "oversight:access_log_moved",
                    "oversight:history", "oversight:history_record"}


def test_staff_open_every_classroom_page_without_error(staff_client, world):
    for name, pattern in url_patterns():
        url = url_for(name, pattern, world)
        response = staff_client.get(url)
        volunteer_only = (name in OTHER_ROLES_HOMES or name.split(":")[-1].startswith(("my_", "help_"))
                          or name in {"volunteers:calendar_feed", "activities:activity_offer_help"})
        expected = {404, 405} if volunteer_only or name in STAFF_ADMIN_ONLY else {200, 302, 405}
        assert response.status_code in expected, (url, response.status_code)


def test_another_sites_staff_reach_nothing_of_this_site(client, other_site, world):
    from classroom import rules
    from classroom.factories import UserFactory

    stranger = UserFactory(roles=[rules.STAFF, rules.COORDINATOR], sites=[other_site])
    client.force_login(stranger)
    for name, pattern in url_patterns():
        kwargs = arguments(name, pattern, world)
        if not kwargs or name.startswith("activities:partner_"):
            continue  # partners (shops, farms) are shared by the whole program
        if name in PASSWORD_RESET:
            continue  # a reset link belongs to no site: with a wrong token it says the link does not work
        if set(kwargs) <= {"fy", "month"}:
            continue  # a period belongs to no site: each user's report counts only their own sites
        if name == "dataio:import_template":
            continue  # an empty template with example rows belongs to no site
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code in {404, 405}, (name, response.status_code)


QUERY_BUDGET = 20
# Pages allowed more, each with why: the student page also shows who changed the child and the household
# last (one query each, from the change history).
QUERY_BUDGETS = {"classroom:student_detail": QUERY_BUDGET + 2}


@pytest.mark.parametrize("persona", ["staff", "coordinator"])
def test_every_page_stays_within_a_query_budget(client, request, world, count_queries, persona):
    """A ceiling for every page; each list also has its own test that 5 and 50 rows cost the same."""
    client.force_login(request.getfixturevalue(persona))
    over = []
    for name, pattern in url_patterns():
        url = url_for(name, pattern, world)
        client.get(url)  # the first request of a session also saves the session
        with count_queries() as queries:
            client.get(url)
        if queries.count > QUERY_BUDGETS.get(name, QUERY_BUDGET):
            over.append((url, queries.count))
    assert not over, over


# --- What each role MUST be able to open ---------------------------------------------------------
# role -> URL name -> what the page must show (a function of the world). A role's work needs each of
# these: a rule that denies too much fails here, as one that allows too much fails above.
def _child(w):
    return [w["student"].family_name]


def _nickname(w):
    return [w["student"].nickname]


def _volunteer_name(w):
    return [w["volunteer"].user.last_name]


def _activity(w):
    return ["野菜の収穫体験"]


def _site_name(w):
    return [w["class_day"].site.name]


MUST_OPEN = {
    "staff": {
        "classroom:home_staff": lambda w: [],
        "classroom:student_list": _child, "classroom:student_timeline": _child, "classroom:student_edit": _child,
        "classroom:student_detail": lambda w: [*_child(w), SENSITIVE["health note"], SENSITIVE["household address"],
                                     SENSITIVE["guardian phone"], SENSITIVE["consent partners"],
                                     SENSITIVE["outcome note"], SENSITIVE["outcome reason (ja)"], "県立秘密高校"],
        "classroom:outcome_todo": lambda w: [], "classroom:outcome_create": _child,
        "classroom:outcome_edit": lambda w: [*_child(w), SENSITIVE["outcome note"], "県立秘密高校"],
        "classroom:outcome_delete": lambda w: [*_child(w), "県立秘密高校"],
        "classroom:student_create": lambda w: [], "classroom:consent_add": _child,
        "classroom:student_statement": _child,
        "classroom:class_day_list": lambda w: [], "classroom:class_day_calendar": lambda w: [], "classroom:class_day_detail": lambda w: [],
        "classroom:class_day_create": lambda w: [], "classroom:roster": _child, "classroom:roster_close": lambda w: [],
        "classroom:tutoring_record_edit": lambda w: [*_child(w), "分数の復習から"],
        "classroom:dropin_board": _child,
        "casework:visit_list": _child, "casework:visit_detail": lambda w: ["秘密の訪問メモ"], "casework:visit_edit": lambda w: ["秘密の訪問メモ"],
        "casework:visit_create": _child,
        "casework:followup_list": lambda w: ["秘密の対応"],
        "casework:contact_list": _child, "casework:contact_detail": lambda w: ["秘密の電話メモ"], "casework:contact_create": _child,
        "casework:share_list": lambda w: ["秘密の共有"], "casework:share_detail": lambda w: ["秘密の共有", SENSITIVE["caseworker"]],
        "casework:share_create": _child,
        "casework:warning_list": lambda w: [], "casework:warning_settings": lambda w: [],
        "volunteers:volunteer_list": _volunteer_name, "volunteers:volunteer_detail": _volunteer_name, "volunteers:volunteer_edit": _volunteer_name,
        "volunteers:volunteer_hours": lambda w: [], "volunteers:volunteer_attendance": _volunteer_name,
        "activities:activity_list": _activity, "activities:activity_detail": _activity,
        "activities:activity_participants": lambda w: [*_child(w), SENSITIVE["health note"]],
        "activities:activity_day_of": _child, "activities:activity_report": _activity, "activities:activity_print_participants": _child,
        "activities:partner_list": lambda w: ["秘密の農園"], "activities:partner_detail": lambda w: ["秘密の農園"],
        "reporting:report_year": _site_name, "reporting:report_month": _site_name,
        "classroom:profile": lambda w: ["市の台帳", w["api_token"].prefix], "classroom:token_revoke": lambda w: ["市の台帳"],
        "api:tutoring_record": lambda w: ["分数の復習から"], "api:student_outcomes": lambda w: ["県立秘密高校", SENSITIVE["outcome note"]],
        "dataio:import_list": lambda w: ["名簿.csv"], "dataio:import_new": lambda w: [],
        "dataio:import_detail": lambda w: ["秘密山 はな", "存在しない日付"],
        "dataio:import_columns": lambda w: ["保護者氏名"],
    },
    "coordinator": {
        "classroom:profile": lambda w: [w["class_day"].site.name],
        "api:tutoring_record": lambda w: ["分数の復習から"], "api:student_outcomes": lambda w: ["県立秘密高校"],
        "classroom:home_coordinator": lambda w: [],
        "classroom:student_list": _child, "classroom:student_detail": lambda w: [*_child(w), "県立秘密高校", "中途退学"],
        "classroom:outcome_todo": lambda w: [],
        "classroom:class_day_list": lambda w: [], "classroom:class_day_calendar": lambda w: [], "classroom:class_day_detail": lambda w: [],
        "classroom:roster": _child, "classroom:tutoring_record_edit": lambda w: [*_child(w), "分数の復習から"],
        "volunteers:volunteer_list": _volunteer_name, "volunteers:volunteer_detail": _volunteer_name, "volunteers:volunteer_hours": lambda w: [],
        "volunteers:pairing_plan_index": lambda w: [],
        "activities:activity_list": _activity, "activities:activity_detail": _activity, "activities:activity_participants": _child,
        "activities:partner_list": lambda w: ["秘密の農園"],
        "reporting:report_year": _site_name, "reporting:report_month": _site_name,
    },
    "volunteer": {
        "volunteers:home_volunteer": _nickname, "volunteers:my_tutoring_record": _nickname,
        "volunteers:my_calendar": lambda w: [], "volunteers:my_hours": lambda w: [], "activities:my_activities": lambda w: [],
        "activities:activity_offer_help": lambda w: [], "volunteers:calendar_feed": lambda w: ["BEGIN:VCALENDAR", *_nickname(w)],
        "password_change": lambda w: [], "classroom:profile": lambda w: [],
    },
    "staff_admin": {"dataio:data_home": lambda w: ["データの取込・書出し"], "classroom:student_detail": _child,
                    "oversight:home": lambda w: [], "oversight:user_list": lambda w: [w["staff"].username],
                    "oversight:user_create": lambda w: [w["class_day"].site.name],
                    "oversight:user_detail": lambda w: [w["staff"].username],
                    "oversight:user_active": lambda w: [w["staff"].last_name],
                    "oversight:user_two_factor_reset": lambda w: [w["staff"].last_name],
                    "oversight:access_log": _child,
                    "oversight:history": _child, "oversight:history_record": _child},
    "outsider": {"classroom:home": lambda w: [], "password_change": lambda w: [], "classroom:profile": lambda w: []},
    "anonymous": {"login": lambda w: [], "healthz": lambda w: []},
}


@pytest.fixture
def my_pair(world, volunteer):
    """The volunteer persona, active at the site, confirmed and paired with the world's child on a coming day."""
    from classroom.factories import TutoringRecordFactory as Records
    from volunteers.models import SignUp, SignUpAnswer

    me = VolunteerFactory(user=volunteer, sites=[world["class_day"].site])
    me.renew_calendar_token()
    day = ClassDayFactory(site=world["class_day"].site, date=timezone.localdate() + dt.timedelta(days=2))
    SignUp.objects.create(volunteer=me, class_day=day, answer=SignUpAnswer.CAN_COME, confirmed_at=timezone.now())
    return {"record": Records(class_day=day, student=world["student"], tutor=volunteer), "token": me.calendar_token}


@pytest.mark.parametrize("persona", list(MUST_OPEN))
def test_each_role_opens_what_its_work_needs(client, request, world, my_pair, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    patterns = dict(url_patterns())
    assert set(MUST_OPEN[persona]) <= set(patterns), "a URL name in MUST_OPEN no longer exists"
    failures = []
    for name, shows in MUST_OPEN[persona].items():
        if name == "volunteers:my_tutoring_record":
            url = reverse(name, args=[my_pair["record"].pk])
        elif name == "volunteers:calendar_feed":
            url = reverse(name, args=[my_pair["token"]])
        else:
            url = url_for(name, patterns[name], world)
        response = client.get(url)
        if response.status_code != 200:
            failures.append((url, response.status_code))
            continue
        content = text_of(response).replace("\r\n ", "")  # an iCal feed folds its long lines
        missing = [text for text in shows(world) if text not in content]
        if missing:
            failures.append((url, missing))
    assert not failures, f"{persona} could not open: {failures}"
