"""``python manage.py apply_retention [--dry-run]``: anonymise the children and households whose retention
period has ended (for cron; see ``dataio.services.retention``)."""

from django.core.management.base import BaseCommand, CommandError

from dataio.services.retention import (
    access_log_due,
    access_log_prune,
    access_log_years,
    due_fiscal_year,
    retention_apply,
    retention_plan,
    retention_years,
)
from lib import localtime


class Command(BaseCommand):
    help = ("Anonymise the children who left more than RETENTION_FISCAL_YEARS fiscal years ago (default 5, counted "
            "from the April after they left) and, once every child of a household is anonymised, the household: "
            "names, contacts, addresses, notes and free text go; counts, grades, dates and outcomes stay. Children "
            "under a legal hold are skipped. Access-log entries older than ACCESS_LOG_RETENTION_YEARS (default 3) are "
            "deleted. --dry-run lists what would change and writes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would change; write nothing.")
        parser.add_argument("--years", type=int, help="Fiscal years to keep (default: RETENTION_FISCAL_YEARS).")
        parser.add_argument("--log-years", type=int,
                            help="Years the access log keeps an entry (default: ACCESS_LOG_RETENTION_YEARS).")

    def handle(self, *args, **options):
        years = retention_years() if options["years"] is None else options["years"]
        log_years = access_log_years() if options["log_years"] is None else options["log_years"]
        if years < 1 or log_years < 1:
            raise CommandError("--years and --log-years must be at least 1.")
        if options["dry_run"]:
            self._list(retention_plan(years=years))
            due, cutoff = access_log_due(years=log_years)
            self.stdout.write(f"Access-log entries to delete (before {localtime.iso(cutoff)}, keeping {log_years} "
                              f"years): {due.count()}")
            return
        result = retention_apply(years=years)
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Anonymised {result.students} children and {result.households} households ({result.guardians} "
                f"guardians); removed {result.rows_cleared} free-text values of their records, replaced names in "
                f"{result.texts_redacted} other texts, deleted {result.photos} photos.")
        pruned = access_log_prune(years=log_years)
        if options["verbosity"] > 0:
            self.stdout.write(f"Deleted {pruned} access-log entries older than {log_years} years.")

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
