"""Benchmark of an import: a 2,000-row student file (with households and guardians), preview then confirm.

    python -m bench.imports [--rows 2000] [--runs 3] [--format csv|xlsx]

In a scratch SQLite database, or ``DATABASE_URL`` if set (give it an empty PostgreSQL database: it
is flushed). Each run starts from an empty site: the preview (read the file, plan every row
through the student, household and guardian forms, keep each row's validated values and a digest
of the records planned against, save the run) and the confirmation (the digest checked again,
then every row written from the kept values by ``student_save_many`` in one transaction) are
timed apart, then a re-import of the same file (every row unchanged). Target (issue 13): the
2,000 rows, preview plus confirmation, under 10 seconds. Figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup() -> str:
    scratch = tempfile.mkdtemp(prefix="yorisoi-bench-imports-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    from django.db import connection

    return f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else ''}".strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    args = parser.parse_args()
    database = _setup()

    from django.utils import translation

    from classroom import rules
    from classroom.factories import SiteFactory, UserFactory
    from classroom.models import Guardian, Household, Student
    from dataio.services import imports as service
    from tests.dataio.import_files import STUDENT_HEADINGS, csv_bytes, student_rows, xlsx_bytes

    rows = student_rows(args.rows)
    data = (csv_bytes(STUDENT_HEADINGS, rows, encoding="cp932") if args.format == "csv"
            else xlsx_bytes(STUDENT_HEADINGS, rows))
    translation.activate("ja")
    load = " ".join(f"{n:.1f}" for n in os.getloadavg())
    results = []
    for run_number in range(args.runs):
        site = SiteFactory(name=f"ベンチ教室 {run_number}")
        staff = UserFactory(username=f"bench-staff-{run_number}", roles=[rules.STAFF], sites=[site])
        started, cpu = time.perf_counter(), time.process_time()
        run = service.import_upload(kind="students", site=site, file_name="bench.csv", data=data, by=staff)
        preview, preview_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert run.new_count == args.rows, (run.new_count, run.error_count, run.plan[:3])
        started, cpu = time.perf_counter(), time.process_time()
        service.import_confirm(run_id=run.pk, user=staff)
        confirm, confirm_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert Student.objects.filter(site=site).count() == args.rows
        started = time.perf_counter()
        again = service.import_upload(kind="students", site=site, file_name="bench.csv", data=data, by=staff)
        reimport = time.perf_counter() - started
        assert again.unchanged_count == args.rows
        results.append((preview, confirm, reimport, preview_cpu + confirm_cpu))
        print(f"run {run_number + 1}: preview {preview:.2f} s, confirm {confirm:.2f} s, "
              f"total {preview + confirm:.2f} s ({args.rows / (preview + confirm):.0f} rows/s; CPU "
              f"{preview_cpu:.2f} + {confirm_cpu:.2f} s); re-import preview {reimport:.2f} s")
        Student.objects.all().delete()
        Guardian.objects.all().delete()
        Household.objects.all().delete()
    preview, confirm, reimport, cpu = (statistics.median(r[i] for r in results) for i in range(4))
    print(f"\n{args.rows} rows ({args.format}), {database}, {platform.machine()} {os.cpu_count()} cores, "
          f"Python {platform.python_version()}: median preview {preview:.2f} s, confirm {confirm:.2f} s, "
          f"total {preview + confirm:.2f} s = {args.rows / (preview + confirm):.0f} rows/s; "
          f"re-import preview {reimport:.2f} s; CPU time of this process {cpu:.2f} s; "
          f"load average before the runs {load}")


if __name__ == "__main__":
    main()
