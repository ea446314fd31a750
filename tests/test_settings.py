"""Production settings pass Django's deployment checks; development defaults are safe; the test
settings live apart from them."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "yorisoi.example.lg.jp",
    "DATABASE_URL": "postgres://yorisoi@127.0.0.1:5432/yorisoi",
}


def _manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "PYTEST_CURRENT_TEST", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env_extra})
    return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
                          capture_output=True, text=True)


def test_check_deploy_reports_no_issue_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=env)
    assert result.returncode != 0


def test_wsgi_refuses_to_serve_without_a_secret_key_when_debug_is_off():
    env = {**PRODUCTION_ENV, "SECRET_KEY": "", "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run([sys.executable, "-c", "import config.wsgi"], cwd=settings.BASE_DIR,
                            env={**{k: v for k, v in os.environ.items() if k != "SECRET_KEY"}, **env},
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_default_database_is_sqlite_in_wal_mode_with_immediate_transactions():
    result = _manage("shell", "--no-imports", "-c", (
        "from django.db import connection as c\n"
        "cur = c.cursor(); cur.execute('PRAGMA journal_mode'); print(cur.fetchone()[0]);"
        "cur.execute('PRAGMA synchronous'); print(cur.fetchone()[0]);"
        "print(c.settings_dict['OPTIONS']['transaction_mode'], c.settings_dict['OPTIONS']['timeout'])"
    ), env_extra={"DEBUG": "1", "DATABASE_URL": ""})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "1", "IMMEDIATE", "20"]


def test_language_time_zone_and_debug_defaults():
    assert settings.LANGUAGE_CODE == "ja"
    assert [code for code, _ in settings.LANGUAGES] == ["ja", "en"]
    assert settings.TIME_ZONE == "Asia/Tokyo"
    assert settings.USE_TZ
    assert not settings.DEBUG
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_ABSOLUTE_LIFETIME == 12 * 60 * 60


# --- Production settings apart from test settings ------------------------------------------
_PRINT_SETTINGS = (
    "import json\n"
    "{prelude}\n"
    "import config.settings as s\n"
    "print(json.dumps({{k: repr(v) for k, v in vars(s).items() if k.isupper() and k != 'LANGUAGES'}}, sort_keys=True))\n"
)


def _settings_in_subprocess(cwd, prelude="", **env_extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE",
                                                           "PYTEST_CURRENT_TEST", "PYTHONPATH", "MEDIA_ROOT"}}
    env.update(env_extra)
    result = subprocess.run([sys.executable, "-c", _PRINT_SETTINGS.format(prelude=prelude)], cwd=cwd, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _tree(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("debug", ["0", "1"])
def test_importing_the_settings_creates_no_directory(tmp_path, debug):
    """A copy of the project without var/: importing the settings leaves the tree as it was."""
    shutil.copytree(Path(settings.BASE_DIR) / "config", tmp_path / "config",
                    ignore=shutil.ignore_patterns("__pycache__"))
    before = _tree(tmp_path)
    loaded = _settings_in_subprocess(tmp_path, DEBUG=debug, PYTHONDONTWRITEBYTECODE="1")
    assert loaded["STATIC_ROOT"] == repr(tmp_path / "var" / "static")
    assert _tree(tmp_path) == before
    assert not (tmp_path / "var").exists()


def test_the_production_settings_do_not_know_about_pytest():
    """Loaded with or without pytest imported, the production settings are the same."""
    plain = _settings_in_subprocess(settings.BASE_DIR)
    under_pytest = _settings_in_subprocess(settings.BASE_DIR, prelude="import pytest")
    assert under_pytest == plain
    assert "TESTING" not in plain
    assert "MD5PasswordHasher" not in plain.get("PASSWORD_HASHERS", "")
    assert plain["SESSION_COOKIE_SECURE"] == "True"


def test_the_suite_runs_on_the_test_settings():
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "config.settings_test"
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert not settings.SESSION_COOKIE_SECURE and not settings.SECURE_SSL_REDIRECT


@pytest.mark.parametrize("clock", ["17:00:00", "19:00:05", "00:00:00"])
def test_no_field_default_trips_the_fixed_default_check_at_any_time_of_day(monkeypatch, clock):
    """Django warns (fields.W161) about a fixed date or time default whenever the clock is within 10 seconds
    of it, which made `check --deploy --fail-level WARNING` (CI's deploy step and the test above) fail once a
    day at 17:00:00 UTC for the class day's default hours. Defaults of times and dates are functions."""
    import datetime as dt

    from django.core import checks
    from django.db.models import fields

    hour, minute, second = map(int, clock.split(":"))
    monkeypatch.setattr(fields, "_get_naive_now", lambda: dt.datetime(2026, 12, 1, hour, minute, second))
    assert [m for m in checks.run_checks() if m.id == "fields.W161"] == []
