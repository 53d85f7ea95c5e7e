"""Django settings, read from the environment (twelve-factor).

Defaults are the embedded set-up used by `make run`: SQLite and the local lake under `.data/` at the
repository root. Production sets DATABASE_URL (PostgreSQL), LANGSON_SECRET_KEY, LANGSON_ALLOWED_HOSTS and
friends; see docs/operations.md.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("LANGSON_DATA_DIR", REPO_DIR / ".data")).resolve()
LAKE_DIR = Path(os.environ.get("LANGSON_LAKE_DIR", DATA_DIR / "lake")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

# Production (LANGSON_PRODUCTION=1, docs/decisions/0014-hardening.md): behind the province's TLS reverse
# proxy; secrets only from the environment, HTTPS only (HSTS, secure cookies, redirect), DEBUG refused.
PRODUCTION = env_bool("LANGSON_PRODUCTION")


def _secret_key() -> str:
    """The key comes from the environment; the embedded set-up keeps a generated one in the data dir.

    Never committed: a key in the repository would let anyone forge sessions. In production a key file
    left on a disk (or in a backup of the data dir) would be a secret outside the environment: refused.
    """
    key = os.environ.get("LANGSON_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "Thiếu LANGSON_SECRET_KEY: ở chế độ vận hành (LANGSON_PRODUCTION=1) khóa bí mật chỉ được lấy từ "
            "biến môi trường. / LANGSON_SECRET_KEY is missing: in production (LANGSON_PRODUCTION=1) the "
            "secret key comes from the environment only."
        )
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# Earlier keys, still accepted while sessions and two-factor secrets move to the new one (key rotation).
SECRET_KEY_FALLBACKS = env_list("LANGSON_SECRET_KEY_FALLBACKS", "")
DEBUG = env_bool("LANGSON_DEBUG")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "LANGSON_DEBUG không được bật ở chế độ vận hành: trang lỗi sẽ lộ cấu hình và dữ liệu. / "
        "LANGSON_DEBUG must be off in production: its error pages disclose settings and data."
    )
ALLOWED_HOSTS = env_list("LANGSON_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],0.0.0.0,testserver")
CSRF_TRUSTED_ORIGINS = env_list("LANGSON_CSRF_TRUSTED_ORIGINS", "http://localhost:8000,http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "langson.core",
    "langson.ioc",
    "langson.services",
    "langson.border",
    "langson.city",
    "langson.ops",
]

MIDDLEWARE = [
    "langson.core.middleware.metrics_middleware",
    "langson.core.security_headers.security_headers_middleware",
    "langson.core.middleware.reject_nul_middleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "langson.core.middleware.language_middleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "langson.core.middleware.audit_context_middleware",
    "langson.core.session_expiry.session_expiry_middleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "langson.urls"
ASGI_APPLICATION = "langson.asgi.application"
WSGI_APPLICATION = "langson.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "langson.core.context_processors.navigation",
            ],
        },
    },
]

# SQLite by default; PostgreSQL when DATABASE_URL says so.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'langson.sqlite3'}"),
        conn_max_age=int(os.environ.get("LANGSON_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and os.environ.get(
    "LANGSON_DB_POOL", "1"
) not in ("0", ""):
    # Under ASGI every request runs in a fresh thread and would open its own connection (a backend fork
    # per request); a pool per process reuses them: 62 → 141 submissions/s over HTTP (decision 0010).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "pool": {"min_size": 2, "max_size": int(os.environ.get("LANGSON_DB_POOL_SIZE", "8")), "timeout": 10}
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes every atomic block take the write lock at BEGIN, so the audit hash chain is
    # read and extended by one writer at a time (web and worker share the file). WAL lets readers go on.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "langson.core.permissions.RoleBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "langson.core.password_validation.LettersAndDigitsValidator"},
    {"NAME": "langson.core.password_validation.NotContainingUsernameValidator"},
    {"NAME": "langson.core.password_validation.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Brute-force throttling: 5 failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("LANGSON_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LANGSON_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Absolute age from sign-in (one working day) and idle limits, enforced by core/session_expiry.py.
SESSION_COOKIE_AGE = int(float(os.environ.get("LANGSON_SESSION_HOURS", "8")) * 3600)
SESSION_IDLE_SECONDS = int(float(os.environ.get("LANGSON_SESSION_IDLE_MINUTES", "30")) * 60)  # officials
SESSION_IDLE_SECONDS_PUBLIC = int(float(os.environ.get("LANGSON_PUBLIC_SESSION_IDLE_MINUTES", "120")) * 60)
SESSION_COOKIE_SECURE = env_bool("LANGSON_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # record codes in our URLs never leave for another site
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("LANGSON_BEHIND_PROXY", PRODUCTION) else None
)
SECURE_SSL_REDIRECT = env_bool("LANGSON_SSL_REDIRECT", PRODUCTION)
# The load balancer's and Prometheus' probes may speak plain HTTP to a web process directly.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_HSTS_SECONDS = int(os.environ.get("LANGSON_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading binds every subdomain of the registered domain for browsers everywhere, hard to undo: the
# province's DNS owners decide (LANGSON_HSTS_PRELOAD=1); until then the deploy check's reminder is silenced.
SECURE_HSTS_PRELOAD = env_bool("LANGSON_HSTS_PRELOAD")
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
CSP_REPORT_URI = os.environ.get("LANGSON_CSP_REPORT_URI", "")  # optional collector of CSP violations

# Rate limits ("hits/seconds", "off"), counted in the database across web processes (core/ratelimit.py).
# The embedded set-up (one person's machine, and the test suite's API fuzzing from one address and one key)
# allows ten times the API traffic of production, where many clients share the service.
RATE_LIMITS = {
    "login": os.environ.get("LANGSON_RATELIMIT_LOGIN", "30/900"),  # failed sign-ins per address
    # per API key or signed-in person
    "api": os.environ.get("LANGSON_RATELIMIT_API", "1200/60" if PRODUCTION else "12000/60"),
    # per address: public endpoints and refused credentials
    "api_anonymous": os.environ.get("LANGSON_RATELIMIT_API_ANONYMOUS", "300/60" if PRODUCTION else "3000/60"),
}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["langson.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the apps in development and tests

TASKS = {
    "default": {
        "BACKEND": os.environ.get("LANGSON_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "scheduled"],
    }
}

# Optional production services; unset means the embedded defaults.
MQTT_URL = os.environ.get("LANGSON_MQTT_URL", "")
LAKE_URL = os.environ.get("LANGSON_LAKE_URL", "")  # s3://bucket/prefix for object storage
METRICS_TOKEN = os.environ.get("LANGSON_METRICS_TOKEN", "")
WORKER_STALE_SECONDS = int(os.environ.get("LANGSON_WORKER_STALE_SECONDS", "120"))

# Outgoing e-mail (IOC alert notifications) through an SMTP relay; the default is a relay on this host.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("LANGSON_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("LANGSON_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("LANGSON_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("LANGSON_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("LANGSON_EMAIL_USE_TLS")  # STARTTLS (port 587)
EMAIL_USE_SSL = env_bool("LANGSON_EMAIL_USE_SSL")  # implicit TLS (port 465); not together with the above
EMAIL_TIMEOUT = int(os.environ.get("LANGSON_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("LANGSON_DEFAULT_FROM_EMAIL", "ioc@langson.gov.vn")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Public address of the site, for links in e-mails (e.g. https://ioc.langson.gov.vn); empty gives bare paths.
SITE_URL = os.environ.get("LANGSON_SITE_URL", "").rstrip("/")
# Notices to applicants of hồ sơ (services/notify_applicant.py): the sender of their e-mails, and the SMS
# gateway (HTTP JSON POST with a bearer token). No SMS URL means no SMS is queued at all.
SERVICES_FROM_EMAIL = os.environ.get("LANGSON_SERVICES_FROM_EMAIL", DEFAULT_FROM_EMAIL)
SMS_URL = os.environ.get("LANGSON_SMS_URL", "")
SMS_TOKEN = os.environ.get("LANGSON_SMS_TOKEN", "")
SMS_TIMEOUT = int(os.environ.get("LANGSON_SMS_TIMEOUT", "5"))
# Online payment of fees (services/payments.py): the gateway's payment page and the shared secret that signs
# the redirect and the gateway's confirmation (HMAC-SHA256). No URL: fees are collected at the counter only.
PAYMENT_URL = os.environ.get("LANGSON_PAYMENT_URL", "")
PAYMENT_SECRET = os.environ.get("LANGSON_PAYMENT_SECRET", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LANGSON_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Uptime of the province's information systems (ops.uptime, docs/decisions/0013-uptime-monitoring.md).
# Resolvers for the systems' A/AAAA look-ups ("10.0.0.53,[2001:db8::53]:53"); empty: the system resolver.
LANGSON_UPTIME_RESOLVERS = [
    s.strip() for s in os.environ.get("LANGSON_UPTIME_RESOLVERS", "").split(",") if s.strip()
]
LANGSON_UPTIME_CA_FILE = os.environ.get("LANGSON_UPTIME_CA_FILE", "")  # extra CAs (the province's own PKI)
LANGSON_UPTIME_CONCURRENCY = int(os.environ.get("LANGSON_UPTIME_CONCURRENCY", "32"))  # rounds at once
LANGSON_UPTIME_FAILURES_TO_OPEN = int(os.environ.get("LANGSON_UPTIME_FAILURES_TO_OPEN", "2"))
LANGSON_UPTIME_TLS_WARNING_DAYS = int(os.environ.get("LANGSON_UPTIME_TLS_WARNING_DAYS", "14"))
LANGSON_UPTIME_RAW_DAYS = int(os.environ.get("LANGSON_UPTIME_RAW_DAYS", "90"))  # raw checks; rollups stay

# Backups (langson.ops.backup; docs/operations.md, "Sao lưu và khôi phục / Backup and restore").
# A backup never lives in the data directory it protects: the default is a sibling, `<data dir>-backups`.
BACKUP_DIR = Path(
    os.environ.get("LANGSON_BACKUP_DIR", DATA_DIR.parent / f"{DATA_DIR.name}-backups")
).resolve()
BACKUP_REPOSITORY = os.environ.get("LANGSON_BACKUP_REPOSITORY", str(BACKUP_DIR / "restic"))
# Production sets the password (and keeps a copy off-site); without one, a generated key file (mode 600).
BACKUP_PASSWORD = os.environ.get("LANGSON_BACKUP_PASSWORD", "")
BACKUP_PASSWORD_FILE = Path(os.environ.get("LANGSON_BACKUP_PASSWORD_FILE", BACKUP_DIR / "password"))
BACKUP_S3_URL = os.environ.get("LANGSON_BACKUP_S3_URL", "")  # s3:http://host:port/bucket/path
BACKUP_S3_ACCESS_KEY = os.environ.get("LANGSON_BACKUP_S3_ACCESS_KEY", "")
BACKUP_S3_SECRET_KEY = os.environ.get("LANGSON_BACKUP_S3_SECRET_KEY", "")
BACKUP_RESTIC = os.environ.get("LANGSON_BACKUP_RESTIC", "restic")
BACKUP_TIMEOUT_SECONDS = int(os.environ.get("LANGSON_BACKUP_TIMEOUT_SECONDS", str(6 * 3600)))
BACKUP_INTERVAL_SECONDS = int(os.environ.get("LANGSON_BACKUP_INTERVAL_SECONDS", "3600"))
BACKUP_PRUNE_INTERVAL_SECONDS = int(os.environ.get("LANGSON_BACKUP_PRUNE_INTERVAL_SECONDS", "86400"))
BACKUP_DRILL_INTERVAL_SECONDS = int(os.environ.get("LANGSON_BACKUP_DRILL_INTERVAL_SECONDS", str(7 * 86400)))
BACKUP_KEEP_HOURLY = int(os.environ.get("LANGSON_BACKUP_KEEP_HOURLY", "48"))
BACKUP_KEEP_DAILY = int(os.environ.get("LANGSON_BACKUP_KEEP_DAILY", "30"))
BACKUP_KEEP_MONTHLY = int(os.environ.get("LANGSON_BACKUP_KEEP_MONTHLY", "12"))
