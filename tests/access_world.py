"""The world the access table (tests/access_table.py) is checked in, and how each URL's parameters
are filled from it.

``side(site, staff, tutor)`` builds one site's objects: a child with every kind of case-work record
(``SENSITIVE`` strings a volunteer must never read), a class day, a tutoring record, a home visit,
an activity with a photo, an import preview, a queued mail, an API token. The table's world has two
sides: site A, the roles' own, and site B, whose objects every role of site A must not reach.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets

from django.core.files.base import ContentFile
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
from classroom.models import HouseholdContact, OutgoingMessage, SignedInSession
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
CHILD_NAME = "秘密山"  # only staff and coordinators of the child's site read it

# A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)

# The admin (Django's own, for superusers) is left out of the walk: its pages are checked by Django.
def url_patterns(patterns=None, namespace=None, prefix=""):
    """(namespace:name, pattern, route) of every named URL pattern but the admin's."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin" or p.namespace == "admin":
                continue
            yield from url_patterns(p.url_patterns, p.namespace or namespace, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p, prefix + str(p.pattern)


def side(site, staff, tutor_user, *, today=None) -> dict:
    """One site's objects; ``tutor_user`` (a volunteer of the site) is paired with its child."""
    from volunteers.models import SignUp, SignUpAnswer

    today = today or timezone.localdate()
    household = HouseholdFactory(address=SENSITIVE["household address"])
    guardian = GuardianFactory(household=household, phone=SENSITIVE["guardian phone"], email=SENSITIVE["guardian email"])
    HouseholdContactFactory(household=household, kind=HouseholdContact.Kind.CASEWORKER, name=SENSITIVE["caseworker"])
    student = StudentFactory(site=site, household=household, family_name=CHILD_NAME, health_notes=SENSITIVE["health note"],
                             reasons=["public_assistance"], usual_weekdays="0123456")
    consent = ConsentFactory(student=student, guardian=guardian, partners=SENSITIVE["consent partners"])
    class_day = ClassDayFactory(site=site, date=today)
    AttendanceFactory(class_day=class_day, student=student)
    record = TutoringRecordFactory(class_day=class_day, student=student, handover_note="分数の復習から")
    DropInFactory(student=student)
    volunteer = VolunteerFactory(user=tutor_user, sites=[site])
    volunteer.renew_calendar_token()
    pair_day = ClassDayFactory(site=site, date=today + dt.timedelta(days=2))
    sign_up = SignUp.objects.create(volunteer=volunteer, class_day=pair_day, answer=SignUpAnswer.CAN_COME,
                                    confirmed_at=timezone.now())
    pair_record = TutoringRecordFactory(class_day=pair_day, student=student, tutor=tutor_user)
    visit = HomeVisit.objects.create(student=student, living_environment=SENSITIVE["visit note"])
    visit.staff.add(staff)
    contact = Contact.objects.create(student=student, kind="phone", staff=staff, notes=SENSITIVE["contact note"])
    follow_up = FollowUpAction.objects.create(student=student, visit=visit, description=SENSITIVE["follow-up"],
                                              owner=staff, due_on=today)
    share = InformationShare.objects.create(student=student, recipient_name=SENSITIVE["caseworker"],
                                            what=SENSITIVE["share"], shared_by=staff, basis="consent", consent=consent)
    ClassDayFactory(site=site, date=today - dt.timedelta(days=7))
    outcome = OutcomeFactory(student=student, stage="high_school", result="left_school", school="県立秘密高校",
                             decided_on=today - dt.timedelta(days=10), reason="school_life",
                             note=SENSITIVE["outcome note"])
    message = OutgoingMessage.objects.create(site=site, recipients=[staff.email or "staff@example.jp"],
                                             subject="早期警告", body=SENSITIVE["mail not sent"], status="failed",
                                             attempts=6, last_error="SMTPConnectError")
    api_token, _key = token_create(user=staff, name="市の台帳", expires_on=today + dt.timedelta(days=30))
    session = SignedInSession.objects.create(user=staff, session_key=secrets.token_hex(20))  # on another device
    return {"site": site, "staff": staff, "session": session, "api_token": api_token, "message": message, "outcome": outcome, "student": student,
            "consent": consent, "class_day": class_day, "record": record, "pair_day": pair_day, "sign_up": sign_up,
            "pair_record": pair_record, "volunteer": volunteer, "visit": visit, "contact": contact,
            "follow_up": follow_up, "share": share, **_activities(site, staff, student, guardian, today),
            "import_run": _import(site, staff)}


def _import(site, staff):
    """An import preview whose one row carries a guardian's phone (and whose one error the error file lists)."""
    from dataio.services.imports import import_upload

    data = ("氏名,ふりがな,生年月日,保護者氏名,保護者ふりがな,電話番号\n"
            f"秘密山 はな,ひみつやま はな,2025/2/30,秘密山 母,ひみつやま はは,{SENSITIVE['guardian phone']}\n").encode()
    return import_upload(kind="students", site=site, file_name="名簿.csv", data=data, by=staff)


def _activities(site, staff, student, guardian, today):
    from activities.models import Activity, ActivityPhoto, Helper, Participant, Partner

    partner = Partner.objects.create(name="秘密の農園", kind="farm", phone="048-000-0000")
    activity = Activity.objects.create(
        title="野菜の収穫体験", kind="farming", partner=partner, site=site, date=today, status="open",
        start_time=dt.time(9), end_time=dt.time(12), place="深谷市の農園", capacity=10, food_involved=True)
    participant = Participant.objects.create(activity=activity, role="student", student=student, answer="going",
                                             allergy_notes=SENSITIVE["health note"])
    Participant.objects.create(activity=activity, role="guardian", guardian=guardian, household=guardian.household,
                               answer="going")
    helper = Helper.objects.create(activity=activity, staff=staff, role="受付")
    photo = ActivityPhoto(activity=activity, caption="収穫")
    photo.image.save("harvest.png", ContentFile(PNG), save=True)
    return {"partner": partner, "activity": activity, "participant": participant, "helper": helper, "photo": photo}


# URL name (without its namespace) -> the world's key its ``pk`` takes (first match of a prefix wins).
PK_BY_NAME = [
    (("student", "consent_", "share_list", "subject_access_download"), "student"),
    (("my_sign_up", "pairing_plan", "pairing_sign_up", "volunteer_attendance"), "pair_day"),
    (("volunteer_", "availability_exception_", "pairing_preference_"), "volunteer"),
    (("my_tutoring_record",), "pair_record"),
    (("token_revoke",), "api_token"),
    (("visit_",), "visit"),
    (("followup_",), "follow_up"),
    (("contact_",), "contact"),
    (("outcome_",), "outcome"),
    (("outbox_",), "message"),
    (("share_detail",), "share"),
    (("activity_photo_upload",), "activity"),  # the activity's pk (before the photos' prefix below)
    (("activity_photo",), "photo"),
    (("partner_",), "partner"),
    (("activity_", "helper_", "help_"), "activity"),
    (("import_",), "import_run"),
    (("user_",), "staff"),  # the site's staff member: an account the site's staff administrator manages
    (("history_record",), "student"),
    (("class_day", "roster", "attendance", "tutoring"), "class_day"),
]


def arguments(name: str, pattern: URLPattern, world: dict) -> dict:
    """The keyword arguments that fill ``name``'s pattern with ``world``'s objects (one site's side)."""
    keys = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
    short = name.split(":")[-1]
    values = {}
    for key in sorted(keys):
        if key in {"student_pk", "student_id"}:
            values[key] = world["student"].pk
        elif key == "pk" and short == "session_end":
            values[key] = world["session"].pk  # where the site's staff member is signed in
        elif key == "pk":
            found = [field for prefixes, field in PK_BY_NAME if short.startswith(prefixes)]
            if not found:
                raise LookupError(f"no object known for 'pk' of URL {name!r}: add its prefix to PK_BY_NAME in "
                                  "tests/access_world.py")
            values[key] = world[found[0]].pk
        elif key == "volunteer_pk":
            values[key] = world["volunteer"].pk
        elif key in {"exception_pk", "preference_pk"}:
            values[key] = 1
        elif key == "sign_up_pk":
            values[key] = world["sign_up"].pk
        elif key == "token" and short == "calendar_feed":
            values[key] = world["volunteer"].calendar_token
        elif key == "token":
            values[key] = "not-a-token"
        elif key == "uidb64":
            values[key] = "MQ"  # a user's id in a reset link (the token beside it is not valid)
        elif key == "kind" and short == "import_template":
            values[key] = "students"
        elif key == "kind" and short == "history_record":
            values[key] = "student"  # the child's own changes
        elif key == "participant_pk":
            values[key] = world["participant"].pk
        elif key == "helper_pk":
            values[key] = world["helper"].pk
        elif key == "consent_pk":
            values[key] = world["consent"].pk
        elif key == "fy":
            values[key] = fiscal_year_of(timezone.localdate())
        elif key == "month":
            values[key] = timezone.localdate().replace(day=1)
        else:
            raise LookupError(f"no argument known for {key!r} of URL {name!r}: add it to tests/access_world.py")
    return values


# POST-only writes that name their object in the form, not the URL: the data they are tried with.
FORM_DATA = {
    "classroom:dropin_check_in": lambda w: {"student": w["student"].pk},
    "classroom:dropin_check_out": lambda w: {"student": w["student"].pk},
    "classroom:dropin_visitors": lambda w: {"site": w["site"].pk, "delta": "1"},
}


# Pages that take the child from the query string (e.g. "plan a visit" from the warning page).
STUDENT_QUERY = {"visit_create", "contact_create", "share_create"}


def url_for(name: str, pattern: URLPattern, world: dict) -> str:
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


# --- The API ------------------------------------------------------------------------------------
def api_operations() -> list[str]:
    """Every operation of the API's OpenAPI schema, as "METHOD /path/{param}"."""
    from config.api import api

    schema = api.get_openapi_schema()
    return [f"{method.upper()} {path}" for path, item in schema["paths"].items() for method in item]


def api_url(operation: str, world: dict) -> str:
    """The operation's path filled with ``world``'s objects."""
    path = operation.split(" ", 1)[1]
    pk = ("outcome" if "/outcomes/{pk}" in path else "activity" if path.startswith("/api/activities/")
          else "class_day")
    values = {"student_id": world["student"].pk, "pk": world[pk].pk, "fy": fiscal_year_of(timezone.localdate())}
    return path.format(**{key: value for key, value in values.items() if "{" + key + "}" in path})


def api_body(operation: str, world: dict) -> dict | None:
    """A valid body for a write: what the operation accepts from a role allowed to make it."""
    student = world["student"]
    fy = fiscal_year_of(timezone.localdate())
    person = {"family_name": "新井", "given_name": "一郎", "family_name_kana": "あらい", "given_name_kana": "いちろう",
              "birth_date": "2012-04-10", "enrolled_on": "2026-04-01", "site_id": world["site"].pk}
    bodies = {
        "POST /api/classroom/students": person,
        "PUT /api/classroom/students/{student_id}": {**person, "version": student.version},
        "PUT /api/classroom/class-days/{pk}/attendance": {"rows": [{"student_id": student.pk, "status": "present"}]},
        "PUT /api/classroom/class-days/{pk}/tutoring-records/{student_id}": {
            "subjects": ["maths"], "studied": "分数", "version": world["record"].version},
        "POST /api/classroom/students/{student_id}/outcomes": {"fiscal_year": fy, "stage": "entry",
                                                               "result": "full_time"},
        "PUT /api/classroom/outcomes/{pk}": {"fiscal_year": fy, "stage": "high_school", "result": "continuing",
                                             "decided_on": None, "version": world["outcome"].version},
        "POST /api/activities/{pk}/cancel": {"reason": "雨天のため"},
    }
    if operation.startswith("GET "):
        return None
    if operation not in bodies:
        raise LookupError(f"no body known for {operation!r}: add one to api_body in tests/access_world.py")
    return bodies[operation]
