"""The volunteers' demo data, built on what the classroom demo made.

30 volunteers of mixed kinds: the classroom demo's 12 volunteer users (who already tutor
children, so their past sessions and the next class day's planned pairs exist) and 18 more.
Random choices go through ``factory.random.randgen`` only, so the same seed gives the same data.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.utils import timezone
from factory.random import randgen

from classroom import rules
from classroom.factories import UserFactory
from classroom.models import ClassDayStatus, TutoringRecord
from volunteers import pairing
from volunteers.factories import VolunteerFactory
from volunteers.models import (
    AvailabilityException,
    PairingPreference,
    SignUp,
    SignUpAnswer,
    TeachingSubject,
    Volunteer,
    VolunteerAttendance,
    VolunteerKind,
)
from volunteers.services.pairing import pairing_plan

TOTAL = 30
SUBJECTS = ["maths", "english", "japanese", "science", "social"]
LEVELS = [pairing.JUNIOR_HIGH, pairing.HIGH_SCHOOL]
KINDS = ([VolunteerKind.RETIRED_TEACHER] * 8 + [VolunteerKind.UNIVERSITY_STUDENT] * 10
         + [VolunteerKind.WORKING_ADULT] * 10 + [VolunteerKind.OTHER] * 2)
NOTES = {
    VolunteerKind.RETIRED_TEACHER: "元中学校教員（数学）。受験指導の経験あり。",
    VolunteerKind.UNIVERSITY_STUDENT: "教育学部の学生。試験期間中は参加が減ります。",
    VolunteerKind.WORKING_ADULT: "平日は仕事のため、18時以降の参加になることがあります。",
    VolunteerKind.OTHER: "地域の民生委員。",
}


class VolunteersDemo:
    def __init__(self, classroom):
        self.classroom = classroom

    def seed(self) -> dict[str, int]:
        self.today = timezone.localdate()
        self.sites = self.classroom.sites
        self.class_days = sorted(self.classroom.class_days, key=lambda d: (d.date, d.site_id))
        self.upcoming = [d for d in self.class_days if d.date >= self.today and d.status != ClassDayStatus.CANCELLED]
        self.first_days = {}
        for day in self.upcoming:
            self.first_days.setdefault(day.site_id, day)
        volunteers = self.seed_volunteers()
        self.seed_exceptions(volunteers)
        sign_ups = self.seed_sign_ups(volunteers)
        preferences = self.seed_preferences(volunteers)
        self.fit_planned_pairs()
        attendance = self.seed_attendance(volunteers)
        return {"volunteers": len(volunteers), "sign-ups": sign_ups, "pairing preferences": preferences,
                "volunteer attendance": attendance}

    # --- Profiles ---------------------------------------------------------------------------
    def _teaching(self, kind: str) -> list[tuple[str, str]]:
        if kind == VolunteerKind.RETIRED_TEACHER:
            subjects, levels = randgen.sample(SUBJECTS, k=randgen.randint(2, 3)), LEVELS
        elif kind == VolunteerKind.UNIVERSITY_STUDENT:
            subjects = randgen.sample(SUBJECTS, k=randgen.randint(1, 3))
            levels = LEVELS if randgen.random() < 0.6 else [pairing.JUNIOR_HIGH]
        else:
            subjects, levels = randgen.sample(SUBJECTS, k=randgen.randint(1, 2)), [pairing.JUNIOR_HIGH]
        return [(s, lv) for s in subjects for lv in levels]

    def seed_volunteers(self) -> list[Volunteer]:
        today = self.today
        main, second = self.sites
        main_days, second_days = self.classroom.weekdays
        kinds = list(KINDS)
        randgen.shuffle(kinds)
        # Where the classroom demo's volunteer users already tutor.
        tutored_sites: dict[int, set[int]] = defaultdict(set)
        for tutor_id, site_id in TutoringRecord.objects.filter(tutor__isnull=False).values_list(
                "tutor_id", "class_day__site_id").distinct().order_by("tutor_id", "class_day__site_id"):
            tutored_sites[tutor_id].add(site_id)
        users = list(self.classroom.volunteer_users)
        users += [UserFactory(username=f"volunteer{n}", roles=[rules.VOLUNTEER]) for n in range(len(users) + 1, TOTAL + 1)]
        # Seeding again after the classroom data was emptied: the demo users' old profiles go.
        Volunteer.objects.filter(user__in=users).delete()
        volunteers = []
        for n, (user, kind) in enumerate(zip(users, kinds, strict=True)):
            if n == 0:
                kind = VolunteerKind.RETIRED_TEACHER  # the demo login: a retired maths teacher
            site_ids = tutored_sites.get(user.pk) or ({main.pk} if randgen.random() < 0.7 else
                                                      {second.pk} if randgen.random() < 0.6 else {main.pk, second.pk})
            weekdays = set()
            if main.pk in site_ids:
                weekdays |= set(main_days if n < 12 or randgen.random() < 0.5 else [randgen.choice(main_days)])
            if second.pk in site_ids:
                weekdays |= set(second_days)
            teaching = self._teaching(kind)
            if n == 0:
                teaching = [(s, lv) for s in ("maths", "english") for lv in LEVELS]
            extra = {}
            if n == 12:
                extra["pledge_signed_on"] = None  # joined last week: the pledge is not signed yet
                extra["joined_on"] = today - dt.timedelta(days=7)
                extra["training_completed_on"] = None
            elif n in (13, 14):
                extra["insurance_expires_on"] = today + dt.timedelta(days=10 if n == 13 else 24)
            volunteer = VolunteerFactory(
                user=user, kind=kind, sites=sorted(site_ids), teaching=teaching,
                usual_weekdays="".join(str(d) for d in sorted(weekdays)),
                max_children=3 if n == 0 else randgen.choice([1, 1, 2, 2, 3]),
                note=NOTES[kind] if randgen.random() < 0.4 else "", **extra,
            )
            volunteers.append(volunteer)
        return volunteers

    def seed_exceptions(self, volunteers: list[Volunteer]) -> None:
        """A couple of dates on which the usual pattern does not hold (never the first upcoming days)."""
        later = [d for d in self.upcoming if d not in self.first_days.values()]
        self.exceptions: dict[tuple[int, dt.date], bool] = {}
        rows = []
        for volunteer in volunteers[12:16]:
            own = [d for d in later if d.site_id in {s.pk for s in volunteer.sites.all()}]
            if not own:
                continue
            day = randgen.choice(own)
            usual = str(day.date.weekday()) in volunteer.usual_weekdays
            note = "出張のため参加できません" if usual else "この日は参加できます"
            rows.append(AvailabilityException(volunteer=volunteer, date=day.date, available=not usual, note=note))
            self.exceptions[(volunteer.pk, day.date)] = not usual
        AvailabilityException.objects.bulk_create(rows)

    def _available(self, volunteer: Volunteer, day) -> bool:
        return self.exceptions.get((volunteer.pk, day.date), str(day.date.weekday()) in volunteer.usual_weekdays)

    # --- Sign-ups ---------------------------------------------------------------------------
    def seed_sign_ups(self, volunteers: list[Volunteer]) -> int:
        """Upcoming: most who can come say so, some can't; the first class days are confirmed."""
        now = timezone.now()
        planned = defaultdict(set)  # class day -> tutor user ids with planned pairs
        for day_id, tutor_id in TutoringRecord.objects.filter(
                class_day__in=self.first_days.values(), tutor__isnull=False).values_list("class_day_id", "tutor_id"):
            planned[day_id].add(tutor_id)
        second_days = {}
        for day in self.upcoming:
            if day not in self.first_days.values():
                second_days.setdefault(day.site_id, day)
        rows = []
        for volunteer in volunteers:
            site_ids = {s.pk for s in volunteer.sites.all()}
            eligible = volunteer.is_eligible_on(self.today)
            for day in self.upcoming:
                if day.site_id not in site_ids:
                    continue
                is_first = self.first_days[day.site_id] == day
                answer = None
                if volunteer.user_id in planned[day.pk]:
                    answer = SignUpAnswer.CAN_COME
                elif self._available(volunteer, day):
                    roll = randgen.random()
                    answer = SignUpAnswer.CAN_COME if roll < 0.75 else SignUpAnswer.CANNOT_COME if roll < 0.88 else None
                elif randgen.random() < 0.3:
                    answer = SignUpAnswer.CANNOT_COME
                if answer is None:
                    continue
                confirmed = answer == SignUpAnswer.CAN_COME and eligible and (
                    is_first and (volunteer.user_id in planned[day.pk] or randgen.random() < 0.8)
                    or second_days.get(day.site_id) == day and randgen.random() < 0.4)
                answered = timezone.make_aware(dt.datetime.combine(
                    day.date - dt.timedelta(days=randgen.randint(3, 14)), dt.time(randgen.randint(8, 22), 0)))
                rows.append(SignUp(volunteer=volunteer, class_day=day, answer=answer, answered_at=min(answered, now),
                                   confirmed_at=now if confirmed else None,
                                   confirmed_by=self.classroom.users["coordinator"] if confirmed else None))
        # Past class days: the tutors who came had signed up and been confirmed.
        by_user = {v.user_id: v for v in volunteers}
        seen = set()
        for day_id, date, tutor_id in TutoringRecord.objects.filter(
                class_day__date__lt=self.today, tutor__isnull=False).values_list(
                "class_day_id", "class_day__date", "tutor_id").order_by("class_day_id", "tutor_id"):
            if (day_id, tutor_id) in seen or tutor_id not in by_user:
                continue
            seen.add((day_id, tutor_id))
            at = timezone.make_aware(dt.datetime.combine(date - dt.timedelta(days=5), dt.time(20, 0)))
            rows.append(SignUp(volunteer=by_user[tutor_id], class_day_id=day_id, answer=SignUpAnswer.CAN_COME,
                               answered_at=at, confirmed_at=at + dt.timedelta(days=1),
                               confirmed_by=self.classroom.users["coordinator"]))
        SignUp.objects.bulk_create(rows, batch_size=1000)
        return len(rows)

    # --- Preferences and the saved pairs ------------------------------------------------------
    def seed_preferences(self, volunteers: list[Volunteer]) -> int:
        """A few children's preferred tutors, and a few pairs not to match (never a planned pair)."""
        planned = set(TutoringRecord.objects.filter(class_day__date__gte=self.today, tutor__isnull=False)
                      .values_list("student_id", "tutor_id"))
        students = [s for s in self.classroom.students if s.status == "active"]
        rows, used = [], set()
        coordinator = self.classroom.users["coordinator"]
        for student in randgen.sample(students, k=min(6, len(students))):
            volunteer = randgen.choice(volunteers[:12])
            used.add(student.pk)
            rows.append(PairingPreference(student=student, volunteer=volunteer, kind=PairingPreference.Kind.PREFERRED,
                                          note="本人の希望（話しやすいとのこと）", created_by=coordinator))
        for student in randgen.sample(students, k=min(10, len(students))):
            if student.pk in used:
                continue
            volunteer = randgen.choice(volunteers)
            if (student.pk, volunteer.user_id) in planned or len(used) >= 9:
                continue
            used.add(student.pk)
            rows.append(PairingPreference(student=student, volunteer=volunteer, kind=PairingPreference.Kind.AVOID,
                                          note="相性を考慮", created_by=coordinator))
        PairingPreference.objects.bulk_create(rows)
        return len(rows)

    def fit_planned_pairs(self) -> None:
        """Make the classroom demo's planned pairs ones the rules allow: the tutor teaches the
        child's subjects at the child's level, and nobody has more children than they take.
        Pairs over a tutor's maximum are dropped (the planning screen proposes those children)."""
        for day in self.first_days.values():
            plan = pairing_plan(class_day=day)
            tutors = {t.id: t for t in plan.tutors}
            volunteers = {v.id: v for v in plan.volunteers}
            children = {c.id: c for c in plan.children}
            load: Counter = Counter()
            to_drop, to_teach = [], set()
            for pair in plan.proposal.pairs:
                if not pair.kept:
                    continue
                load[pair.tutor_id] += 1
                if load[pair.tutor_id] > tutors[pair.tutor_id].capacity:
                    to_drop.append((pair.child_id, volunteers[pair.tutor_id].user_id))
                    continue
                child = children[pair.child_id]
                if not pairing.is_allowed(child, tutors[pair.tutor_id]):
                    level = child.level or pairing.JUNIOR_HIGH
                    to_teach |= {(pair.tutor_id, s, level) for s in (child.needs or ("maths",))}
            TeachingSubject.objects.bulk_create(
                [TeachingSubject(volunteer_id=v, subject=s, level=lv) for v, s, lv in sorted(to_teach)],
                ignore_conflicts=True)
            for student_id, tutor_id in to_drop:
                TutoringRecord.objects.filter(class_day=day, student_id=student_id, tutor_id=tutor_id,
                                              written_at__isnull=True).delete()
        # The demo login always has a child on a first upcoming class day.
        demo_user = self.classroom.volunteer_users[0]
        days = list(self.first_days.values())
        if days and not TutoringRecord.objects.filter(class_day__in=days, tutor=demo_user).exists():
            day = self.first_days.get(self.sites[0].pk, days[0])
            record = TutoringRecord.objects.filter(class_day=day, written_at__isnull=True).order_by("pk").first()
            if record is not None:
                volunteer = Volunteer.objects.get(user=demo_user)
                volunteer.sites.add(day.site)
                TutoringRecord.objects.filter(class_day=day, tutor=demo_user).delete()
                record.tutor = demo_user
                record.save(update_fields=["tutor", "updated_at"])
                SignUp.objects.update_or_create(volunteer=volunteer, class_day=day, defaults={
                    "answer": SignUpAnswer.CAN_COME, "confirmed_at": timezone.now(),
                    "confirmed_by": self.classroom.users["coordinator"]})
                child = next(c for c in pairing_plan(class_day=day).children if c.id == record.student_id)
                TeachingSubject.objects.bulk_create(
                    [TeachingSubject(volunteer=volunteer, subject=s, level=child.level or pairing.JUNIOR_HIGH)
                     for s in (child.needs or ("maths",))], ignore_conflicts=True)

    # --- Hours ------------------------------------------------------------------------------
    def seed_attendance(self, volunteers: list[Volunteer]) -> int:
        """Each tutor with a tutoring record on a past class day came, around the class hours."""
        by_user = {v.user_id: v for v in volunteers}
        days = {d.pk: d for d in self.class_days}
        pairs = sorted(set(TutoringRecord.objects.filter(class_day__date__lt=self.today, tutor__isnull=False)
                           .values_list("class_day_id", "tutor_id")))
        rows = []
        coordinator = self.classroom.users["staff"]
        for day_id, tutor_id in pairs:
            if tutor_id not in by_user:
                continue
            day = days[day_id]
            start = dt.datetime.combine(day.date, day.start_time) - dt.timedelta(minutes=randgen.choice([0, 5, 10, 15]))
            end = dt.datetime.combine(day.date, day.end_time) + dt.timedelta(minutes=randgen.choice([0, 0, 10, 20, 30]))
            rows.append(VolunteerAttendance(
                volunteer=by_user[tutor_id], class_day=day, arrived_at=start.time(), left_at=end.time(),
                recorded_by=coordinator,
                recorded_at=timezone.make_aware(dt.datetime.combine(day.date, day.end_time)) + dt.timedelta(hours=1),
            ))
        VolunteerAttendance.objects.bulk_create(rows, batch_size=1000)
        return len(rows)
