"""The one settings module. Everything that differs between installations comes from the environment.

Policy (deadlines, the calendar, index-number patterns, upstream endpoints) is data in the database,
not a setting; here live only hosts, secrets, switches and paths.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected true or false / 应为 true 或 false")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected an integer / 应为整数") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# The data directory holds the SQLite database, uploaded files and collected static files.
DATA_DIR = Path(env("GONGKAI_DATA_DIR", str(BASE_DIR / "var"))).resolve()

# An optional file of KEY=VALUE lines gives defaults for the variables below (`make run` writes one with
# a generated SECRET_KEY); a variable set in the environment always wins.
ENV_FILE = Path(env("GONGKAI_ENV_FILE", str(DATA_DIR / "gongkai.env")))
if ENV_FILE.is_file():
    for line in ENV_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, _sep, value = line.partition("=")
            os.environ.setdefault(key.strip(), value.strip())

DEBUG = envbool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off Gongkai refuses to start without it. / "
            "未设置 SECRET_KEY：关闭 DEBUG 时必须设置。"
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "gongkai.admin_site.GongkaiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "gongkai",
    "gongkai.orgs",
    "gongkai.audit",
    "gongkai.workdays",
    "gongkai.jobs",
    "gongkai.catalog",
    "gongkai.review",
    "gongkai.search",
    "gongkai.requests",
    "gongkai.credit",
    "gongkai.upstream",
    "gongkai.reports",
    "gongkai.portal",
    "gongkai.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gongkai.lib.headers.SecurityHeadersMiddleware",
    "gongkai.lib.nul.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gongkai.portal.pagecache.KeptPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gongkai.orgs.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gongkai" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.portal.context_processors.site",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------------------------
# SQLite under the data directory unless DATABASE_URL names another database (PostgreSQL in a
# province). SQLite runs in WAL mode with a busy timeout, and every transaction begins IMMEDIATE so
# two writers queue for the lock instead of failing when a read transaction tries to upgrade.
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'gongkai.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("CONN_MAX_AGE", 60))}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "timeout": envint("SQLITE_BUSY_TIMEOUT", 20),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's own password check, refusing a user name or an address locked after repeated failures
# (gongkai.orgs.lockout): LOGIN_FAILURE_LIMIT failures of one name, or LOGIN_ADDRESS_FAILURE_LIMIT from one address,
# within LOGIN_FAILURE_WINDOW seconds.
AUTHENTICATION_BACKENDS = ["gongkai.orgs.lockout.LockoutBackend"]
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = envint("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
LOGIN_FAILURE_WINDOW = envint("LOGIN_FAILURE_WINDOW", 15 * 60)
# The name the authenticator app shows beside the six digits (两步验证, gongkai.orgs.second_factor).
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Gongkai")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "orgs:workbench"
LOGOUT_REDIRECT_URL = "portal:home"

# --- Language and time -------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "gongkai" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Static and uploaded files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request otherwise
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or envbool("GONGKAI_TESTING", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Security ----------------------------------------------------------------------------------
# HTTPS is on in production; `make run` serves plain HTTP on loopback and turns it off explicitly.
HTTPS = envbool("GONGKAI_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and envbool("SECURE_HSTS_PRELOAD", True)
# Behind the site's own reverse proxy (nginx): the scheme and the client's address come from its headers.
BEHIND_PROXY = envbool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The pages carry no script and no inline style: everything they load comes from this site, and nothing may frame
# them (gongkai.lib.headers). Empty turns a header off.
CONTENT_SECURITY_POLICY = env(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
PERMISSIONS_POLICY = env("PERMISSIONS_POLICY", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SILENCED_SYSTEM_CHECKS = envlist("SILENCED_SYSTEM_CHECKS", "")

# --- E-mail ------------------------------------------------------------------------------------
EMAIL_URL = env("EMAIL_URL", "")
if EMAIL_URL.startswith("smtp"):
    from urllib.parse import unquote, urlsplit

    _email = urlsplit(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or 25
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = _email.scheme == "smtp+tls"
    EMAIL_USE_SSL = _email.scheme == "smtps"
elif EMAIL_URL.startswith("file"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = EMAIL_URL.removeprefix("file://") or str(DATA_DIR / "mail")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "gongkai@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Caches ------------------------------------------------------------------------------------
# Local memory by default (each process its own); CACHE_URL=redis://host:6379/0 shares one between processes and
# machines. The public pages kept there (gongkai.portal.pagecache) are keyed by the generation of public content,
# which lives in the database: a cache of either kind is never the only place a change is recorded.
CACHE_URL = env("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "gongkai"),
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// address (or empty for local memory), not {CACHE_URL!r}")
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    }
# How long a public page may be served from the cache at most (any change of public content ends it at once).
GONGKAI_PAGE_CACHE_SECONDS = envint("GONGKAI_PAGE_CACHE_SECONDS", 300)

# --- API ---------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Gongkai API",
    "DESCRIPTION": "政府信息公开与信用双公示 / Government information disclosure and credit double publicity",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Logging -----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Gongkai's own switches.
GONGKAI_SITE_URL = env("GONGKAI_SITE_URL", "http://127.0.0.1:8000")
# Online applications for disclosure accepted from one client address per hour (anti-abuse, no outside service).
GONGKAI_APPLICATIONS_PER_HOUR = envint("GONGKAI_APPLICATIONS_PER_HOUR", 5)
# E-mail domains of organisations: screening flags every other address as personal (comma-separated suffixes).
GONGKAI_SCREENING_ORGANISATION_EMAIL_DOMAINS = [
    domain.strip().lower()
    for domain in env("GONGKAI_SCREENING_ORGANISATION_EMAIL_DOMAINS", "gov.cn,org.cn,edu.cn").split(",")
    if domain.strip()
]
# Seconds after which a batch claimed by a worker that has not answered is taken back (the worker died).
GONGKAI_UPSTREAM_LEASE_SECONDS = envint("GONGKAI_UPSTREAM_LEASE_SECONDS", 300)
# Retries of a failed push: exponential backoff with full jitter from this base, capped (seconds).
GONGKAI_UPSTREAM_RETRY_BASE_SECONDS = float(env("GONGKAI_UPSTREAM_RETRY_BASE_SECONDS", "1"))
GONGKAI_UPSTREAM_RETRY_CAP_SECONDS = float(env("GONGKAI_UPSTREAM_RETRY_CAP_SECONDS", "3600"))
