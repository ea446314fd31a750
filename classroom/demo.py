"""The classroom's demo data. ``seed_demo`` (in the activities app, which sees every app) calls it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from factory.random import randgen

from classroom import rules
from classroom.factories import (
    HIGH_SCHOOLS,
    ConsentFactory,
    GuardianFactory,
    HouseholdContactFactory,
    HouseholdFactory,
    SiteFactory,
    StudentFactory,
    UserFactory,
)
from classroom.grades import Grade, fiscal_year_bounds, fiscal_year_of
from classroom.history import bulk_history
from classroom.models import (
    Attendance,
    AttendanceStatus,
    ClassDay,
    ClassDayKind,
    ClassDayStatus,
    ConsentPurpose,
    DropIn,
    DropInVisitorCount,
    EnrollmentReason,
    HouseholdContact,
    LeavingReason,
    Outcome,
    OutcomeResult,
    OutcomeStage,
    Student,
    StudentStatus,
    TutoringRecord,
    Understanding,
)
from classroom.models.attendance import ATTENDED
from classroom.models.outcomes import STAGE_DUE_BY_GRADE

DEMO_USERS = [
    # username, family, given, roles
    ("staff", ("佐藤", "美咲"), [rules.STAFF]),
    ("coordinator", ("高橋", "健一"), [rules.COORDINATOR]),
    ("volunteer", ("田中", "由美子"), [rules.VOLUNTEER]),
    # Staff who also administer the program's records (the full export, a child's data export).
    ("staffadmin", ("山本", "直子"), [rules.STAFF, rules.STAFF_ADMIN]),
]
DEMO_ADMIN = "admin"  # a superuser for the Django admin only
STUDIED = [
    ("maths", "一次関数のグラフ", "傾きと切片の意味がわかってきた。次は文章題。"),
    ("maths", "連立方程式の文章題", "式を立てるところで止まりがち。図を描くと進む。"),
    ("english", "過去形の不規則動詞", "音読すると覚えやすいようす。"),
    ("english", "長文読解（高校入試過去問）", "知らない単語があっても前後から推測できた。"),
    ("japanese", "古文の助動詞", "表にして整理した。"),
    ("science", "電流と電圧", "オームの法則の計算は大丈夫。"),
    ("social", "江戸時代の改革", "年号より流れで覚えるとよい。"),
    ("maths", "二次方程式の解の公式", "計算ミスが減ってきた。"),
]
HOMEWORK = ["ワーク p.32-33", "単語テストの準備", "教科書の問題 3 問", "", "プリント 1 枚"]


class ClassroomDemo:
    """Builds the classroom's demo data; keeps what it made for the other apps' demo data."""

    def seed(self, n_students: int) -> dict[str, int]:
        today = timezone.localdate()
        # Two fiscal years of history, from April 1 of the previous one: the report to the city
        # (reporting) is full on first run, with the year before to compare with.
        self.history_start = fiscal_year_bounds(fiscal_year_of(today) - 1)[0]
        # The main site opens twice a week, on today's weekday among them so that the demo
        # always has a class today; the second site once a week on another weekday.
        first = today.weekday() if today.weekday() < 5 else 1
        self.weekdays = (tuple(sorted({first, (first + 2) % 5})), ((first + 1) % 5,))
        main = SiteFactory(name="未来応援教室ぱるスタ", address="埼玉県深谷市上柴町西4-2-14")
        second = SiteFactory(name="未来応援教室ぱるスタ 岡部教室", address="埼玉県深谷市岡部1-5-3")
        sites = [main, second]

        users = {}
        for username, (family, given), user_roles in DEMO_USERS:
            users[username] = UserFactory(
                username=username, last_name=family, first_name=given, roles=user_roles,
                sites=sites if rules.VOLUNTEER not in user_roles else None,
            )
        self.sites, self.users = sites, users
        staff = [users["staff"]] + [UserFactory(username=f"staff{i}", roles=[rules.STAFF], sites=[site])
                                    for i, site in enumerate(sites, start=2)]
        volunteers = [users["volunteer"]] + [UserFactory(username=f"volunteer{i}", roles=[rules.VOLUNTEER])
                                             for i in range(2, 13)]
        UserFactory(username=DEMO_ADMIN, last_name="管理", first_name="者", is_superuser=True, is_staff=True)

        self.volunteer_users = volunteers
        students = self.seed_students(n_students, sites, staff)
        self.students = students
        class_days = self.seed_class_days(sites, today)
        self.class_days = class_days
        attendance, tutoring = self.seed_attendance(students, class_days, volunteers, today)
        drop_ins = self.seed_drop_ins(students, sites, today)
        return {
            "sites": len(sites), "students": len(students), "class days": len(class_days),
            "attendance records": attendance, "tutoring records": tutoring, "drop-ins": drop_ins,
        }

    def seed_students(self, n: int, sites, staff) -> list[Student]:
        students: list[Student] = []
        while len(students) < n:
            site = sites[0] if randgen.random() < 0.75 else sites[1]
            main_days, second_days = self.weekdays
            if site == sites[0]:
                weekdays = randgen.choice([str(main_days[0]), str(main_days[1]), "".join(map(str, main_days))] + [
                    "".join(map(str, main_days))] * 2)
            else:
                weekdays = str(second_days[0])
            household = HouseholdFactory()
            guardian = GuardianFactory(household=household)
            if randgen.random() < 0.3:
                GuardianFactory(household=household, family=(guardian.family_name, guardian.family_name_kana),
                                relationship=randgen.choice(["父", "祖母"]))
            reasons = randgen.sample(list(EnrollmentReason.values[:-1]), k=randgen.randint(1, 3))
            if EnrollmentReason.PUBLIC_ASSISTANCE in reasons:
                HouseholdContactFactory(household=household, kind=HouseholdContact.Kind.CASEWORKER)
            if EnrollmentReason.NON_ATTENDANCE in reasons:
                HouseholdContactFactory(household=household, kind=HouseholdContact.Kind.SCHOOL_SOCIAL_WORKER)
            siblings = 2 if randgen.random() < 0.15 else 1
            for _ in range(min(siblings, n - len(students))):
                extra = {}
                roll = randgen.random()
                if roll < 0.04:
                    extra = {"grade_override": Grade.HS_AGE, "school": "", "school_grade": Grade.H2}
                elif roll < 0.10:
                    extra = {"status": StudentStatus.PAUSED}
                elif roll < 0.14:
                    # Left at some point of the history (at least a month after enrolling), for a reason.
                    today = timezone.localdate()
                    enrolled = today - dt.timedelta(days=randgen.randint(90, 700))
                    first = max(enrolled + dt.timedelta(days=30), self.history_start)
                    left = first + dt.timedelta(days=randgen.randint(0, max((today - first).days - 7, 0)))
                    extra = {"status": StudentStatus.LEFT, "enrolled_on": enrolled, "left_on": left,
                             "leaving_outcome": randgen.choice(["high_school", "moved", "stopped", "work", "other"])}
                if weekdays:
                    extra["usual_weekdays"] = weekdays
                student = StudentFactory(
                    site=site, household=household, family=(guardian.family_name, guardian.family_name_kana),
                    staff_in_charge=randgen.choice(staff), reasons=reasons,
                    health_notes=randgen.choice(["", "", "", "卵アレルギー", "喘息（吸入薬を持参）", "花粉症"]),
                    **extra,
                )
                # The consent names the kinds of recipient it covers: the caseworker and the school, and
                # the school social worker where one follows the household.
                with_ssw = EnrollmentReason.NON_ATTENDANCE in reasons
                ConsentFactory(student=student, guardian=guardian, purpose=ConsentPurpose.INFO_SHARING,
                               given_on=student.enrolled_on,
                               partners="深谷市 福祉事務所、" + ("スクールソーシャルワーカー、" if with_ssw else "") + "在籍校",
                               recipient_kinds="caseworker,ssw,school" if with_ssw else "caseworker,school")
                if randgen.random() < 0.6:
                    ConsentFactory(student=student, guardian=guardian, purpose=ConsentPurpose.PHOTOS, partners="",
                                   given_on=student.enrolled_on)
                students.append(student)
        return students

    def seed_class_days(self, sites, today: dt.date) -> list[ClassDay]:
        """Two weekdays at the main site, one at the second, from April 1 of the previous fiscal year
        to 5 weeks ahead. Past days are mostly group classes; one a month at the main site was held
        online and every third week's at the second site as home-visit tutoring."""
        start = self.history_start
        days = []
        for offset in range((today + dt.timedelta(weeks=5) - start).days + 1):
            date = start + dt.timedelta(days=offset)
            for site, weekdays in zip(sites, self.weekdays, strict=True):
                if date.weekday() in weekdays:
                    status = ClassDayStatus.HELD if date < today else ClassDayStatus.SCHEDULED
                    kind = ClassDayKind.GROUP
                    if date < today and site == sites[0] and date.weekday() == weekdays[-1] and date.day <= 7:
                        kind = ClassDayKind.ONLINE
                    elif date < today and site != sites[0] and date.isocalendar().week % 3 == 0:
                        kind = ClassDayKind.HOME_TUTORING
                    days.append(ClassDay(site=site, date=date, status=status, kind=kind))
        # Cancelled days in the past and one ahead, as happens with typhoons and school events.
        past = [d for d in days if d.date < today]
        future = [d for d in days if d.date > today]
        reasons = ["台風接近のため休室", "学校の定期試験期間のため休室", "大雪のため休室", "会場点検のため休室"]
        cancelled = [(day, reasons[n % len(reasons)]) for n, day in enumerate(past[len(past) % 41::41])]
        for day, reason in [*cancelled, (future[-1], "会場点検のため休室")]:
            day.status, day.cancel_reason = ClassDayStatus.CANCELLED, reason
        return ClassDay.objects.bulk_create(days)

    def seed_attendance(self, students, class_days, volunteers, today):
        """Attendance and tutoring records for past class days; planned pairs for the next one."""
        regular_tutor = {s.pk: randgen.choice(volunteers) for s in students}
        # The demo volunteer (the first) tutors a few children regularly, so "my sessions" has content.
        for s in [s for s in students if s.site_id == class_days[0].site_id and s.status == StudentStatus.ACTIVE][:3]:
            regular_tutor[s.pk] = volunteers[0]
        attendance, records = [], []
        by_site: dict[int, list[Student]] = {}
        for s in students:
            by_site.setdefault(s.site_id, []).append(s)
        fading = {s.pk for s in randgen.sample(students, k=max(1, len(students) // 15))}
        now = timezone.now()
        next_day_done = set()
        for day in class_days:
            if day.status == ClassDayStatus.CANCELLED:
                continue
            # Not Student.is_expected_on, which is who is expected now: the demo writes history, so a
            # child counts from their enrollment date, and a child paused now came before the pause.
            expected = [s for s in by_site.get(day.site_id, []) if s.comes_on(day.date) and s.enrolled_on <= day.date
                        and (s.left_on is None or day.date <= s.left_on)
                        and (day.date < today or s.status != StudentStatus.LEFT)]
            if day.date >= today:
                # Planned pairs for the first upcoming class day of each site, and a few told absences.
                if day.site_id not in next_day_done:
                    next_day_done.add(day.site_id)
                    for n, s in enumerate(expected[: len(volunteers) * 2]):
                        if randgen.random() < 0.1:
                            attendance.append(Attendance(class_day=day, student=s, status=AttendanceStatus.ABSENT_NOTICE,
                                                         note="家の用事", recorded_at=now))
                            continue
                        records.append(TutoringRecord(class_day=day, student=s, tutor=regular_tutor[s.pk],
                                                      subjects=randgen.choice(STUDIED)[0]))
                        if day.date == today and n % 2 == 0:
                            # Today's class is under way: half the children are marked already.
                            attendance.append(Attendance(class_day=day, student=s, status=AttendanceStatus.PRESENT,
                                                         recorded_at=now))
                continue
            recent = (today - day.date).days < 21
            for s in expected:
                roll = randgen.random()
                if s.pk in fading and recent:
                    status = AttendanceStatus.ABSENT
                elif s.status == StudentStatus.PAUSED and (today - day.date).days < 60:
                    status = AttendanceStatus.ABSENT_NOTICE
                elif roll < 0.78:
                    status = AttendanceStatus.PRESENT
                elif roll < 0.86:
                    status = AttendanceStatus.LATE
                elif roll < 0.89:
                    status = AttendanceStatus.LEFT_EARLY
                elif roll < 0.95:
                    status = AttendanceStatus.ABSENT_NOTICE
                else:
                    status = AttendanceStatus.ABSENT
                arrived = dt.time(17, randgen.choice([15, 20, 30, 40])) if status == AttendanceStatus.LATE else None
                left = dt.time(18, randgen.choice([0, 15, 30])) if status == AttendanceStatus.LEFT_EARLY else None
                written = timezone.make_aware(dt.datetime.combine(day.date, dt.time(19, 30)))
                attendance.append(Attendance(class_day=day, student=s, status=status, arrived_at=arrived, left_at=left,
                                             recorded_at=written))
                if status in ATTENDED:
                    subject, studied, handover = randgen.choice(STUDIED)
                    tutor = regular_tutor[s.pk] if randgen.random() < 0.85 else randgen.choice(volunteers)
                    records.append(TutoringRecord(
                        class_day=day, student=s, tutor=tutor, subjects=subject, studied=studied,
                        understanding=randgen.choice(Understanding.values), homework=randgen.choice(HOMEWORK),
                        handover_note=handover, written_at=written,
                    ))
        Attendance.objects.bulk_create(attendance, batch_size=2000)
        TutoringRecord.objects.bulk_create(records, batch_size=2000)
        return len(attendance), len(records)

    def seed_drop_ins(self, students, sites, today) -> int:
        """Every weekday of the last four weeks has a few drop-ins, the history before it one now and then;
        each weekday the main site counts its unregistered visitors."""
        active = [s for s in students if s.status == StudentStatus.ACTIVE]
        drop_ins, counts = [], []
        for back in range(0, (today - self.history_start).days + 1):
            date = today - dt.timedelta(days=back)
            if date.weekday() >= 5:
                continue
            if back < 29:
                pool = active if back else [s for s in active if s.site_id == sites[0].pk]
                how_many = randgen.randint(1 if back else 3, 4)
            else:
                pool = [s for s in students if s.enrolled_on <= date and (s.left_on is None or date <= s.left_on)]
                how_many = randgen.randint(0, 2)
            for n, s in enumerate(randgen.sample(pool, k=min(len(pool), how_many))):
                check_in = dt.time(randgen.randint(13, 16), randgen.choice([0, 15, 30, 45]))
                # Today, the first children are still here.
                check_out = None if back == 0 and n < 2 else dt.time(check_in.hour + 1, check_in.minute)
                drop_ins.append(DropIn(site=s.site, student=s, date=date, checked_in_at=check_in,
                                       checked_out_at=check_out))
            counts.append(DropInVisitorCount(site=sites[0], date=date, count=randgen.randint(0, 3)))
        DropIn.objects.bulk_create(drop_ins)
        DropInVisitorCount.objects.bulk_create(counts)
        return len(drop_ins)





# The demo's outcomes (進路), drawn with weights like the national survey's.
ENTRY_RESULTS = ["full_time"] * 6 + ["part_time", "correspondence"] * 2 + ["kosen", "special_needs", "employment"]
NEXT_STEPS = {"vocational": "深谷市内の看護専門学校", "university": "埼玉県内の私立大学", "junior_college": "県内の短期大学",
              "employment": "市内の食品工場", "undecided": ""}


def seed_outcomes(classroom_demo) -> dict[str, int]:
    """Outcomes of last fiscal year for its 中3, high-school and 高3 children (one left high school), and of
    this one so far: half its high-school students continuing, the children who left the program, and from
    mid-January a few early decisions; the other 中3 and 高3 are left to record, and one of last year's too."""
    today = timezone.localdate()
    current = fiscal_year_of(today)
    rows, left_school, missed = [], None, None
    for s, year in ((s, year) for s in classroom_demo.students for year in (current - 1, current)):
        start, end = fiscal_year_bounds(year)
        if s.enrolled_on > end or (s.left_on and s.left_on < start):
            continue
        grade, decisions = s.grade_on(start), dt.date(year + 1, 1, 15)  # entrance by recommendation: mid-January
        decided = min(decisions, today)
        if s.left_on and s.left_on <= end:
            row = Outcome(stage=OutcomeStage.LEFT_PROGRAM, result=OutcomeResult.FINISHED, decided_on=s.left_on)
        elif year == current and grade in STAGE_DUE_BY_GRADE and (today < decisions or randgen.random() < 0.6):
            continue  # not decided yet, or decided and still to record: the list of outcomes to record
        elif grade == Grade.J3 and missed is None and year < current and any(r.fiscal_year == year for r in rows):
            missed = s.pk  # overdue: the list shows it highlighted
            continue
        elif grade == Grade.J3:
            result = randgen.choice(ENTRY_RESULTS)
            row = Outcome(stage=OutcomeStage.HIGH_SCHOOL_ENTRY, result=result, decided_on=decided,
                          school="" if result == "employment" else randgen.choice(HIGH_SCHOOLS))
        elif grade == Grade.H3:
            result = randgen.choice([*NEXT_STEPS] * 2 + ["vocational", "employment"])
            row = Outcome(stage=OutcomeStage.NEXT_STEP, result=result, school=NEXT_STEPS[result],
                          decided_on=decided if result != "undecided" else None)
        elif grade in (Grade.H1, Grade.H2) and s.pk != left_school and (year < current or randgen.random() < 0.5):
            row = Outcome(stage=OutcomeStage.HIGH_SCHOOL, result=OutcomeResult.CONTINUING, school=s.school)
            if year < current and left_school is None:
                left_school, row.result, row.decided_on = s.pk, OutcomeResult.LEFT_SCHOOL, dt.date(year, 11, 30)
                row.reason, row.note = LeavingReason.SCHOOL_LIFE, "人間関係で登校できなくなり、本人と相談して退学。"
        else:
            continue
        row.student, row.fiscal_year, row.recorded_by = s, year, classroom_demo.users["staff"]
        rows.append(row)
    Outcome.objects.bulk_create(rows)
    bulk_history(Outcome, rows)  # a bulk insert sends no signal: the change history in one insert
    return {"outcomes": len(rows)}
