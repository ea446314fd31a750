"""Demo data for trying Yorisoi and for benchmarks: ``seed_demo [--seed N] [--students N]``.

The command lives in the top app of the import chain (activities -> volunteers -> classroom,
and casework -> classroom) and calls each app's own ``demo`` module in turn.
"""

import time

import factory.random
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from activities.demo import ActivitiesDemo
from casework.demo import CaseworkDemo
from classroom.demo import DEMO_ADMIN, DEMO_USERS, ClassroomDemo, seed_outcomes
from classroom.factories import DEMO_PASSWORD
from classroom.models import Student
from lib import facts
from volunteers.demo import VolunteersDemo

User = get_user_model()


class Command(BaseCommand):
    help = "Fill the database with realistic demo data (the same seed gives the same data)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument("--students", type=int, default=60, help="How many students (default 60).")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if there are students already.")

    def handle(self, *args, seed: int, students: int, if_empty: bool, **options):
        if Student.objects.exists():
            if not if_empty:
                raise CommandError("The database already has students: demo data goes into an empty database.")
            self.stdout.write("The database has data already: demo data not loaded.")
        else:
            started = time.monotonic()
            factory.random.reseed_random(seed)
            # One refresh of the children's facts at the end, for everything the demos write in bulk.
            with transaction.atomic(), facts.deferred():
                classroom = ClassroomDemo()
                counts = classroom.seed(students)
                counts |= seed_outcomes(classroom)  # before case work: its stories need a child without one
                counts |= CaseworkDemo(classroom).seed()  # before the volunteers: it removes a few records
                volunteers = VolunteersDemo(classroom)
                counts |= volunteers.seed()
                counts |= ActivitiesDemo(classroom, volunteers).seed()
            took = time.monotonic() - started
            self.stdout.write(self.style.SUCCESS(
                "Demo data: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + f" ({took:.1f} s)"
            ))
        self.print_logins()

    def print_logins(self) -> None:
        """The demo accounts this database holds, as the README lists them (the admin included)."""
        logins = [(", ".join(user_roles), username) for username, _name, user_roles in DEMO_USERS]
        logins.append(("superuser", DEMO_ADMIN))
        present = set(User.objects.filter(username__in=[u for _r, u in logins]).values_list("username", flat=True))
        logins = [(roles, username) for roles, username in logins if username in present]
        if not logins:
            self.stdout.write("No demo logins in this database.")
            return
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for roles, username in logins:
            suffix = "  (Django admin only: /admin/)" if username == DEMO_ADMIN else ""
            self.stdout.write(f"  {roles:<19} {username}{suffix}")
