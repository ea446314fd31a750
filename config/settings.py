"""Yorisoi settings: one file, driven by environment variables.

DATABASE_URL   default: SQLite under var/ (WAL); PostgreSQL in production
SECRET_KEY     required when DEBUG is off
DEBUG          off unless set to 1/true (``make run`` sets it)
ALLOWED_HOSTS  comma separated

The test suite runs with config/settings_test.py, which imports this module and overrides what
the suite needs. Importing this module creates no file or directory: var/ is in the repository,
collectstatic creates STATIC_ROOT, and file storage creates MEDIA_ROOT when it saves a file.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

# Without SECRET_KEY only development commands work: config/wsgi.py refuses to serve with
# DEBUG off, and `check --deploy` flags the development key.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
SECRET_KEY_MISSING = not SECRET_KEY
if SECRET_KEY_MISSING:
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "config.apps.YorisoiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tables2",
    "django_filters",
    "simple_history",  # the change history of every record holding personal data (classroom/history.py)
    "ninja",  # installed so the API docs use its bundled Swagger UI, not a CDN
    "classroom",
    "casework",
    "volunteers",
    "activities",
    "reporting",
    "dataio",
    "oversight",
    "django_otp",  # two-factor sign-in: TOTP authenticators and recovery codes
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",  # sign-in throttling: failed attempts per username and address, last in the list
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # who and which screen, for the change history
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): a second factor shown this session
    "django.contrib.messages.middleware.MessageMiddleware",
    "lib.hostile.HostileInputMiddleware",  # NUL bytes, overlong values, huge integers, DB errors
    "lib.middleware.SessionTimeoutMiddleware",
    "classroom.middleware.SignedInSessionMiddleware",  # where the user is signed in, touched once a minute
    "classroom.two_factor.TwoFactorMiddleware",  # a session owing its second factor reaches only that page
    "lib.middleware.PrivateResponseMiddleware",  # Permissions-Policy; Cache-Control: no-store
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (CONTENT_SECURITY_POLICY below)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into the lockout page
]

# Content-Security-Policy (django-csp): everything from our own origin, and nothing inline: no inline
# script, no style attribute or <style> element, no eval (htmx is configured for it in base.html),
# no plugin, no framing, forms post only to us. The Django admin (superusers only) and the API's
# Swagger page are pages of their libraries and get a looser policy in their own URLconf entries.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Two-factor sign-in (django-otp): required for staff, staff administrators, coordinators and superusers
# wherever DEBUG is off, unless TWO_FACTOR_REQUIRED=0 says otherwise; volunteers may choose it.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "Yorisoi"

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from
# one address, that pair is locked out for AXES_COOLOFF_TIME (no password is checked meanwhile, so
# a locked-out guesser costs no hashing); a successful sign-in clears the count. Behind a reverse
# proxy, set AXES_IPWARE_PROXY_COUNT so that the client's address, not the proxy's, is counted.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.signin.locked_out"
AXES_VERBOSE = False
if "AXES_IPWARE_PROXY_COUNT" in os.environ:
    AXES_IPWARE_PROXY_COUNT = int(os.environ["AXES_IPWARE_PROXY_COUNT"])

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "classroom.context_processors.roles",
                "classroom.context_processors.session_warning",
            ],
            "builtins": ["template_partials.templatetags.partials", "classroom.templatetags.yorisoi"],
        },
    }
]

# --- Database -----------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'yorisoi.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait (busy timeout)
        # instead of failing with "database is locked" halfway through a transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth and sessions ---------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link works for one hour, once
LOGIN_REDIRECT_URL = "classroom:home"
LOGOUT_REDIRECT_URL = "login"

SESSION_IDLE_TIMEOUT = 30 * 60  # seconds without a request before the session ends
SESSION_ABSOLUTE_LIFETIME = 12 * 60 * 60  # seconds after login, whatever the activity
SESSION_WARNING_LEAD = 2 * 60  # seconds before either end: the page warns, and offers to stay signed in
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie

# --- Internationalisation ------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# --- Retention ---------------------------------------------------------------------
# ``apply_retention`` anonymises a child this many fiscal years after the one they left in,
# counted from the next April (municipal records: 1, 5, 10 or 30 years); see docs/data.md.
RETENTION_FISCAL_YEARS = int(os.environ.get("RETENTION_FISCAL_YEARS", "5"))
# Years the access log keeps an entry (who read or changed which child's record), applied by apply_retention.
ACCESS_LOG_RETENTION_YEARS = int(os.environ.get("ACCESS_LOG_RETENTION_YEARS", "3"))

# --- Mail --------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))  # a slow server fails the try; the outbox retries it
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "yorisoi@localhost")

# --- Security (production) ---------------------------------------------------------
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/yorisoi.html"
