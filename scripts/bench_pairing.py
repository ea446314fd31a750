"""Benchmark: pairing a class day at two sizes, including loading, and the plan page's weight.

Usage (one command, from the repository root):

    python scripts/bench_pairing.py [--sizes 200x100,1000x500] [--runs 5] [--weeks 26] [--page]

Each size is CHILDRENxVOLUNTEERS. For each size the data is built with bulk inserts in a scratch
SQLite database (or DATABASE_URL if set: give it an empty PostgreSQL database, it is flushed):
one site, one class day next week, the children expected on it (junior and high school, one or
two focus subjects), the volunteers confirmed for it (1 to 3 subjects at one or both levels,
each taking 1 to 3 children), ``--weeks`` weeks of tutoring history per child and a few
preferences. Then it times ``volunteers.services.pairing.pairing_propose``: loading the
children, volunteers, histories and preferences from the database and solving the
assignment. With ``--page`` it also fetches the coordinator's plan page of that class day
(time and HTML bytes). Prints each run and the median.
Targets (issue 11): 1,000 x 500 under 1 s including loading; 200 x 100 under 150 ms.
"""

import argparse
import datetime as dt
import os
import pathlib
import platform
import random
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SUBJECTS = ["maths", "english", "japanese", "science", "social"]
LEVELS = ["junior_high", "high_school"]


def seed(n_children: int, n_volunteers: int, weeks: int):
    """One site, one class day, its children and confirmed volunteers, with history: bulk inserts only."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from classroom import rules
    from classroom.factories import demo_password_hash
    from classroom.grades import Grade
    from classroom.models import ClassDay, Household, Site, Student, TutoringRecord
    from volunteers.models import PairingPreference, SignUp, TeachingSubject, Volunteer

    rng = random.Random(42)
    User = get_user_model()
    today = timezone.localdate()
    password = demo_password_hash()
    site = Site.objects.create(name=f"ベンチ教室 {n_children}x{n_volunteers}", address="深谷市", phone="048-000-0000")
    day = ClassDay.objects.create(site=site, date=today + dt.timedelta(days=(1 - today.weekday()) % 7 or 7),
                                  status="scheduled")
    weekday = str(day.date.weekday())
    prefix = f"b{n_children}x{n_volunteers}"

    users = User.objects.bulk_create([
        User(username=f"{prefix}-v{n}", last_name="鈴木", first_name=f"{n}郎", email=f"{prefix}-v{n}@example.jp",
             password=password) for n in range(n_volunteers)])
    coordinator = User.objects.create(username=f"{prefix}-coordinator", last_name="高橋", first_name="健一",
                                      password=password)
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in (rules.VOLUNTEER, rules.COORDINATOR)}
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=groups[rules.VOLUNTEER].pk) for u in users]
        + [User.groups.through(user_id=coordinator.pk, group_id=groups[rules.COORDINATOR].pk)])
    coordinator.sites.add(site)
    pledge, insurance = today - dt.timedelta(days=200), today + dt.timedelta(days=200)
    volunteers = Volunteer.objects.bulk_create([
        Volunteer(user=u, kind="university_student", phone="090-0000-0000", usual_weekdays=weekday,
                  max_children=rng.choice([1, 1, 2, 3]), pledge_signed_on=pledge, insurance_expires_on=insurance,
                  training_completed_on=pledge, joined_on=pledge, emergency_contact_name="鈴木 花子",
                  emergency_contact_phone="090-0000-0001") for u in users])
    Volunteer.sites.through.objects.bulk_create(
        [Volunteer.sites.through(volunteer_id=v.pk, site_id=site.pk) for v in volunteers])
    TeachingSubject.objects.bulk_create([
        TeachingSubject(volunteer=v, subject=subject, level=level)
        for v in volunteers for subject in rng.sample(SUBJECTS, k=rng.randint(1, 3))
        for level in rng.sample(LEVELS, k=rng.randint(1, 2))])
    SignUp.objects.bulk_create([SignUp(volunteer=v, class_day=day, answer="can", confirmed_at=timezone.now())
                                for v in volunteers])

    household = Household.objects.create(postal_code="366-0000", address="深谷市")
    grades = [Grade.J1, Grade.J2, Grade.J3, Grade.H1, Grade.H2, Grade.H3]
    from classroom.factories import birth_date_for
    students = Student.objects.bulk_create([
        Student(site=site, household=household, family_name="佐藤", family_name_kana="さとう",
                given_name=f"{n}太", given_name_kana=f"{n:05d}た", birth_date=birth_date_for(rng.choice(grades)),
                enrolled_on=today - dt.timedelta(days=400), usual_weekdays=weekday,
                focus_subjects=",".join(rng.sample(SUBJECTS, k=rng.randint(1, 2)))) for n in range(n_children)])
    past_days = ClassDay.objects.bulk_create([
        ClassDay(site=site, date=day.date - dt.timedelta(days=7 * w), status="held") for w in range(1, weeks + 1)])
    for start in range(0, len(past_days), 10):
        TutoringRecord.objects.bulk_create([
            TutoringRecord(class_day=p, student=s, tutor_id=rng.choice(users).pk, subjects="maths")
            for s in students for p in past_days[start:start + 10]], batch_size=5000)
    PairingPreference.objects.bulk_create([
        PairingPreference(student=s, volunteer=rng.choice(volunteers),
                          kind=rng.choice([PairingPreference.Kind.PREFERRED, PairingPreference.Kind.AVOID]))
        for s in rng.sample(students, k=len(students) // 10)], ignore_conflicts=True)
    return day, coordinator, sum(v.max_children for v in volunteers)


def timed(function, runs):
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    return timings, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="200x100,1000x500")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--weeks", type=int, default=26, help="weeks of tutoring history per child")
    parser.add_argument("--page", action="store_true", help="also fetch the plan page (time and bytes)")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="yorisoi-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from volunteers.services.pairing import pairing_propose

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    database = (f"SQLite {connection.Database.sqlite_version}" if connection.vendor == "sqlite"
                else f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}")
    print(f"{dt.date.today()} · {platform.node()} · {platform.machine()}, {os.cpu_count()} cores · {database}")
    for size in args.sizes.split(","):
        n_children, n_volunteers = (int(n) for n in size.split("x"))
        started = time.perf_counter()
        day, coordinator, places = seed(n_children, n_volunteers, args.weeks)
        print(f"\n{n_children} children x {n_volunteers} volunteers ({places} places), "
              f"{args.weeks} weeks of history: seeded in {time.perf_counter() - started:.1f} s")
        pairing_propose(class_day=day)  # warm-up: imports, translations, connection
        timings, proposal = timed(lambda day=day: pairing_propose(class_day=day), args.runs)
        print("pairing_propose: " + ", ".join(f"{t * 1000:.0f}" for t in timings)
              + f" ms; median {statistics.median(timings) * 1000:.0f} ms; "
              f"{len(proposal.pairs)} paired, {len(proposal.unpaired)} unpaired")
        if args.page:
            client = Client()
            client.force_login(coordinator)
            url = reverse("volunteers:pairing_plan", args=[day.pk])
            assert client.get(url).status_code == 200
            timings, response = timed(lambda client=client, url=url: client.get(url), args.runs)
            print("plan page: " + ", ".join(f"{t * 1000:.0f}" for t in timings)
                  + f" ms; median {statistics.median(timings) * 1000:.0f} ms; {len(response.content):,} bytes")


if __name__ == "__main__":
    main()
