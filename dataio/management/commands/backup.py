"""``python manage.py backup PATH``: the database and the uploaded files in one file, while the app runs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dataio.services.backup import BackupError, backup_create


class Command(BaseCommand):
    help = ("Write a backup of the database (SQLite's online backup API, or pg_dump on PostgreSQL) and of every "
            "uploaded file under MEDIA_ROOT, with a manifest, to PATH: one tar file, readable by its owner only. "
            "Safe while the app is running.")

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The file to write (must not exist yet).")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, **options):
        try:
            summary = backup_create(path=options["path"], alias=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] > 0:
            self.stdout.write(f"Backed up the {summary.vendor} database ({summary.migrations} migrations applied) and "
                              f"{summary.media_files} uploaded files to {summary.path} ({summary.size:,} bytes).")
