"""``python manage.py restore PATH``: a backup back into a new, empty database and MEDIA_ROOT."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dataio.services.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = ("Restore a backup made by `backup` into an empty database (created, not migrated) of the same kind "
            "and into MEDIA_ROOT. Refuses a database that has tables, a backup of another database vendor, a "
            "backup from a newer version of the code, and a damaged file; nothing is written then.")

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup file.")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, **options):
        try:
            summary = backup_restore(path=options["path"], alias=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] > 0:
            self.stdout.write(f"Restored the backup of {summary.created_at} ({summary.vendor}) and "
                              f"{summary.media_files} uploaded files.")
            if summary.migrations_missing:
                self.stdout.write(f"The backup predates {len(summary.migrations_missing)} migrations of this code: "
                                  "run `python manage.py migrate` now.")
            self.stdout.write("Then check the derived facts: `python manage.py rebuild_warning_facts --check`.")
