"""Write the full export of the program's data (the ZIP the data page downloads) to a file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dataio.services.export_all import export_all


class Command(BaseCommand):
    help = ("Write every table of the program's data (CSV and JSON), the uploaded files and a README of the "
            "columns to one ZIP file at PATH, so that the data can move to another system.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the ZIP file (for example yorisoi-export.zip).")
        parser.add_argument("--force", action="store_true", help="Replace the file if it exists.")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if path.is_dir():
            raise CommandError(f"{path} is a folder: give the path of the ZIP file to write.")
        if path.exists() and not options["force"]:
            raise CommandError(f"{path} exists: give another path, or --force to replace it.")
        partial = path.with_name(path.name + ".part")
        try:
            with partial.open("wb") as out:
                summary = export_all(out=out, by="export_all")
            partial.replace(path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Could not write {path}: {error.strerror or error}") from error
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        self.stdout.write(f"Wrote {path}: {len(summary.rows)} tables, {summary.total_rows} rows, "
                          f"{summary.files} files ({len(summary.missing_files)} missing) in {summary.seconds:.1f} s")
