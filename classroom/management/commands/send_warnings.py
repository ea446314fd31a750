"""Email each staff member the early warnings new for the children in their charge (run daily from cron)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from classroom.services.warnings import warnings_send


class Command(BaseCommand):
    help = "Email the staff in charge their new early warnings; running it twice sends nothing twice."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Take this day (YYYY-MM-DD) as today.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date must be YYYY-MM-DD: {error}") from error
        result = warnings_send(today=today)
        self.stdout.write(
            f"Early warnings for {today:%Y-%m-%d}: emails sent {result.sent} ({result.warnings} warnings), "
            f"skipped (no email) {result.skipped_no_email}, already emailed today {result.already_today}, "
            f"failed {result.failed}"
        )
