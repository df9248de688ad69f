"""Settings, read from the environment with safe defaults for local work.

Every value that differs between a laptop and a cluster of web processes is an
environment variable: DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, REDIS_URL,
EMAIL_*, MEDIA_ROOT, ... (README.md lists them).
"""

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from jobs.schedule import beat_schedule

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() not in ("0", "false", "no", "off")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key() -> str:
    """A key kept in a git-ignored file, so that a single machine needs no setup.

    Several web processes behind a load balancer must share SECRET_KEY instead.
    """
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # A key made up here would differ between web processes and machines, and
        # sign-ins, reset links and form tokens would break at random: say so instead.
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = local_secret_key()
# The action log's hash chain is keyed with this (tickets/logchain.py). Keep it for
# ever: it may differ from SECRET_KEY so that SECRET_KEY can be changed on its own.
HELPDESK_LOG_KEY = os.environ.get("HELPDESK_LOG_KEY") or SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Django's admin, with the site's header and Turkish capitals (helpdesk_site/admin.py).
    "helpdesk_site.admin.HelpdeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI's files from a package, never from a CDN.
    "drf_spectacular_sidecar",
    "common",
    "outbox",
    "accounts",
    "twofactor",
    "categories",
    "tickets",
    "privacy",
    "monitoring",
    "api",
    "kb",
    "exports",
    "dashboard",
    "satisfaction",
    "canned",
    "sla",
    "mailin",
    "cases",
    "backups",
    "jobs",
    "webhooks",
]

MIDDLEWARE = [
    # Outermost, so that it times and sees every answer: request id, metrics, log line.
    "monitoring.middleware.RequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # With a read replica: a user who just wrote reads from the primary for a while.
    "common.replica.ReadYourWritesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The categories, kinds and custom fields kept per process, checked per request.
    "tickets.configuration.ConfigurationMiddleware",
    # Tells whether the session passed the second step: request.user.is_verified().
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    # The user it loaded, unwrapped: every read of request.user after is a plain one.
    "accounts.middleware.PlainUserMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    # Every page needs a signed-in user unless its view says otherwise.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A signed-in user who owes a code, or must set up two-factor sign-in, goes there first.
    "twofactor.middleware.SecondStepMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A signed-in page, a download or an export is never kept by a browser or a proxy.
    "common.middleware.NoStoreForSignedInMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "helpdesk_site.urls"
WSGI_APPLICATION = "helpdesk_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Django's cached loader, each constant {% translate %} kept by language.
            "loaders": [
                (
                    "common.template_loaders.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tickets.context_processors.wording",
                "cases.context_processors.records",
            ],
            "builtins": [
                "common.templatetags.dates",
                "common.templatetags.text",
                "common.templatetags.urls",
            ],
        },
    },
]

# PostgreSQL straight, or through a pooler: DATABASE_POOLER=pgbouncer (transaction
# mode) hands each transaction a server connection of its own, so nothing may outlive
# one: no server-side cursors (Django keeps one open across transactions outside an
# atomic block; `.iterator()` then reads the rows into memory) and, by default, no
# connection kept between requests (pgbouncer keeps them). docs/deploy.md says more.
DATABASE_POOLER = os.environ.get("DATABASE_POOLER", "").strip().lower()
if DATABASE_POOLER not in ("", "pgbouncer"):
    raise ImproperlyConfigured("DATABASE_POOLER must be empty or pgbouncer.")
# Connections are kept CONN_MAX_AGE seconds and checked before each request reuses one,
# so that a connection PostgreSQL dropped is replaced instead of failing the request.
CONN_MAX_AGE = int(os.environ.get("CONN_MAX_AGE", "0" if DATABASE_POOLER else "60"))


