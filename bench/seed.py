"""Seed a benchmark database with bulk inserts: ``seed(scale)`` -> the manifest the load uses.

Scales (``SCALES``): "classroom" (1 site, 60 children, 3 months), "five_years" (1 site, 200 children,
5 years), "city" (10 sites, 1,000 children, 5 years), and "tiny" for the bench's own test. Every
table is written with ``bulk_create`` in batches; names come from Faker's Japanese provider. The
first site is the one measured: today it holds a class day with exactly ``CLASS_SIZE`` expected
children, confirmed volunteers, and the accounts the load signs in with (``bench_staff``,
``bench_coordinator``, ``bench_volunteer``; password ``classroom.factories.DEMO_PASSWORD``).
After the inserts, derived tables are rebuilt with ``rebuild_warning_facts`` when that command exists.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import random
import secrets
import time

import faker
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command, get_commands
from django.db import transaction
from django.utils import timezone

from casework.models import (
    ConcernLevel,
    Contact,
    ContactKind,
    FollowUpAction,
    HomeVisit,
    RecordStatus,
    VisitPurpose,
    WarningSettings,
)
from classroom import grades, rules, two_factor
from classroom.factories import DEMO_PASSWORD, demo_password_hash
from classroom.grades import Grade
from classroom.models import (
    Attendance,
    AttendanceStatus,
    ClassDay,
    ClassDayStatus,
    Consent,
    ConsentPurpose,
    DropIn,
    EnrollmentReason,
    Guardian,
    Household,
    Site,
    Student,
    StudentReason,
    StudentStatus,
    Subject,
    TutoringRecord,
    Understanding,
)
from volunteers.factories import name_reading
from volunteers.models import Level, SignUp, SignUpAnswer, TeachingSubject, Volunteer, VolunteerKind

User = get_user_model()
BATCH = 2000
CLASS_SIZE = 30
PASSWORD = DEMO_PASSWORD
STAFF, COORDINATOR, VOLUNTEER = "bench_staff", "bench_coordinator", "bench_volunteer"


@dataclasses.dataclass(frozen=True)
class Scale:
    sites: int
    children: int  # in all, across the sites
    days: int  # of history before today
    volunteers_per_site: int


SCALES = {
    "tiny": Scale(sites=1, children=40, days=21, volunteers_per_site=8),
    "classroom": Scale(sites=1, children=60, days=91, volunteers_per_site=30),
    "five_years": Scale(sites=1, children=200, days=5 * 365, volunteers_per_site=40),
    "city": Scale(sites=10, children=1000, days=5 * 365, volunteers_per_site=20),
}
# Realistic rates (~80% came): present, late, left early, absent with notice, absent without.
STATUS_WEIGHTS = [
    (AttendanceStatus.PRESENT, 74), (AttendanceStatus.LATE, 5), (AttendanceStatus.LEFT_EARLY, 3),
    (AttendanceStatus.ABSENT_NOTICE, 11), (AttendanceStatus.ABSENT, 7),
]
GRADES = [Grade.E5, Grade.E6, Grade.J1, Grade.J1, Grade.J2, Grade.J2, Grade.J3, Grade.J3, Grade.J3,
          Grade.H1, Grade.H2, Grade.H3]
STUDY_SUBJECTS = [Subject.JAPANESE, Subject.MATHS, Subject.ENGLISH, Subject.SCIENCE, Subject.SOCIAL]
STUDIED = ["一次方程式の文章題", "英語の過去形", "漢字の書き取り", "理科の電流と電圧", "歴史の年表まとめ",
           "関数のグラフ", "英単語テスト対策", "作文の構成", "地理の気候区分", "連立方程式"]


class Batches:
    """Collect model instances and write them ``BATCH`` at a time (all of one model per flush)."""

    def __init__(self):
        self.pending: dict[type, list] = {}
        self.counts: dict[str, int] = {}

    def add(self, obj) -> None:
        rows = self.pending.setdefault(type(obj), [])
        rows.append(obj)
        if len(rows) >= BATCH:
            self.flush(type(obj))

    def flush(self, model=None) -> None:
        for kind in [model] if model else list(self.pending):
            rows = self.pending.pop(kind, [])
            if rows:
                kind.objects.bulk_create(rows, batch_size=BATCH)
                self.counts[kind.__name__] = self.counts.get(kind.__name__, 0) + len(rows)


def _class_weekdays(today: dt.date) -> tuple[int, int]:
    """Two class days a week: today's weekday and three days later."""
    return today.weekday(), (today.weekday() + 3) % 7


