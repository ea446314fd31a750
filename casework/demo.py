"""Demo data for the early warning and the timeline: visits, contacts, follow-ups, shares, and a child per warning.

``seed_warnings_demo(classroom_demo)`` runs after ``ClassroomDemo.seed`` (whose "fading" children
already trigger the consecutive-absences warning).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from factory.random import randgen

from casework.models import (
    Contact,
    ContactKind,
    FollowUpAction,
    HomeVisit,
    InformationShare,
    RecordStatus,
    VisitPurpose,
    WarningSettings,
)
from classroom.grades import HIGH_SCHOOL, fiscal_year_of
from classroom.history import bulk_history
from classroom.models import (
    Attendance,
    AttendanceStatus,
    Consent,
    DropIn,
    Outcome,
    Student,
    StudentStatus,
    TutoringRecord,
)
from lib import facts

NOTES = [
    ("部屋は片付いていた。母親と落ち着いて話ができた。", "本人は高校受験に不安を口にしている。"),
    ("玄関先で対応。弟妹の世話で夜が遅いようす。", "食事は取れている。表情は明るい。"),
    ("父親は夜勤で不在。母親とは日本語と通訳アプリで会話。", "学校からの手紙が読めていない。"),
]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


@facts.deferred()  # one refresh of the facts for all it writes
def seed_warnings_demo(classroom_demo) -> dict[str, int]:
    today = timezone.localdate()
    staff = classroom_demo.users["staff"]
    for site in classroom_demo.sites:
        WarningSettings.objects.get_or_create(site=site)
    active = list(Student.objects.filter(pk__in=[s.pk for s in classroom_demo.students],
                                                status=StudentStatus.ACTIVE,
                                                enrolled_on__lte=today - dt.timedelta(days=70)).order_by("pk"))
    main = [s for s in active if s.site_id == classroom_demo.sites[0].pk]
    # Four children on the main site (the demo staff's first) each show one warning.
    special = (main[-4:] if len(main) >= 4 else active[-4:])
    if len(special) < 4:
        return {}  # a tiny demo (a few students for a test) has no room for the warning stories
    overdue_visit, falling, silent, absent = special
    visits = contacts = follow_ups = 0
    regular = [s for s in main if s not in special][:12]
    stopped = next((s for s in regular + active if s not in special and s.grade_on(today) in HIGH_SCHOOL), None)

    # Regular visits and phone calls for a dozen children: the timeline has content.
    for n, child in enumerate(regular):
        environment, condition = NOTES[n % len(NOTES)]
        day = today - dt.timedelta(days=randgen.randint(8, 25))
        visit = HomeVisit.objects.create(
            student=child, visited_at=_at(day, 16), purpose=VisitPurpose.REGULAR, family_met=True,
            living_environment=environment, child_condition=condition, concern_level="watch" if n % 3 else "none",
            next_visit_due=today + dt.timedelta(days=randgen.randint(20, 60)), status=RecordStatus.DONE,
            created_by=staff, finished_at=_at(day, 18),
        )
        visit.staff.add(staff)
        visits += 1
        Contact.objects.create(student=child, kind=randgen.choice([ContactKind.PHONE, ContactKind.MESSAGE]),
                               contacted_at=_at(today - dt.timedelta(days=randgen.randint(1, 7)), 11), staff=staff,
                               with_whom="母親", notes="次回の教室の日程を確認した。")
        contacts += 1
        FollowUpAction.objects.create(student=child, visit=visit, description="学校の先生に様子を聞く", owner=staff,
                                      due_on=today + dt.timedelta(days=7 + n), done_on=None)
        follow_ups += 1

    # A visit past its next-visit date, and a follow-up past its due date.
    visit = HomeVisit.objects.create(
        student=overdue_visit, visited_at=_at(today - dt.timedelta(days=75), 16), purpose=VisitPurpose.FIRST,
        family_met=True, living_environment="生活保護のケースワーカーが同席。", concern_level="concern",
        next_visit_due=today - dt.timedelta(days=12), status=RecordStatus.DONE, created_by=staff,
        finished_at=_at(today - dt.timedelta(days=75), 18))
    visit.staff.add(staff)
    FollowUpAction.objects.create(student=overdue_visit, visit=visit, description="ケースワーカーに近況を伝える",
                                  owner=staff, due_on=today - dt.timedelta(days=5))
    InformationShare.objects.create(student=overdue_visit, recipient_name="深谷市 生活福祉課 ケースワーカー",
                                    recipient_kind="caseworker", what="家庭訪問での本人の様子と学習状況",
                                    shared_at=_at(today - dt.timedelta(days=70), 10), shared_by=staff,
                                    basis="child_welfare", exception_reason="本人の安全確認のため緊急に共有")
    # A share on the guardian's consent, to a kind of recipient the consent covers (the school).
    consent = overdue_visit.consents.filter(purpose="info_sharing", recipient_kinds__contains="school").first()
    if consent is not None:
        InformationShare.objects.create(student=overdue_visit, recipient_name="在籍中学校 学級担任", recipient_kind="school",
                                        what="夏休み明けの出席状況と、教室での学習の様子",
                                        shared_at=_at(today - dt.timedelta(days=40), 15), shared_by=staff,
                                        basis="consent", consent=consent)
    visits += 1
    follow_ups += 1

    # Attendance falling: came every time the 4 weeks before, then mostly told absences.
    recent_start = today - dt.timedelta(days=27)
    Attendance.objects.filter(student=falling, class_day__date__lt=recent_start,
                              class_day__date__gte=recent_start - dt.timedelta(days=28)).update(
        status=AttendanceStatus.PRESENT)
    recent = Attendance.objects.filter(student=falling, class_day__date__gte=recent_start, class_day__date__lt=today)
    recent_ids = list(recent.order_by("class_day__date").values_list("pk", flat=True))
    Attendance.objects.filter(pk__in=recent_ids[:-1]).update(status=AttendanceStatus.ABSENT_NOTICE, note="体調不良")
    Attendance.objects.filter(pk__in=recent_ids[-1:]).update(status=AttendanceStatus.PRESENT)
    TutoringRecord.objects.filter(student=falling, class_day__attendances__pk__in=recent_ids[:-1]).delete()

    # No contact for weeks: only told absences for 45 days, no drop-in, no visit, no call.
    Attendance.objects.filter(student=silent, class_day__date__gte=today - dt.timedelta(days=45)).update(
        status=AttendanceStatus.ABSENT_NOTICE, note="")
    TutoringRecord.objects.filter(student=silent, class_day__date__gte=today - dt.timedelta(days=45),
                                  written_at__isnull=False).delete()
    DropIn.objects.filter(student=silent).delete()
    HomeVisit.objects.filter(student=silent).delete()
    Contact.objects.filter(student=silent).delete()
    # Absent without notice on the last two class days: the absences warning, whatever the random draw.
    last_two = list(Attendance.objects.filter(student=absent, class_day__date__lt=today)
                    .exclude(class_day__status="cancelled").order_by("-class_day__date")[:2])
    Attendance.objects.filter(pk__in=[a.pk for a in last_two]).update(status=AttendanceStatus.ABSENT, note="")
    TutoringRecord.objects.filter(student=absent, class_day__in=[a.class_day_id for a in last_two],
                                  written_at__isnull=False).delete()
    if stopped is not None:
        # A high-school student who stopped coming six weeks ago, with no outcome of this year recorded.
        Attendance.objects.filter(student=stopped, class_day__date__gte=today - dt.timedelta(days=42)).delete()
        TutoringRecord.objects.filter(student=stopped, class_day__date__gte=today - dt.timedelta(days=42)).delete()
        Outcome.objects.filter(student=stopped, fiscal_year=fiscal_year_of(today)).delete()
    for child in special:
        if child.staff_in_charge_id is None:
            child.staff_in_charge = staff
            child.save(update_fields=["staff_in_charge"])
    return {"home visits": visits, "contacts": contacts, "follow-up actions": follow_ups}


CONSULTATIONS = ["進路と学費について母親から相談。就学援助の手続きを一緒に確認した。",
                 "きょうだいの世話で本人の勉強時間が取れないとの相談。家事の分担を話し合った。",
                 "スマートフォンの使い方で親子の衝突が続くとの相談。家庭内のルールづくりを提案。"]
SHARES = [
    ("caseworker", "consent", "深谷市 生活福祉課 ケースワーカー", "教室への出席状況と学習の様子"),
    ("school", "consent", "在籍校 学級担任", "教室での学習の様子と提出物の状況"),
    ("child_guidance", "child_welfare", "熊谷児童相談所", "家庭訪問で確認した生活状況"),
    ("agency", "law", "深谷市 自立相談支援機関", "世帯の生活状況（支援会議での共有）"),
]


@facts.deferred()
def seed_casework_history(classroom_demo) -> dict[str, int]:
    """Two fiscal years of case work before the last month, for the report to the city: finished home
    visits every few months for a third of the children (some with a guardian consultation), phone
    calls, and information shared with the welfare office, schools and the child guidance centre.

    Visits end 80 days back (before the overdue one ``seed_warnings_demo`` makes, which must stay
    the child's latest), calls and shares 35 days back; none leaves a visit due or a follow-up open,
    so the early warnings stay those ``seed_warnings_demo`` sets up."""
    today = timezone.localdate()
    start = classroom_demo.history_start
    last, last_visit = today - dt.timedelta(days=35), today - dt.timedelta(days=80)
    staff = classroom_demo.users["staff"]
    children = [s for s in classroom_demo.students if s.pk % 3 == 0]
    consents = {c.student_id: c for c in Consent.objects.filter(student__in=children, purpose="info_sharing")
                .order_by("given_on")}
    visits, contacts, shares = [], [], []
    for n, child in enumerate(children):
        first = max(start, child.enrolled_on)
        end = min(last, child.left_on or last)
        day = first + dt.timedelta(days=randgen.randint(5, 40))
        while day <= end:
            environment, condition = NOTES[n % len(NOTES)]
            if day <= last_visit:
                visits.append(HomeVisit(
                    student=child, visited_at=_at(day, 16), purpose=VisitPurpose.REGULAR,
                    family_met=randgen.random() < 0.8, living_environment=environment, child_condition=condition,
                    parenting_consultation=randgen.choice(CONSULTATIONS) if randgen.random() < 0.4 else "",
                    status=RecordStatus.DONE, created_by=staff, finished_at=_at(day, 18)))
            call = day + dt.timedelta(days=randgen.randint(10, 30))
            if call <= end:
                contacts.append(Contact(student=child, kind=randgen.choice(ContactKind.values), contacted_at=_at(call, 11),
                                        staff=staff, with_whom="母親", notes="近況と次回の教室日を確認した。"))
            if randgen.random() < 0.3:
                kind, basis, recipient, what = SHARES[randgen.randrange(len(SHARES))]
                consent = consents.get(child.pk)
                if basis == "consent" and (consent is None or not consent.covers(kind)):
                    kind, basis, recipient, what = SHARES[2]
                shares.append(InformationShare(
                    student=child, recipient_kind=kind, recipient_name=recipient, what=what,
                    shared_at=_at(day + dt.timedelta(days=2), 10), shared_by=staff, basis=basis,
                    consent=consent if basis == "consent" else None,
                    exception_reason="" if basis == "consent" else "本人の安全確認のため、同意を待たずに共有"))
            day += dt.timedelta(days=randgen.randint(80, 130))
    made = HomeVisit.objects.bulk_create(visits)
    HomeVisit.staff.through.objects.bulk_create([HomeVisit.staff.through(homevisit_id=v.pk, user_id=staff.pk)
                                                 for v in made])
    Contact.objects.bulk_create(contacts)
    InformationShare.objects.bulk_create(shares)
    for model, rows in ((HomeVisit, made), (Contact, contacts), (InformationShare, shares)):
        bulk_history(model, rows)  # bulk inserts send no signal: their change history in one insert each
    return {"past home visits": len(visits), "past contacts": len(contacts), "information shares": len(shares)}


class CaseworkDemo:
    """Case work's demo data, built on what the classroom demo made (as ``VolunteersDemo`` is)."""

    def __init__(self, classroom):
        self.classroom = classroom

    def seed(self) -> dict[str, int]:
        """Run after ``ClassroomDemo.seed`` and before the volunteers': it removes a few records."""
        return seed_casework_history(self.classroom) | seed_warnings_demo(self.classroom)
