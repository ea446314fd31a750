"""Email each staff member the early warnings new for the children in their charge (run daily from cron)."""


from django.core.management.base import BaseCommand

from casework.services.warnings import warnings_send
from classroom.management.dates import add_date_option, today_or


class Command(BaseCommand):
    help = "Email the staff in charge their new early warnings; running it twice sends nothing twice."

    def add_arguments(self, parser):
        add_date_option(parser, "Take this day (YYYY-MM-DD) as today.")

    def handle(self, *args, **options):
        today = today_or(options["date"])
        result = warnings_send(today=today)
        self.stdout.write(
            f"Early warnings for {today:%Y-%m-%d}: emails sent {result.sent} ({result.warnings} warnings), "
            f"skipped (no email) {result.skipped_no_email}, already emailed today {result.already_today}, "
            f"failed {result.failed}"
        )