def _status(rng: random.Random) -> str:
    return rng.choices([s for s, _w in STATUS_WEIGHTS], weights=[w for _s, w in STATUS_WEIGHTS])[0]


def _aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _users(batches: Batches, rng: random.Random, fake, prefix: str, n: int) -> list:
    password = demo_password_hash()
    users = []
    for i in range(n):
        family, given = fake.last_name_pair(), fake.first_name_pair()
        users.append(User(username=f"{prefix}{i:04d}" if n > 1 or not prefix.startswith("bench_") else prefix,
                          last_name=family[0], first_name=given[0], email=f"{prefix}{i}@example.jp",
                          password=password))
    return User.objects.bulk_create(users, batch_size=BATCH)


def _grant(users, role: str) -> None:
    group, _ = Group.objects.get_or_create(name=role)
    through = User.groups.through
    through.objects.bulk_create([through(user_id=u.pk, group_id=group.pk) for u in users], batch_size=BATCH)


@transaction.atomic
def seed(scale_name: str, *, seed: int = 2026, today: dt.date | None = None) -> dict:
    """Fill an empty, migrated database; return the manifest (ids and logins the load needs, counts)."""
    if Student.objects.exists():
        raise RuntimeError("The database already has students: the bench seeds an empty database.")
    started = time.monotonic()
    scale = SCALES[scale_name]
    rng = random.Random(seed)
    fake = faker.Faker("ja_JP")
    fake.seed_instance(seed)
    today = today or timezone.localdate()
    start = today - dt.timedelta(days=scale.days)
    first_weekday, second_weekday = _class_weekdays(today)
    batches = Batches()

    sites = Site.objects.bulk_create([Site(name=f"ベンチ教室{i + 1}", address=f"埼玉県深谷市仲町{i + 1}-1")
                                      for i in range(scale.sites)])
    WarningSettings.objects.bulk_create([WarningSettings(site=site) for site in sites])
    # Staff and a coordinator per site; the measured accounts belong to the first site.
    staff = _users(batches, rng, fake, STAFF, 1) + _users(batches, rng, fake, "staff", 2 * scale.sites - 1)
    coordinators = _users(batches, rng, fake, COORDINATOR, 1) + _users(batches, rng, fake, "coord", scale.sites - 1)
    _grant(staff, rules.STAFF)
    _grant(coordinators, rules.COORDINATOR)
    members = Site.members.through
    members.objects.bulk_create(
        [members(site_id=sites[i // 2].pk, user_id=u.pk) for i, u in enumerate(staff)]
        + [members(site_id=sites[i].pk, user_id=u.pk) for i, u in enumerate(coordinators)])
    site_staff = {site.pk: [u for i, u in enumerate(staff) if i // 2 == n] for n, site in enumerate(sites)}

    # Volunteers: subjects and levels, weekdays, a pledge, insurance (a few expired), a calendar token.
    volunteer_users = (_users(batches, rng, fake, VOLUNTEER, 1)
                       + _users(batches, rng, fake, "vol", scale.volunteers_per_site * scale.sites - 1))
    _grant(volunteer_users, rules.VOLUNTEER)
    volunteers = []
    for i, user in enumerate(volunteer_users):
        measured = i == 0
        volunteers.append(Volunteer(
            user=user, name_kana=name_reading(user), kind=rng.choice(VolunteerKind.values), phone=fake.phone_number(),
            usual_weekdays="".join(sorted({str(first_weekday), str(second_weekday)}))
            if measured or rng.random() < 0.6 else str(rng.choice([first_weekday, second_weekday])),
            max_children=rng.choice([1, 1, 2, 2, 3]), pledge_signed_on=start - dt.timedelta(days=rng.randint(1, 400)),
            insurance_expires_on=today + dt.timedelta(days=rng.randint(20, 365))
            if measured or rng.random() < 0.92 else today - dt.timedelta(days=rng.randint(1, 60)),
            training_completed_on=start, joined_on=start - dt.timedelta(days=rng.randint(0, 300)),
            calendar_token=secrets.token_urlsafe(32)))
    volunteers = Volunteer.objects.bulk_create(volunteers, batch_size=BATCH)
    vsites = Volunteer.sites.through
    site_volunteers: dict[int, list[Volunteer]] = {site.pk: [] for site in sites}
    for i, volunteer in enumerate(volunteers):
        site = sites[i // scale.volunteers_per_site]
        site_volunteers[site.pk].append(volunteer)
        batches.add(vsites(volunteer_id=volunteer.pk, site_id=site.pk))
        taught = rng.sample(STUDY_SUBJECTS, rng.randint(2, 4))
        for subject in taught:
            for level in [Level.JUNIOR_HIGH] + ([Level.HIGH_SCHOOL] if measured_or(rng, i) else []):
                batches.add(TeachingSubject(volunteer_id=volunteer.pk, subject=subject, level=level))
    batches.flush()

    # Class days: two a week per site over the history and four weeks ahead; ~3% cancelled.
    days_by_site: dict[int, list[ClassDay]] = {}
    for site in sites:
        rows = []
        day = start
        while day <= today + dt.timedelta(days=28):
            if day.weekday() in (first_weekday, second_weekday):
                cancelled = day < today and rng.random() < 0.03
                rows.append(ClassDay(
                    site=site, date=day, status=ClassDayStatus.CANCELLED if cancelled
                    else ClassDayStatus.HELD if day < today else ClassDayStatus.SCHEDULED,
                    cancel_reason="台風のため" if cancelled else ""))
            day += dt.timedelta(days=1)
        days_by_site[site.pk] = ClassDay.objects.bulk_create(rows, batch_size=BATCH)
    today_day = next(d for d in days_by_site[sites[0].pk] if d.date == today)

    # Households, guardians and children: the measured site has exactly CLASS_SIZE children expected
    # today; the others come on the second weekday; about a quarter of each site has left or paused.
    per_site = scale.children // scale.sites
    households, guardians, students = [], [], []
    for site in sites:
        for i in range(per_site):
            if i % 2 == 0 or not households:
                family = fake.last_name_pair()
                households.append(Household(postal_code=fake.postcode(), address=fake.address()[:200]))
                guardian_given = fake.first_name_female_pair()
                guardians.append((len(households) - 1, Guardian(
                    family_name=family[0], given_name=guardian_given[0], family_name_kana=family[1],
                    given_name_kana=guardian_given[1], relationship="母", phone=fake.phone_number())))
            given = fake.first_name_pair()
            grade = rng.choice(GRADES)
            in_class = i < CLASS_SIZE
            status = StudentStatus.ACTIVE
            if not in_class and rng.random() < 0.25:
                status = StudentStatus.LEFT if rng.random() < 0.8 else StudentStatus.PAUSED
            enrolled = start + dt.timedelta(days=rng.randint(0, max(0, scale.days - 14)))
            left_on = None
            if status == StudentStatus.LEFT:
                left_on = min(today - dt.timedelta(days=1), enrolled + dt.timedelta(days=rng.randint(30, 700)))
            weekdays = (str(first_weekday) + (str(second_weekday) if rng.random() < 0.4 else "")
                        if in_class else str(second_weekday))
            students.append((len(households) - 1, Student(
                family_name=family[0], given_name=given[0], family_name_kana=family[1], given_name_kana=given[1],
                birth_date=_birth_date(rng, grade, today), school="深谷市立深谷中学校" if grade in grades.JUNIOR_HIGH
                else "", site=site, status=status, enrolled_on=enrolled, left_on=left_on,
                leaving_outcome="high_school" if left_on else "", learning_goals="高校受験に向けて基礎を固める",
                focus_subjects=",".join(rng.sample(STUDY_SUBJECTS, rng.randint(1, 3))), usual_weekdays=weekdays,
                staff_in_charge=rng.choice(site_staff[site.pk]))))
    households = Household.objects.bulk_create(households, batch_size=BATCH)
    for index, guardian in guardians:
        guardian.household = households[index]
    guardian_rows = Guardian.objects.bulk_create([g for _i, g in guardians], batch_size=BATCH)
    guardian_of = {index: g for (index, _g), g in zip(guardians, guardian_rows, strict=True)}
    for index, student in students:
        student.household = households[index]
    student_rows = Student.objects.bulk_create([s for _i, s in students], batch_size=BATCH)
    for (index, _s), student in zip(students, student_rows, strict=True):
        batches.add(StudentReason(student_id=student.pk, reason=rng.choice(EnrollmentReason.values)))
        batches.add(Consent(student_id=student.pk, guardian_id=guardian_of[index].pk,
                            purpose=ConsentPurpose.INFO_SHARING, recipient_kinds="school,ssw",
                            given_on=student.enrolled_on))
    batches.flush()

    # History: attendance for every held class day, tutoring for about half of those who came.
    by_site: dict[int, list[Student]] = {}
    for student in student_rows:
        by_site.setdefault(student.site_id, []).append(student)
    for site in sites:
        tutors = [v.user_id for v in site_volunteers[site.pk]]
        for day in days_by_site[site.pk]:
            if day.date >= today or day.status == ClassDayStatus.CANCELLED:
                continue
            weekday = str(day.date.weekday())
            for student in by_site[site.pk]:
                if (weekday not in student.usual_weekdays or student.enrolled_on > day.date
                        or (student.left_on and student.left_on < day.date)):
                    continue
                status = _status(rng)
                batches.add(Attendance(
                    class_day_id=day.pk, student_id=student.pk, status=status, recorded_by_id=site_staff[site.pk][0].pk,
                    arrived_at=dt.time(17, rng.randint(10, 50)) if status == AttendanceStatus.LATE else None,
                    left_at=dt.time(18, rng.randint(0, 50)) if status == AttendanceStatus.LEFT_EARLY else None,
                    recorded_at=_aware(day.date, 17, 5)))
                if status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE) and rng.random() < 0.5:
                    batches.add(TutoringRecord(
                        class_day_id=day.pk, student_id=student.pk, tutor_id=rng.choice(tutors),
                        subjects=rng.choice(student.focus_subject_list), studied=rng.choice(STUDIED),
                        understanding=rng.choice(Understanding.values), homework="ワーク p.12-13",
                        handover_note="次回は復習から" if rng.random() < 0.3 else "",
                        written_at=_aware(day.date, 19, 10)))
    batches.flush()

    _casework(batches, rng, student_rows, site_staff, start, today)
    _drop_ins(batches, rng, sites, by_site, start, today, (first_weekday, second_weekday))
    _sign_ups(batches, rng, sites, days_by_site, site_volunteers, coordinators, today)
    batches.flush()

    if "rebuild_warning_facts" in get_commands():
        call_command("rebuild_warning_facts", verbosity=0, stdout=io.StringIO())  # stdout carries the manifest
        batches.counts["warning facts rebuilt"] = 1

    sessions = {role: _session(User.objects.get(username=name)) for role, name in
                 (("staff", STAFF), ("coordinator", COORDINATOR), ("volunteer", VOLUNTEER))}
    expected_today = [s.pk for s in by_site[sites[0].pk]
                      if s.status == StudentStatus.ACTIVE and str(today.weekday()) in s.usual_weekdays]
    return {
        "scale": scale_name,
        "today": today.isoformat(),
        "site": sites[0].pk,
        "class_day": today_day.pk,
        "weekday": today.weekday(),
        "class_children": expected_today,
        "students": [s.pk for s in by_site[sites[0].pk][:50]],
        "calendar_token": volunteers[0].calendar_token,
        "password": PASSWORD,
        "logins": {"staff": STAFF, "coordinator": COORDINATOR, "volunteer": VOLUNTEER},
        "sessions": sessions,
        "counts": {"sites": len(sites), "students": len(student_rows), "users": User.objects.count(),
                   **batches.counts},
        "seconds": round(time.monotonic() - started, 1),
    }


def _session(user) -> str:
    """A signed-in session for ``user``, as the login view leaves it (the load injects its cookie:
    signing in through the form hashes the password, a deliberately slow second per user)."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[two_factor.STATE] = two_factor.VERIFIED  # as the sign-in leaves it after the second factor
    store.create()
    return store.session_key


def measured_or(rng: random.Random, index: int) -> bool:
    """The measured volunteer (index 0) teaches at both levels; about a third of the others too."""
    return index == 0 or rng.random() < 0.35


def _birth_date(rng: random.Random, grade: str, today: dt.date) -> dt.date:
    first, last = grades.birth_date_range(grade, today)
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _casework(batches, rng, students, site_staff, start, today) -> None:
    """A first visit at enrollment and one a year; a contact about every three months, a fifth with
    a follow-up (done when older than a month, some still open and overdue)."""
    visits, contacts = [], []
    for student in students:
        staff = site_staff[student.site_id]
        end = student.left_on or today
        day = student.enrolled_on
        purpose = VisitPurpose.FIRST
        while day <= end:
            visits.append((student, HomeVisit(
                student_id=student.pk, visited_at=_aware(day, 15), purpose=purpose, family_met=True,
                living_environment="落ち着いている", child_condition="元気", concern_level=rng.choice(
                    [ConcernLevel.NONE, ConcernLevel.NONE, ConcernLevel.WATCH]), status=RecordStatus.DONE,
                created_by_id=staff[0].pk, finished_at=_aware(day, 17))))
            purpose = VisitPurpose.REGULAR
            day += dt.timedelta(days=365)
        day = student.enrolled_on + dt.timedelta(days=rng.randint(5, 90))
        while day <= end:
            contacts.append(Contact(
                student_id=student.pk, kind=rng.choice(ContactKind.values), contacted_at=_aware(day, 16),
                staff_id=rng.choice(staff).pk, with_whom="母", notes="近況を確認した",
                concern_level=rng.choice([ConcernLevel.NONE, ConcernLevel.NONE, ConcernLevel.WATCH])))
            day += dt.timedelta(days=rng.randint(60, 120))
    visit_rows = HomeVisit.objects.bulk_create([v for _s, v in visits], batch_size=BATCH)
    staff_through = HomeVisit.staff.through
    for (student, _v), visit in zip(visits, visit_rows, strict=True):
        batches.add(staff_through(homevisit_id=visit.pk, user_id=site_staff[student.site_id][0].pk))
    contact_rows = Contact.objects.bulk_create(contacts, batch_size=BATCH)
    for contact in contact_rows:
        if rng.random() < 0.2:
            contacted = contact.contacted_at.date()
            due = contacted + dt.timedelta(days=14)
            done = due if (today - contacted).days > 30 or rng.random() < 0.5 else None
            batches.add(FollowUpAction(student_id=contact.student_id, contact_id=contact.pk,
                                       description="学校と情報共有する", owner_id=contact.staff_id, due_on=due,
                                       done_on=done))
    batches.counts["HomeVisit"] = len(visit_rows)
    batches.counts["Contact"] = len(contact_rows)


def _drop_ins(batches, rng, sites, by_site, start, today, class_weekdays) -> None:
    """About three drop-ins a week per site, on the days without class."""
    for site in sites:
        children = [s for s in by_site[site.pk] if s.status == StudentStatus.ACTIVE]
        day = start
        while day < today:
            if day.weekday() not in class_weekdays and day.weekday() < 5 and rng.random() < 0.6:
                batches.add(DropIn(site_id=site.pk, student_id=rng.choice(children).pk, date=day,
                                   checked_in_at=dt.time(15, rng.randint(0, 59)), checked_out_at=dt.time(17, 30)))
            day += dt.timedelta(days=1)


def _sign_ups(batches, rng, sites, days_by_site, site_volunteers, coordinators, today) -> None:
    """Answers for the last eight weeks and the next four; those who can come today are confirmed."""
    for n, site in enumerate(sites):
        for day in days_by_site[site.pk]:
            if day.date < today - dt.timedelta(days=56):
                continue
            for i, volunteer in enumerate(site_volunteers[site.pk]):
                if str(day.date.weekday()) not in volunteer.usual_weekdays:
                    continue
                measured = n == 0 and i == 0
                can = measured or rng.random() < 0.7
                confirmed = can and day.date <= today
                batches.add(SignUp(
                    volunteer_id=volunteer.pk, class_day_id=day.pk,
                    answer=SignUpAnswer.CAN_COME if can else SignUpAnswer.CANNOT_COME,
                    answered_at=_aware(day.date - dt.timedelta(days=7), 20),
                    confirmed_at=_aware(day.date - dt.timedelta(days=2), 10) if confirmed else None,
                    confirmed_by_id=coordinators[n].pk if confirmed else None))
