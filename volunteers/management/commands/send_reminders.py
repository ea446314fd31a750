"""Email volunteers the day before a class day they are confirmed for (run daily from cron)."""

import datetime as dt

from django.core.management.base import BaseCommand

from classroom.management.dates import add_date_option, today_or
from volunteers.services.schedule import reminders_send


class Command(BaseCommand):
    help = "Email each volunteer confirmed for tomorrow's class days; running it twice sends nothing twice."

    def add_arguments(self, parser):
        add_date_option(parser, "Take this day (YYYY-MM-DD) as today: reminds for the day after it.")

    def handle(self, *args, **options):
        today = today_or(options["date"])
        result = reminders_send(today=today)
        self.stdout.write(
            f"Reminders for {today + dt.timedelta(days=1):%Y-%m-%d}: sent {result.sent}, "
            f"skipped (no email) {result.skipped_no_email}, failed {result.failed}"
        )
