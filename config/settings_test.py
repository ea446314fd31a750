"""Settings for the test suite (pyproject.toml points pytest here): production settings plus what
the suite needs. The suite runs with DEBUG off, as production does, but over plain http on
localhost, with a cheap password hasher and a test database of its own.
"""

import os

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, DATABASES, STORAGES

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file (not memory) so threads share it as production does; one per process so that
    # two test runs side by side do not collide. The test runner deletes it afterwards.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the live server's threads must not hold the test database

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# No collectstatic before the suite: plain static storage (no manifest), and whitenoise looks files
# up per request, as under the development server, so STATIC_ROOT need not exist.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_AUTOREFRESH = True

# Plain http on localhost: Django's defaults instead of the production HTTPS settings.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SECURE_PROXY_SSL_HEADER = None

# The suite signs in without a second factor; the two-factor tests turn the requirement on themselves.
TWO_FACTOR_REQUIRED = False
