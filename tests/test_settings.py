"""Production settings pass Django's deployment checks; development defaults are safe."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "yorisoi.example.lg.jp",
    "DATABASE_URL": "postgres://yorisoi@127.0.0.1:5432/yorisoi",
}


def _manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "PYTEST_CURRENT_TEST", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(env_extra)
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