def database(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Django's, with a health check that asks the server only when it has spoken.
        config["ENGINE"] = "common.postgresql"
    if DATABASE_POOLER:
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
    return config


DATABASES = {
    "default": database(os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
# A read replica: the ticket list, search and export read from it, unless the user
# wrote within HELPDESK_REPLICA_LAG_SECONDS (common/replica.py, common/dbrouters.py).
# Everything else, every write and every migration uses the primary. Tests read it as
# the primary's test database.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = database(os.environ["DATABASE_REPLICA_URL"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["common.dbrouters.ReplicaRouter"]
HELPDESK_REPLICA_LAG_SECONDS = int(os.environ.get("HELPDESK_REPLICA_LAG_SECONDS", "5"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL: the role the site connects as in production, when migrations run as
# the tables' owner; `migrate` grants it its rights (common/dbroles.py, docs/deploy.md).
DATABASE_SITE_ROLE = os.environ.get("DATABASE_SITE_ROLE", "")

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "tickets:list"
LOGOUT_REDIRECT_URL = "login"
# The lockout check first; then sign-in by username or e-mail address.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",
    "accounts.backends.UsernameOrEmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Password reset links work for this many seconds (one day).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", "86400"))
# A session ends on sign-out, after SESSION_IDLE_TIMEOUT seconds without a request,
# or with the browser; "keep me signed in" keeps it for SESSION_COOKIE_AGE seconds.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", "3600"))
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(14 * 24 * 3600)))
# Behind this many reverse proxies, the visitor's address is read from X-Forwarded-For.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
# django-axes (accounts/lockout.py): after AXES_FAILURE_LIMIT failed sign-ins a username is
# locked at that address, and after HELPDESK_ADDRESS_FAILURE_LIMIT failures with any names
# the address is, each for AXES_COOLOFF_MINUTES after the last failure. Failures are kept
# in the database, which every web process shares.
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
HELPDESK_ADDRESS_FAILURE_LIMIT = int(os.environ.get("HELPDESK_ADDRESS_FAILURE_LIMIT", "50"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_USERNAME_CALLABLE = "accounts.lockout.attempted_username"
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_address"
# Axes' log lines name the address of a failed sign-in, never the name typed (often an
# e-mail address) nor the browser.
AXES_CLIENT_STR_CALLABLE = "accounts.lockout.client_str"
# Axes keeps the posted fields of a failed attempt; never a code someone typed.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
# Self-registration and password reset requests allowed per visitor address an hour.
HELPDESK_REGISTRATION_LIMIT = int(os.environ.get("HELPDESK_REGISTRATION_LIMIT", "10"))
HELPDESK_PASSWORD_RESET_LIMIT = int(os.environ.get("HELPDESK_PASSWORD_RESET_LIMIT", "5"))

# Two-factor sign-in (twofactor/): the groups who must use it, any of members, handlers,
# supervisors and admins. Anyone may set it up; requiring it is the operator's policy
# (docs/deploy.md asks for handlers,supervisors,admins), so that a new site and its
# demo users sign in with a password until the operator decides.
HELPDESK_2FA_REQUIRED_FOR = env_list("HELPDESK_2FA_REQUIRED_FOR", "")
# The name authenticator apps show beside the username.
OTP_TOTP_ISSUER = os.environ.get("HELPDESK_2FA_ISSUER", "Helpdesk")
# Wrong codes count as failed sign-ins in django-axes, the one lockout; django-otp's own
# back-off per device would also refuse a right code typed soon after a wrong one.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# The admin lists devices without their secrets.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# The cache holds the abuse counters (accounts/throttle.py), which every web process
# must share: Redis when given, else a table of the database, made by `migrate`
# (common 0001). Never a process's own memory: with three processes, a limit of 5 would
# let 15 through. A Redis that is down is a cache miss, not an error (common/cache.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "common.cache.FailSoftRedisCache", "LOCATION": REDIS_URL}}
    # Sessions are read from Redis and written through to the database: while Redis is
    # down users stay signed in and can sign in (read from the database), at the price
    # of a database write when a session changes (sign-in, the idle clock once a minute)
    # and `clearsessions` once a day. Sessions in Redis alone would sign everyone out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "helpdesk_cache",
            # Past this the table drops a third of its rows, counters included.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

LANGUAGE_CODE = "tr"
LANGUAGES = [
    ("tr", _("Turkish")),
    ("en", _("English")),
    ("ru", _("Russian")),
    ("fa", _("Persian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Each language's own date formats (Turkish 18.02.2019 11:25); Persian dates are shown
# in the Solar Hijri calendar by common/calendars.py.
FORMAT_MODULE_PATH = ["common.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Istanbul")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production (STATIC_MANIFEST=1) serves what `collectstatic` wrote to STATIC_ROOT under
# hashed, compressed names, which browsers and nginx may keep for a year. Without it,
# WhiteNoise finds the files where they lie, so that a small site needs no build step
# (a page naming a file collectstatic never saw would otherwise fail).
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", False)
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "common.staticstorage.ManifestStorage"
        if STATIC_MANIFEST
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}


# Attachments go to an S3-compatible object store (AWS S3, MinIO, Ceph ...) when a bucket
# is named, else to MEDIA_ROOT.
def object_store(bucket: str, *, location: str = "", **connection) -> dict:
    """The default storage on a bucket (django-storages' S3 backend).

    The objects stay private: no ACL is sent, so they are the bucket owner's alone (an
    ACL header is refused by AWS buckets with ACLs off, their default); every request is
    signed (v4) and a name already taken is never overwritten. Connection values left
    empty fall back to boto3's own (an instance's role, ~/.aws, the region's endpoint).
    """
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            **{name: value for name, value in connection.items() if value},
            # A folder in the bucket, for a bucket shared with others.
            "location": location.strip("/"),
            "default_acl": None,
            "querystring_auth": True,
            "signature_version": "s3v4",
            "file_overwrite": False,
            # A download through the site is read into memory up to this size, then a
            # temporary file: a 50 MB document does not sit in a web process's memory.
            "max_memory_size": 5 * 1024 * 1024,
        },
    }


AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = object_store(
        AWS_STORAGE_BUCKET_NAME,
        location=os.environ.get("AWS_LOCATION", ""),
        endpoint_url=os.environ.get("AWS_S3_ENDPOINT_URL"),
        access_key=os.environ.get("AWS_ACCESS_KEY_ID"),
        secret_key=os.environ.get("AWS_SECRET_ACCESS_KEY"),
        region_name=os.environ.get("AWS_S3_REGION_NAME"),
        addressing_style=os.environ.get("AWS_S3_ADDRESSING_STYLE"),  # "path": some MinIO, Ceph
    )
# 0: documents are streamed through the site. N > 0, with an object store: after the
# visibility check, a redirect to a link the store honours for N seconds, so that big
# files do not hold a web process. A folder on disk is always streamed.
HELPDESK_ATTACHMENT_URL_SECONDS = int(os.environ.get("HELPDESK_ATTACHMENT_URL_SECONDS", "0"))

# Attachments: a size limit per file; a total for the documents of one request, checked
# on the Content-Length before any of the body is read (and again while it is read); and
# a number of documents per request, a form error. Django's own count of files stays
# above that number as a hard stop (a 400 page), and the fields beside the files may
# hold 2.5 MB (Django's default, said here).
HELPDESK_MAX_UPLOAD_SIZE = int(os.environ.get("HELPDESK_MAX_UPLOAD_SIZE", 50 * 1024 * 1024))
HELPDESK_MAX_REQUEST_SIZE = int(os.environ.get("HELPDESK_MAX_REQUEST_SIZE", 100 * 1024 * 1024))
HELPDESK_MAX_FILES_PER_REQUEST = int(os.environ.get("HELPDESK_MAX_FILES_PER_REQUEST", "10"))
DATA_UPLOAD_MAX_NUMBER_FILES = HELPDESK_MAX_FILES_PER_REQUEST + 10
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    # First: it refuses a request over the total before the others store anything.
    "tickets.uploads.RequestSizeLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# A member may reopen a resolved ticket for this many days.
# The ERP's page of an order or return, `{number}` replaced by its number (the customer
# portal's "filed about" link); empty: no link. Orders themselves stay in the ERP.
HELPDESK_ERP_ORDER_URL = os.environ.get("HELPDESK_ERP_ORDER_URL", "")
HELPDESK_REOPEN_DAYS = int(os.environ.get("HELPDESK_REOPEN_DAYS", "3"))
# A service level due closer than this is "due soon" (the list's sla=due_soon) and
# the category's team is warned (sla/escalation.py).
HELPDESK_SLA_DUE_SOON_MINUTES = 120
HELPDESK_PAGE_SIZE = 25
# Closed tickets older than this many days lose their personal text (`anonymise_closed`);
# 0 keeps them for ever.
HELPDESK_RETENTION_DAYS = int(os.environ.get("HELPDESK_RETENTION_DAYS", "0"))
# The list counts matching tickets up to this number, then says "more than".
HELPDESK_COUNT_LIMIT = 1000
# An export of more matching tickets is not streamed, or the web server's timeout would
# cut it off (a row takes ~0.18 ms: 100,000 stream in ~20 s, inside a 60 s worker timeout);
# it is offered to the worker instead (exports/), whose files are kept this many days.
HELPDESK_EXPORT_MAX_ROWS = int(os.environ.get("HELPDESK_EXPORT_MAX_ROWS", "100000"))
HELPDESK_EXPORT_KEEP_DAYS = int(os.environ.get("HELPDESK_EXPORT_KEEP_DAYS", "7"))

# The REST API (api/): personal tokens or the site's session (with CSRF); JSON only,
# errors included. Requests per token (else per user, else per address) are counted in
# the shared cache, so that every web process counts the same ones.
HELPDESK_API_RATE = os.environ.get("HELPDESK_API_RATE", "120/minute")
# Tickets one page of the API's list may hold (`?page_size=`, default HELPDESK_PAGE_SIZE).
HELPDESK_API_MAX_PAGE_SIZE = int(os.environ.get("HELPDESK_API_MAX_PAGE_SIZE", "100"))
# Days a personal token lasts when its creator names none.
HELPDESK_API_TOKEN_DAYS = int(os.environ.get("HELPDESK_API_TOKEN_DAYS", "90"))

# Webhooks (webhooks/): signed POSTs to the URLs supervisors register. Never to a
# loopback, private or link-local address unless allowed (a closed network's receiver;
# the tests' loopback server): else a hook could reach the server's own network.
HELPDESK_WEBHOOK_ALLOW_PRIVATE = env_bool("HELPDESK_WEBHOOK_ALLOW_PRIVATE", False)
# Failed attempts in a row after which a hook is switched off until re-enabled.
HELPDESK_WEBHOOK_FAILURE_LIMIT = int(os.environ.get("HELPDESK_WEBHOOK_FAILURE_LIMIT", "10"))
# Attempts of one delivery (with back-off: 1, 2, 4 ... minutes apart) before it is failed.
HELPDESK_WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("HELPDESK_WEBHOOK_MAX_ATTEMPTS", "8"))
# Seconds a receiver has to connect and answer.
HELPDESK_WEBHOOK_TIMEOUT = float(os.environ.get("HELPDESK_WEBHOOK_TIMEOUT", "5"))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.TokenScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenThrottle"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.LimitedJSONParser", "api.parsers.DocumentsParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "NUM_PROXIES": PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Helpdesk API",
    "DESCRIPTION": "Tickets, their conversation and action log, as the caller may see them.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.inline_nullable_refs",
    ],
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds a mail server may keep us waiting. Mail leaves after the response (or from
# send_mail_queue), so a slow server never holds a page, but it holds a web process.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "5"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "helpdesk@localhost")
# Links in e-mail point here.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# A sender holds a mail this many seconds (a lease written before it talks to the mail
# server): a sender killed mid-send leaves the mail to the next one once the lease ends.
# Longer than one mail's SMTP exchange can take (a few EMAIL_TIMEOUTs); a sender leases
# up to ten at once and gives back those whose lease is half gone before their turn.
HELPDESK_MAIL_LEASE_SECONDS = int(os.environ.get("HELPDESK_MAIL_LEASE_SECONDS", "300"))

# Mail in (mailin/): `receive_mail` from a mail server's pipe, `fetch_mail` from the
# IMAP mailboxes of HELPDESK_MAILBOXES, a JSON list of {"name", "host", "port",
# "security" (tls, starttls, none), "user", "password" or "token_command" (prints an
# OAuth2 token), "folder", "done_folder", "category"}; docs/deploy.md shows one.
HELPDESK_MAILBOXES = json.loads(os.environ.get("HELPDESK_MAILBOXES") or "[]")
# The category new mail files into where the mailbox names none (name or id).
HELPDESK_MAIL_CATEGORY = os.environ.get("HELPDESK_MAIL_CATEGORY", "")
# A larger message is refused unread; one with more MIME parts too.
HELPDESK_MAIL_MAX_SIZE = int(os.environ.get("HELPDESK_MAIL_MAX_SIZE", 40 * 1024 * 1024))
HELPDESK_MAIL_MAX_PARTS = int(os.environ.get("HELPDESK_MAIL_MAX_PARTS", "100"))
# Tickets (and held messages) one sender may start by mail in an hour.
HELPDESK_MAIL_HOURLY_LIMIT = int(os.environ.get("HELPDESK_MAIL_HOURLY_LIMIT", "10"))
# A handler's mail to this address (in To or Cc) goes in as an internal note.
HELPDESK_MAIL_NOTES_ADDRESS = os.environ.get("HELPDESK_MAIL_NOTES_ADDRESS", "")

# Celery (helpdesk_site/celery.py): with a broker (redis://... or amqp://...), mail is sent
# and the periodic jobs run by `celery -A helpdesk_site worker`, scheduled by one
# `celery -A helpdesk_site beat`. Without one, no worker: mail leaves after the response
# and cron runs `run_jobs` (docs/deploy.md).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
# A task's message is acknowledged when the task is done, not when it starts, and taken
# back if its process dies, so a worker killed mid-task leaves it to another; each
# process reserves one message at a time, so a killed one strands no others. The tasks
# are safe to run twice (the outbox's leases, the jobs' locks).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# With the broker's connection lost, the running tasks' messages are delivered again.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# A stuck task (a mail server that trickles) is killed after this many seconds; what it
# left is done by the next run: each mail, ticket and anonymisation commits on its own.
# (No soft limit: its exception, raised anywhere, would pass for one mail's failure.)
CELERY_TASK_TIME_LIMIT = 660
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# No result backend: nobody waits for a task. What a task did is in the database (the
# outbox's rows, the tickets), which is the source of truth.
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# The periodic jobs' table (jobs/table.py); `run_jobs` reads the same for cron.
CELERY_BEAT_SCHEDULE = beat_schedule()

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Browsers must not guess types, nor frame the site; cookies stay off scripts.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Behind HTTPS (a proxy that sets X-Forwarded-Proto): cookies over HTTPS only, plain
# HTTP redirected, and browsers told to come back over HTTPS only for a year.
HTTPS = env_bool("HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe the health check over plain HTTP, behind the proxy.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# A closed ticket's satisfaction survey (satisfaction/): how long its link is valid, and
# how long after the first answer the requester may change it.
HELPDESK_SURVEY_DAYS = 14
HELPDESK_SURVEY_CHANGE_HOURS = 24
# How long the dashboard's figures are kept in the cache for viewers of the same scope.
HELPDESK_DASHBOARD_CACHE_SECONDS = 300
# How long the list's views' counts and its page count are kept for a user
# (tickets/worklists.py): their own changes show at once, other people's within this.
# Only with Redis: the database cache would cost the list more queries than the counts do.
HELPDESK_VIEW_COUNTS_SECONDS = int(
    os.environ.get("HELPDESK_VIEW_COUNTS_SECONDS", "10" if REDIS_URL else "0")
)

# Only the site's own scripts, styles, fonts and images run (django-csp): no inline
# script or style, no plug-ins, no framing, forms post back here only. Bootstrap draws
# some controls with data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Health, metrics and logs (monitoring/, docs/deploy.md). /metrics answers only with
# HELPDESK_METRICS on, and only to the addresses and networks allowed (the visitor's
# address as PROXY_COUNT reads it); anyone else gets a 404.
HELPDESK_METRICS = env_bool("HELPDESK_METRICS", False)
HELPDESK_METRICS_ALLOWED = env_list("HELPDESK_METRICS_ALLOWED", "127.0.0.1,::1")

# LOG_FORMAT=json: every line one JSON object, and one line a request (its view, status,
# time, user and ticket ids, request id; never a path or query string). text: as ever.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "").strip().lower() or "text"
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "monitoring.logformat.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
if LOG_FORMAT == "json":
    LOGGING["handlers"]["console"]["formatter"] = "json"
    LOGGING["loggers"] = {
        "monitoring.requests": {"level": "INFO"},
        # Django's own lines go through the JSON handler alone; runserver's, which show
        # query strings, give way to the request lines.
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": [], "propagate": False},
    }
