"""Personas and strictness shared by every test."""

import logging
import os
import shutil
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from classroom import rules
from classroom.factories import DEMO_PASSWORD, SiteFactory, UserFactory
from tests.neighbours import neighbours  # noqa: F401  (the fixture: rows every test must leave alone)

CHROMIUM = "/usr/bin/chromium"
# Playwright's sync API keeps an event loop running in the test thread; the ORM calls the
# tests make beside it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Django sets the process time zone (``TZ``) to TIME_ZONE, Asia/Tokyo, when the settings load, so
# code that reads the process clock (``date.today()``, ``datetime.now()``, ``strftime`` on an
# unconverted value) would look right in tests and be wrong on a server running in UTC. The
# suite runs in a zone far from Japan instead: such code gets the wrong day and fails a test.
FOREIGN_TIME_ZONE = "America/Los_Angeles"


def _use_foreign_process_time_zone():
    if os.environ.get("TZ") != FOREIGN_TIME_ZONE:
        os.environ["TZ"] = FOREIGN_TIME_ZONE
        time.tzset()


_use_foreign_process_time_zone()  # Django's settings were loaded by the imports above


@pytest.fixture(autouse=True)
def _foreign_process_time_zone():
    """Again before each test: a ``settings`` override of TIME_ZONE resets ``TZ``."""
    _use_foreign_process_time_zone()


@pytest.fixture(autouse=True)
def _no_error_logs(request, caplog):
    """A test fails if anything logs at ERROR or above (a swallowed 500, a failed email...).

    A test that provokes an error on purpose says so with ``@pytest.mark.expected_error_log``.
    """
    yield
    if request.node.get_closest_marker("expected_error_log"):
        return
    errors = [r for r in caplog.get_records("call") if r.levelno >= logging.ERROR]
    assert not errors, "ERROR log records: " + "; ".join(r.getMessage() for r in errors)


@pytest.fixture(autouse=True)
def _fresh_content_types(request):
    """Transactional tests flush the database; some then restore its first contents, whose content
    types have other ids than the ones the flush recreated. Django's ContentType cache would keep
    the flushed ids, and a write that names a content type (a create form's token) would fail its
    foreign key. Clear the cache around such tests; the others share the cache as production does.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or "live_server" in request.fixturenames
    if transactional:
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
    yield
    if transactional:
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a scratch folder, never into the project's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def site(db):
    return SiteFactory(name="未来応援教室ぱるスタ")


@pytest.fixture
def other_site(db):
    return SiteFactory(name="よその教室")


@pytest.fixture
def staff(site):
    return UserFactory(username="staff-persona", last_name="佐藤", first_name="美咲", roles=[rules.STAFF], sites=[site])


@pytest.fixture
def coordinator(site):
    return UserFactory(username="coordinator-persona", last_name="高橋", first_name="健一",
                       roles=[rules.COORDINATOR], sites=[site])


@pytest.fixture
def staff_admin(site):
    """Staff who also administer the program's records (the full export, a child's own data)."""
    return UserFactory(username="staff-admin-persona", last_name="山本", first_name="直子",
                       roles=[rules.STAFF, rules.STAFF_ADMIN], sites=[site])


@pytest.fixture
def volunteer(db):
    return UserFactory(username="volunteer-persona", last_name="田中", first_name="由美子", roles=[rules.VOLUNTEER])


@pytest.fixture
def outsider(db):
    """Signed in, but holds no role."""
    return UserFactory(username="outsider-persona", last_name="山本", first_name="太郎")


@pytest.fixture
def password():
    return DEMO_PASSWORD


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(client, staff):
    return _client_for(client, staff)


@pytest.fixture
def coordinator_client(client, coordinator):
    return _client_for(client, coordinator)


@pytest.fixture
def volunteer_client(client, volunteer):
    return _client_for(client, volunteer)


@pytest.fixture
def outsider_client(client, outsider):
    return _client_for(client, outsider)


class QueryCounter:
    """Counts the queries of a block: ``with count_queries() as q: ...; q.count``.

    The suite's one query-count helper (not pytest-django's ``django_assert_num_queries``): a
    budget is an exact number (``assert q.count == 1, q.sql``), a ceiling, or the same count at 5
    and at 50 rows, which needs a count that is measured before anything is asserted.
    """

    def __init__(self):
        self.context = CaptureQueriesContext(connection)

    def __enter__(self):
        self.context.__enter__()
        return self

    def __exit__(self, *exc):
        self.context.__exit__(*exc)

    @property
    def count(self) -> int:
        return len(self.context.captured_queries)

    @property
    def sql(self) -> str:
        return "\n".join(q["sql"] for q in self.context.captured_queries)


@pytest.fixture
def count_queries():
    return QueryCounter


# --- Browser tests -----------------------------------------------------------------------
def pytest_collection_modifyitems(config, items):
    """Browser tests need the system Chromium. Without it they are skipped, except on CI."""
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    if os.environ.get("CI"):
        return  # let them fail loudly: CI must install Debian's chromium
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}; install Debian's 'chromium' package")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ja-JP", "timezone_id": "Asia/Tokyo"}


@pytest.fixture
def sign_in(live_server, password):
    """``sign_in(page, user)``: log a Playwright page in through the real login form."""

    def _sign_in(page, user):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    return _sign_in


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The SQLite test database is a file under var/ (config/settings_test.py): make its folder."""
    from django.conf import settings

    test_name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if test_name:
        Path(test_name).parent.mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """Stop the live server (and its database connection) before the test database is dropped."""
    return live_server


@pytest.fixture(scope="session", autouse=True)
def _close_stray_connections(django_db_setup, django_db_blocker):
    """Threads in the concurrency tests leave PostgreSQL sessions behind; end them before the
    test database is dropped, so that the drop does not fail."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
