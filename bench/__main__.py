"""Run the benchmark: ``python -m bench [--short] [--scales ...] [--databases ...] [--run-time S]``.

Per database kind, migrate a template database once; then for each scale: copy it (a file under
var/bench/, or a PostgreSQL database yorisoi_bench_<scale> made from the template and dropped here), seed (bench.seed), collect static files,
start gunicorn (sync workers) with bench.settings, wait until it answers, run each scenario of
bench.locustfile as its own headless locust run (clean percentiles each), then the concurrency
check, and write the section of docs/performance.md for that run. gunicorn is stopped (its whole
process group) whatever happens.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import csv
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench import report, scenarios

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("BENCH_VAR", ROOT / "var" / "bench"))
PYTHON = sys.executable
BIN = Path(sys.executable).parent
SCENARIOS = ["bare_roster", "roster", "bare_upsert", "tap", "staff_home", "warnings", "student_list",
             "student_page", "volunteer_schedule", "ical", "pairing_plan"]
ALL_SCALES = ["classroom", "five_years", "city"]
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432"
TEMPLATE = "template"


class BenchError(Exception):
    pass


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--short", action="store_true",
                        help="Short mode: classroom and five_years on SQLite, 5 s per scenario (under five minutes); "
                             "prints the figures and leaves docs/performance.md alone unless --docs is given.")
    parser.add_argument("--docs", action="store_true", help="With --short: write docs/performance.md all the same.")
    parser.add_argument("--scales", default=None, help=f"Comma-separated, of {', '.join(ALL_SCALES)} (default: all).")
    parser.add_argument("--databases", default=None, help="Comma-separated: sqlite, postgres (default: both).")
    parser.add_argument("--run-time", type=int, default=None, help="Seconds per scenario (default 30; 5 with --short).")
    parser.add_argument("--users", type=int, default=4, help="Concurrent locust users per scenario (default 4).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2: one per core here).")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="Comma-separated subset of the scenarios.")
    parser.add_argument("--concurrency-users", type=int, default=16)
    parser.add_argument("--concurrency-time", type=int, default=None, help="Seconds (default 10; 5 with --short).")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES", PG_DEFAULT),
                        help="PostgreSQL server URL without a database name (default %(default)s).")
    parser.add_argument("--keep", action="store_true", help="Keep the databases afterwards.")
    parser.add_argument("--no-docs", action="store_true", help="Do not write docs/performance.md.")
    parser.add_argument("--note", default="", help="A line to add under each section (e.g. 'taken under load').")
    args = parser.parse_args(argv)
    args.scales = (args.scales or ("classroom,five_years" if args.short else ",".join(ALL_SCALES))).split(",")
    args.databases = (args.databases or ("sqlite" if args.short else "sqlite,postgres")).split(",")
    args.run_time = args.run_time or (5 if args.short else 30)
    args.concurrency_time = args.concurrency_time or (5 if args.short else 10)
    # A five-second run is a check, not a measurement: it must not replace the figures of a full run.
    args.no_docs = args.no_docs or (args.short and not args.docs)
    args.scenarios = args.scenarios.split(",")
    for name, chosen, allowed in (("scale", args.scales, ALL_SCALES), ("database", args.databases, ["sqlite", "postgres"]),
                                  ("scenario", args.scenarios, SCENARIOS)):
        unknown = set(chosen) - set(allowed)
        if unknown:
            parser.error(f"unknown {name}: {', '.join(sorted(unknown))} (choose from {', '.join(allowed)})")
    return args


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd: list[str], env: dict, what: str, capture: bool = False) -> str:
    result = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise BenchError(f"{what} failed (exit {result.returncode}): {' '.join(cmd)}\n{result.stdout[-3000:]}"
                         f"\n{result.stderr[-3000:]}")
    return result.stdout


def database_url(args, scale: str, database: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{VAR / f'{scale}.sqlite3'}"
    return f"{args.postgres.rstrip('/')}/yorisoi_bench_{scale}"


def _sqlite_files(name: str) -> list[Path]:
    return [VAR / f"{name}.sqlite3{suffix}" for suffix in ("", "-wal", "-shm")]


def create_database(args, scale: str, database: str) -> None:
    """A fresh database for ``scale``, copied from the migrated template (``migrated_template``)."""
    drop_database(args, scale, database)
    if database == "sqlite":
        for source, target in zip(_sqlite_files(TEMPLATE), _sqlite_files(scale), strict=True):
            if source.exists():
                shutil.copyfile(source, target)
    else:
        _postgres(args, f"CREATE DATABASE yorisoi_bench_{scale} TEMPLATE yorisoi_bench_{TEMPLATE}")


def drop_database(args, scale: str, database: str) -> None:
    if database == "sqlite":
        for path in _sqlite_files(scale):
            path.unlink(missing_ok=True)
    else:
        _postgres(args, f"DROP DATABASE IF EXISTS yorisoi_bench_{scale}")


def migrated_template(args, database: str) -> None:
    """Migrate once per database kind; each scale starts from a copy (migrating takes longer than seeding)."""
    drop_database(args, TEMPLATE, database)
    if database == "postgres":
        _postgres(args, f"CREATE DATABASE yorisoi_bench_{TEMPLATE}")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT),
           "DATABASE_URL": database_url(args, TEMPLATE, database), "SECRET_KEY": "migrate-only"}
    print(f"== migrating a template database ({database})", flush=True)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env, "migrate")


def _postgres(args, statement: str) -> str:
    import psycopg

    with psycopg.connect(args.postgres.rstrip("/") + "/postgres", autocommit=True) as conn:
        cursor = conn.execute(statement)
        row = cursor.fetchone() if cursor.description else None
        return str(row[0]) if row else ""


def database_version(args, database: str, env: dict) -> str:
    if database == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=NORMAL)"
    return _postgres(args, "SELECT version()").split(" on ")[0]


def wait_ready(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise BenchError(f"gunicorn did not answer {url}/healthz within {seconds:.0f} s")


def locust(args, env: dict, host: str, scenario: str, users: int, run_time: int, prefix: Path) -> dict:
    cmd = [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--host", host,
           "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{run_time}s", "--stop-timeout", "5",
           "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"]
    started = time.monotonic()
    result = subprocess.run(cmd, env={**env, "BENCH_SCENARIO": scenario}, cwd=ROOT, capture_output=True, text=True,
                            timeout=run_time + 120)
    if result.returncode not in (0, 1):  # 1: some requests failed; they are counted and reported
        raise BenchError(f"locust {scenario} failed (exit {result.returncode}):\n{result.stderr[-3000:]}")
    stats = read_stats(Path(f"{prefix}_stats.csv"), scenario)
    stats["seconds"] = round(time.monotonic() - started, 1)
    failures = Path(f"{prefix}_failures.csv")
    if stats["errors"] and failures.exists():
        with failures.open() as source:
            stats["failure_messages"] = [f"{row['Name']}: {row['Error']} x{row['Occurrences']}"
                                         for row in csv.DictReader(source)][:5]
    if not stats["requests"]:
        stats["failure_messages"] = ["no request completed within the run time"]
    return stats


def read_stats(path: Path, name: str) -> dict:
    """p50/p95/p99 (ms), requests per second, requests and failures of one row of locust's stats CSV."""
    with path.open() as source:
        for row in csv.DictReader(source):
            if row["Name"] == name:
                return {"p50": float(row["50%"]), "p95": float(row["95%"]), "p99": float(row["99%"]),
                        "rps": float(row["Requests/s"]), "requests": int(row["Request Count"]),
                        "errors": int(row["Failure Count"])}
    return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "rps": 0.0, "requests": 0, "errors": 0}


