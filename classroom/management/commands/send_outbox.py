"""Send the queued mail that is due (run every few minutes from cron)."""

from django.core.management.base import BaseCommand

from classroom.services.outbox import messages_send_due


class Command(BaseCommand):
    help = ("Send queued mail whose next try is due; a failed message is tried again later, with a longer wait "
            "each time, and given up after a few tries (the staff see it on the outbox page).")

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="Send at most this many messages in one run.")

    def handle(self, *args, **options):
        result = messages_send_due(limit=options["limit"])
        self.stdout.write(f"Outbox: sent {result.sent}, failed (will retry) {result.failed}, gave up {result.gave_up}")
