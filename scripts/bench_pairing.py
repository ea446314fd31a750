"""Benchmark: propose pairs for 200 children and 100 volunteers (target: under 1 second).

Usage: python scripts/bench_pairing.py [--children 200] [--volunteers 100] [--runs 5]

Builds the data in a scratch SQLite database (or DATABASE_URL if set), then times
``volunteers.services.pairing.pairing_propose``: loading the children, volunteers, histories and
preferences from the database and solving the assignment. Prints each run and the median.
"""

import argparse
import datetime as dt
import os
import pathlib
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=200)
    parser.add_argument("--volunteers", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="yorisoi-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    import factory.random
    from django.utils import timezone
    from factory.random import randgen

    from classroom.factories import ClassDayFactory, SiteFactory, StudentFactory
    from classroom.grades import Grade
    from classroom.models import ClassDay, TutoringRecord
    from volunteers.factories import VolunteerFactory
    from volunteers.models import SignUp, TeachingSubject
    from volunteers.services.pairing import pairing_propose

    factory.random.reseed_random(42)
    today = timezone.localdate()
    site = SiteFactory()
    day = ClassDayFactory(site=site, date=today + dt.timedelta(days=(1 - today.weekday()) % 7 or 7))
    weekday = str(day.date.weekday())
    volunteers = VolunteerFactory.create_batch(args.volunteers, sites=[site], teaching=[])
    subjects = ["maths", "english", "japanese", "science", "social"]
    teaching = []
    for v in volunteers:
        for subject in randgen.sample(subjects, k=randgen.randint(1, 3)):
            for level in randgen.sample(["junior_high", "high_school"], k=randgen.randint(1, 2)):
                teaching.append(TeachingSubject(volunteer=v, subject=subject, level=level))
        v.max_children = randgen.choice([1, 1, 2, 3])
        v.save(update_fields=["max_children"])
    TeachingSubject.objects.bulk_create(teaching)
    SignUp.objects.bulk_create([SignUp(volunteer=v, class_day=day, answer="can", confirmed_at=timezone.now())
                                for v in volunteers])
    grades = [Grade.J1, Grade.J2, Grade.J3, Grade.H1, Grade.H2, Grade.H3]
    students = [StudentFactory(site=site, usual_weekdays=weekday, school_grade=randgen.choice(grades),
                               focus_subjects=",".join(randgen.sample(subjects, k=randgen.randint(1, 2))))
                for _ in range(args.children)]
    past_days = [ClassDay.objects.create(site=site, date=day.date - dt.timedelta(days=7 * w), status="held")
                 for w in range(1, 7)]
    records = [TutoringRecord(class_day=p, student=s, tutor=randgen.choice(volunteers).user, subjects="maths")
               for s in students for p in past_days]
    TutoringRecord.objects.bulk_create(records)

    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        proposal = pairing_propose(class_day=day)
        timings.append(time.perf_counter() - started)
    for n, t in enumerate(timings, 1):
        print(f"run {n}: {t * 1000:.0f} ms")
    print(f"{args.children} children, {args.volunteers} volunteers "
          f"({sum(v.max_children for v in volunteers)} places): {len(proposal.pairs)} paired, "
          f"{len(proposal.unpaired)} unpaired; median {statistics.median(timings) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