def warm_up(host: str, manifest: dict, names: list[str], workers: int) -> None:
    """Before the figures: each GET view a few times at once, so every worker has loaded its templates,
    translations and URL patterns (a first request is not what a classroom sees all day)."""
    urls = []
    for name in names:
        role, path = scenarios.get_path(manifest, name)
        if scenarios.paths(manifest)[name][1] == "GET":
            urls += [(role, path)] * (2 * workers)

    def fetch(item):
        role, path = item
        request = urllib.request.Request(host + path)
        if role:
            request.add_header("Cookie", f"sessionid={manifest['sessions'][role]}")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
        except (urllib.error.URLError, OSError) as error:
            raise BenchError(f"warm-up of {path} failed: {error}") from error

    with concurrent.futures.ThreadPoolExecutor(max_workers=2 * workers) as pool:
        list(pool.map(fetch, urls))


def concurrency_check(args, env: dict, host: str, manifest_path: Path, prefix: Path) -> dict:
    """16 users tap the same children at once; then no duplicate row and no lost one."""
    run([PYTHON, "-m", "bench.db", "reset-today", str(manifest_path)], env, "reset today's attendance")
    tapped_path = Path(f"{prefix}_tapped.json")
    stats = locust(args, {**env, "BENCH_TAPPED": str(tapped_path)}, host, "concurrent_taps", args.concurrency_users,
                   args.concurrency_time, prefix)
    tapped = set(json.loads(tapped_path.read_text()))
    stored = json.loads(run([PYTHON, "-m", "bench.db", "check-today", str(manifest_path)], env, "check today"))
    students = stored["students"]
    return {**stats, "tapped": len(tapped), "rows": stored["rows"], "duplicates": stored["duplicates"],
            "lost": sorted(tapped - set(students)), "unexpected": sorted(set(students) - tapped),
            "ok": not stored["duplicates"] and len(students) == len(set(students)) == len(tapped)
            and set(students) == tapped}


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))
        memory = f"{mem_kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration):
        memory = "RAM unknown"
    return f"{model}, {os.cpu_count()} cores, {memory}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def bench_one(args, scale: str, database: str) -> dict:
    url = database_url(args, scale, database)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "DATABASE_URL": url,
           "SECRET_KEY": secrets.token_urlsafe(40), "DEBUG": "0", "PYTHONPATH": str(ROOT),
           "BENCH_MANIFEST": str(VAR / f"{scale}-{database}.json")}
    manifest_path = Path(env["BENCH_MANIFEST"])
    print(f"== {scale} on {database}: creating the database", flush=True)
    create_database(args, scale, database)
    try:
        started = time.monotonic()
        print(f"   seeding ({scale})", flush=True)
        seeded = json.loads(run([PYTHON, "-m", "bench.db", "seed", scale, str(manifest_path)], env, "seed"))
        print(f"   seeded in {seeded['seconds']} s: {seeded['counts']}", flush=True)
        prepared = time.monotonic() - started
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        log = (VAR / f"gunicorn-{scale}-{database}.log").open("w")
        gunicorn = subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--worker-class", "sync", "--timeout", "60", "--log-level", "warning"],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        results = {}
        try:
            wait_ready(host, gunicorn)
            warm_up(host, json.loads(manifest_path.read_text()), args.scenarios, args.workers)
            for scenario in args.scenarios:
                stats = locust(args, env, host, scenario, args.users, args.run_time, VAR / f"{scale}-{database}-{scenario}")
                results[scenario] = stats
                print(f"   {scenario:<19} p50 {stats['p50']:>6.0f}  p95 {stats['p95']:>6.0f}  p99 {stats['p99']:>6.0f} ms"
                      f"  {stats['rps']:>6.1f} req/s  {stats['errors']} errors", flush=True)
                if stats.get("failure_messages"):
                    print(f"   !! {scenario}: {stats['failure_messages']}", flush=True)
            concurrency = concurrency_check(args, env, host, manifest_path, VAR / f"{scale}-{database}-concurrent")
            print(f"   concurrency: {args.concurrency_users} users, {concurrency['requests']} taps, "
                  f"{concurrency['tapped']} children, {concurrency['rows']} rows, "
                  f"duplicates {concurrency['duplicates']}, lost {concurrency['lost']}: "
                  f"{'OK' if concurrency['ok'] else 'FAILED'}", flush=True)
        finally:
            try:
                os.killpg(gunicorn.pid, signal.SIGTERM)
                gunicorn.wait(timeout=20)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(gunicorn.pid, signal.SIGKILL)
                gunicorn.wait()
            log.close()
        run_result = {
            "scale": scale, "database": database, "version": database_version(args, database, env),
            "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"), "machine": machine(),
            "workers": args.workers, "users": args.users, "run_time": args.run_time,
            "seed_seconds": seeded["seconds"], "prepare_seconds": round(prepared, 1), "counts": seeded["counts"],
            "scenarios": results, "concurrency": {**concurrency, "users": args.concurrency_users,
                                                  "run_time": args.concurrency_time},
            "note": args.note,
        }
        (VAR / f"result-{scale}-{database}.json").write_text(json.dumps(run_result, indent=1, ensure_ascii=False))
        return run_result
    finally:
        if not args.keep:
            drop_database(args, scale, database)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    VAR.mkdir(parents=True, exist_ok=True)
    if not (BIN / "locust").exists() or not (BIN / "gunicorn").exists():
        print("locust and gunicorn must be installed in this Python's environment: pip install -e '.[dev]'",
              file=sys.stderr)
        return 2
    if "postgres" in args.databases:
        try:
            _postgres(args, "SELECT 1")
        except Exception as error:  # noqa: BLE001 - any failure to connect is reported the same way
            print(f"PostgreSQL is not reachable at {args.postgres}: {error}", file=sys.stderr)
            return 2
    started = time.monotonic()
    failed = False
    try:  # once: the static files are the same for every run
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
            {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT),
             "DATABASE_URL": f"sqlite:///{VAR / 'collectstatic.sqlite3'}", "SECRET_KEY": "collectstatic-only"},
            "collectstatic")
    except BenchError as error:
        print(f"!! {error}", file=sys.stderr)
        return 1
    for database in args.databases:
        try:
            migrated_template(args, database)
        except BenchError as error:
            print(f"!! {database}: {error}", file=sys.stderr, flush=True)
            failed = True
            continue
        for scale in args.scales:
            try:
                result = bench_one(args, scale, database)
            except (BenchError, subprocess.TimeoutExpired) as error:
                print(f"!! {scale} on {database}: {error}", file=sys.stderr, flush=True)
                failed = True
                continue
            if not args.no_docs:
                report.write(ROOT / "docs" / "performance.md", result, VAR)
        drop_database(args, TEMPLATE, database)
    print(f"Total: {time.monotonic() - started:.0f} s"
          + ("" if args.no_docs else f"; figures in {ROOT / 'docs' / 'performance.md'}"), flush=True)
    shutil.rmtree(VAR / "static", ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
