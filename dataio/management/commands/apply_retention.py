"""``python manage.py apply_retention [--dry-run]``: anonymise the children and households whose retention
period has ended (for cron; see ``dataio.services.retention``)."""

from django.core.management.base import BaseCommand, CommandError

from dataio.services.retention import due_fiscal_year, retention_apply, retention_plan, retention_years
from lib import localtime


class Command(BaseCommand):
    help = ("Anonymise the children who left more than RETENTION_FISCAL_YEARS fiscal years ago (default 5, counted "
            "from the April after they left) and, once every child of a household is anonymised, the household: "
            "names, contacts, addresses, notes and free text go; counts, grades, dates and outcomes stay. Children "
            "under a legal hold are skipped. --dry-run lists what would change and writes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would change; write nothing.")
        parser.add_argument("--years", type=int, help="Fiscal years to keep (default: RETENTION_FISCAL_YEARS).")

    def handle(self, *args, **options):
        years = retention_years() if options["years"] is None else options["years"]
        if years < 1:
            raise CommandError("--years must be at least 1.")
        if options["dry_run"]:
            self._list(retention_plan(years=years))
            return
        result = retention_apply(years=years)
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Anonymised {result.students} children and {result.households} households ({result.guardians} "
                f"guardians); removed {result.rows_cleared} free-text values of their records, replaced names in "
                f"{result.texts_redacted} other texts, deleted {result.photos} photos.")

    def _list(self, plan) -> None:
        students = plan.students
        self.stdout.write(f"Dry run on {localtime.iso(plan.today)} (keeping {plan.years} fiscal years): nothing is "
                          "written.")
        self.stdout.write(f"Children to anonymise: {len(students)}")
        for student in students:
            self.stdout.write(f"  child {student.pk}\tsite {student.site.name}\tleft {localtime.iso(student.left_on)}"
                              f"\tdue from fiscal year {due_fiscal_year(student.left_on, plan.years)}")
        households = plan.households
        self.stdout.write(f"Households to anonymise: {len(households)}")
        for household in households:
            self.stdout.write(f"  household {household.pk}")
