"""Rebuild the early warnings' per-child facts from the records (after a restore or a raw SQL fix),
or check them: ``--check`` writes nothing and exits non-zero when any child's facts differ."""

from django.core.management.base import BaseCommand, CommandError

from casework.services.facts import warning_facts_rebuild
from classroom.models import Site


class Command(BaseCommand):
    help = ("Recompute every child's early-warning facts from their attendance, drop-ins, visits, contacts and "
            "follow-ups. --check only reports the children whose facts differ, and fails if any do.")

    def add_arguments(self, parser):
        parser.add_argument("--site", type=int, help="Only this site (its id).")
        parser.add_argument("--check", action="store_true", help="Write nothing; exit 1 if any facts differ.")

    def handle(self, *args, **options):
        sites = Site.objects.order_by("pk")
        if options["site"] is not None:
            sites = sites.filter(pk=options["site"])
            if not sites.exists():
                raise CommandError(f"No site with id {options['site']}.")
        differences = warning_facts_rebuild(sites=list(sites), write=not options["check"])
        if options["check"] or options["verbosity"] > 1:
            for difference in differences:
                self.stdout.write(str(difference))
        children = len({d.student_id for d in differences})
        if options["check"]:
            if differences:
                raise CommandError(f"Children whose facts differ from their records: {children}.")
            self.stdout.write("Every child's facts match their records.")
        elif options["verbosity"] > 0:
            self.stdout.write(f"Rebuilt the facts; children corrected: {children}.")
