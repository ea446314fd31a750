"""Settings for the benchmark server: production settings (config.settings, DEBUG off, whitenoise's
compressed manifest storage) with only what a plain-HTTP run on 127.0.0.1 needs changed, and the
bench's bare views added to the URLs.

Production sits behind an HTTPS proxy; here gunicorn answers plain HTTP on the loopback, so the
HTTPS redirect and the secure-only cookies are off (locust would otherwise never send them back).
"""

import os

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STATIC_ROOT = BASE_DIR / "var" / "bench" / "static"
# Each request's log lines would cost more than some of the views measured.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
