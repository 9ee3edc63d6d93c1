"""Settings shared by every environment; each value comes from the environment or a default.

Two runtime modes share this file. With no environment the project runs *embedded*: SQLite in
``var/``, local-memory cache, in-memory channel layer, Celery over kombu's filesystem transport and
the sandbox SMS gateway. Setting ``DATABASE_URL`` and ``REDIS_URL`` switches to *services* mode:
PostgreSQL with a connection pool, and Redis for cache, throttles, channel layer and broker.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# ---------------------------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

ROOT_URLCONF = "clean_care.urls"
WSGI_APPLICATION = "clean_care.wsgi.application"
ASGI_APPLICATION = "clean_care.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "users.User"

DJANGO_APPS = [
    "apps.console.admin_config.StaffAdminConfig",  # django.contrib.admin, signed in via the console
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "corsheaders",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "django_celery_beat",
    "dbbackup",  # backups: core/backups.py
]
LOCAL_APPS = [
    "core",
    "apps.users",
    "apps.authentication",
    "apps.notifications",
    "apps.complaints",
    "apps.open311",
    "apps.payments",
    "apps.donations",
    "apps.dashboard",
    "apps.chat",
    "apps.emergency",
    "apps.notices",
    "apps.waste_management",
    "apps.gallery",
    "apps.city_calendar",
    "apps.public",
    "apps.console",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    "core.middleware.ApiErrorMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.middleware.RequestSlotsMiddleware",  # WEB_REQUESTS_AT_ONCE; after the language is set
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.DatabaseActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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
            ],
        },
    },
]

# ---------------------------------------------------------------------------------------------
# Database: SQLite (WAL) embedded, PostgreSQL with Django's psycopg pool in services mode
# ---------------------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", default="")
if DATABASE_URL:
    _db = env.db_url("DATABASE_URL")
    _db["ENGINE"] = "django.db.backends.postgresql"
    _db["CONN_MAX_AGE"] = 0  # the pool keeps connections; Django must not keep its own
    _db["OPTIONS"] = {
        "pool": {
            "min_size": env.int("DB_POOL_MIN_SIZE", default=2),
            "max_size": env.int("DB_POOL_MAX_SIZE", default=20),
            "timeout": env.int("DB_POOL_TIMEOUT", default=10),
        },
        "connect_timeout": 5,
        # Parameters travel apart from the SQL, so psycopg prepares a statement the Nth time a
        # connection runs it and PostgreSQL reuses its plan: planning a list under row-level
        # security (every join to users brings the users' policies) costs more than running it
        # (docs/decisions.md, "Lists at city scale"). 0 turns it off (a transaction pooler).
        "server_side_binding": True,
        "prepare_threshold": env.int("DB_PREPARE_THRESHOLD", default=5) or None,
    }
    if (_db["OPTIONS"]["prepare_threshold"] or 0) < 0:
        raise ImproperlyConfigured("DB_PREPARE_THRESHOLD is a count of runs (0: never prepare).")
    DATABASES = {"default": _db}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(env("SQLITE_PATH", default=str(VAR_DIR / "clean_care.sqlite3"))),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
    # Covering indexes (INCLUDE) are a PostgreSQL feature; SQLite builds them as plain indexes,
    # which is what embedded mode wants, so Django's note about it is noise on every start.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
SERVICES_MODE = bool(DATABASE_URL)
# Row-level security (core/rls.py, core migration 0006): the role the web and worker processes
# act as on PostgreSQL. It owns no table and cannot bypass the policies on users and complaints;
# management commands (migrate, backups) keep DATABASE_URL's owner. Empty turns the switch off.
DATABASE_APP_ROLE = env("DATABASE_APP_ROLE", default="clean_care_app")

# ---------------------------------------------------------------------------------------------
# Redis: cache, throttles, channel layer and broker (services mode)
# ---------------------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")


def _redis_db(url: str) -> str:
    """The database number of a redis:// URL (its path, else ?db=, else 0)."""
    parts = urlsplit(url)
    return parts.path.strip("/") or parse_qs(parts.query).get("db", ["0"])[0]


if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",  # one pool and client per process (core/cache.py)
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="cc"),
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            # Redis pub/sub: a process holds one subscription connection and one for publishing
            # whatever its socket count (the list-based layer borrowed a pooled connection for
            # every group_add/discard, and ran out under thousands of sockets), and a group
            # event crosses Redis once per process, which hands it to its sockets itself.
            # Delivery is at most once, which is what the sockets get anyway: every event is
            # also stored, and clients catch up over HTTP on reconnect (docs/decisions.md).
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL}],
                # Pub/sub channels belong to the Redis server, not to a database number: the
                # number joins the prefix so that deployments (and test runs) on other
                # databases of one server never hear each other's groups.
                "prefix": f"{env('CACHE_KEY_PREFIX', default='cc')}.{_redis_db(REDIS_URL)}.",
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# ---------------------------------------------------------------------------------------------
# Celery: Redis in services mode, kombu's filesystem transport embedded
# ---------------------------------------------------------------------------------------------
CELERY_QUEUE_DIR = VAR_DIR / "celery"
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://localhost//")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "store_processed": False,
        # Exchange tables; kombu's default is ./control, i.e. wherever the process was started.
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_TIMEZONE = "Asia/Dhaka"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Every periodic job of the project, declared in one place (beat copies them into its tables).
# beat sends a heartbeat this often and a worker runs it; /api/health/ reports `beat` when none was
# sent for twice as long and `periodic_jobs` when none ran (HEALTH_REQUIRES_BEAT: wherever beat
# and a worker are meant to run, which is everywhere but the tests and `serve --no-worker`).
BEAT_HEARTBEAT_INTERVAL = timedelta(seconds=60)
HEALTH_REQUIRES_BEAT = env.bool("HEALTH_REQUIRES_BEAT", default=True)
CELERY_BEAT_SCHEDULE = {
    "beat-heartbeat": {
        "task": "core.tasks.beat_heartbeat",
        "schedule": BEAT_HEARTBEAT_INTERVAL,
        # A heartbeat run late proves nothing about now. django_celery_beat reads a task's expiry
        # as "expire_seconds" (it drops "expires").
        "options": {"expire_seconds": int(BEAT_HEARTBEAT_INTERVAL.total_seconds())},
    },
    "purge-expired-otps": {
        "task": "apps.authentication.tasks.otp_purge_expired",
        "schedule": timedelta(hours=1),
    },
    "reconcile-payments": {
        "task": "apps.payments.tasks.payments_reconcile",
        "schedule": timedelta(minutes=1),
    },
    "follow-up-refunds": {
        "task": "apps.payments.tasks.refunds_follow_up",
        "schedule": timedelta(minutes=10),
    },
    "purge-idempotency-records": {
        "task": "core.tasks.idempotency_purge_expired",
        "schedule": timedelta(hours=1),
    },
    "purge-revoked-access-tokens": {
        "task": "core.tasks.revoked_access_tokens_purge",
        "schedule": timedelta(hours=1),
    },
    # The safety net behind each emergency's own escalation countdown.
    "escalate-overdue-emergencies": {
        "task": "apps.emergency.tasks.emergencies_escalate_overdue",
        "schedule": timedelta(seconds=30),
    },
    "purge-chat-presence": {
        "task": "apps.chat.tasks.chat_presence_purge",
        "schedule": timedelta(minutes=30),
    },
    "expire-notices": {
        "task": "apps.notices.tasks.notices_expire",
        "schedule": timedelta(minutes=5),
    },
    "push-urgent-notices": {
        "task": "apps.notices.tasks.notices_urgent_sweep",
        "schedule": timedelta(minutes=1),
    },
    # Participants of tomorrow's events (Asia/Dhaka) are reminded once, from 09:00 the day before.
    "remind-event-participants": {
        "task": "apps.city_calendar.tasks.events_remind_sweep",
        "schedule": timedelta(minutes=15),
    },
    # The dashboard's complaint tally: its appended rows folded, and a recount after the backup.
    "compact-complaint-tally": {
        "task": "apps.dashboard.tasks.complaint_tally_compact",
        "schedule": timedelta(minutes=5),
    },
    "reconcile-complaint-tally": {
        "task": "apps.dashboard.tasks.complaint_tally_reconcile",
        "schedule": crontab(hour=3, minute=30),  # CELERY_TIMEZONE: 03:30 Asia/Dhaka
    },
    # Database and media to BACKUP_S3_BUCKET or BACKUP_DIR, then older than BACKUP_KEEP_DAYS pruned.
    "backup-nightly": {
        "task": "core.tasks.backups_nightly",
        "schedule": crontab(hour=2, minute=0),  # CELERY_TIMEZONE: 02:00 Asia/Dhaka
    },
}

# ---------------------------------------------------------------------------------------------
# Auth, passwords, JWT
# ---------------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 6},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A token's "not signed out" verdict is cached this long before the revocation table is asked again;
# a revocation overwrites it at once (core/authentication.py).
JWT_REVOCATION_CHECK_SECONDS = 300
# The longest a cached copy of an account lives (core/accounts.py); every ORM write of the row
# retires it at once, this only bounds writes made outside the ORM. Only with Redis: the embedded
# mode's cache is each process's own memory, where a write by the worker or a shell could not
# retire the web process's copy (0: accounts are read from the database).
ACCOUNT_CACHE_SECONDS = 300 if REDIS_URL else 0
# The longest a rendered page of a list is kept (core/lists.py). Every write of what it lists
# retires it at once; this bounds what a page shows of other rows (a citizen's or an assignee's
# renamed name) and writes made outside the ORM. Only with Redis, as ACCOUNT_CACHE_SECONDS.
LIST_CACHE_SECONDS = env.int("LIST_CACHE_SECONDS", default=120) if REDIS_URL else 0
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(hours=24),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=7),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,  # login updates it through the service, once
    "ALGORITHM": "HS256",
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    # A password change invalidates every token minted before it (access tokens included).
    "CHECK_REVOKE_TOKEN": True,
    "REVOKE_TOKEN_CLAIM": "hash_password",
}

# One-time passwords sent by SMS.
OTP_LENGTH = 6
OTP_TTL = timedelta(minutes=5)
OTP_MAX_ATTEMPTS = 5
OTP_RESEND_COOLDOWN = timedelta(seconds=60)
OTP_MAX_PER_PHONE_PER_HOUR = 5

# ---------------------------------------------------------------------------------------------
# REST framework, OpenAPI
# ---------------------------------------------------------------------------------------------
# A list count over core.pagination.EXACT_COUNT_LIMIT rows is reused this long per caller and query.
PAGINATION_COUNT_CACHE_SECONDS = 60
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ("core.authentication.JWTAuthentication",),
    "DEFAULT_PERMISSION_CLASSES": ("rest_framework.permissions.IsAuthenticated",),
    "DEFAULT_PARSER_CLASSES": (
        "core.parsers.JSONParser",  # refuses bodies nested past core.parsers.JSON_MAX_DEPTH
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ),
    "DEFAULT_RENDERER_CLASSES": (
        "core.renderers.JSONRenderer",  # orjson, DRF's bytes
        "rest_framework.renderers.BrowsableAPIRenderer",
    ),
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": (
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ),
    "DEFAULT_THROTTLE_CLASSES": (
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ),
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON", default="100/hour"),
        "user": env("THROTTLE_USER", default="1000/hour"),
        "login_phone": "5/min",
        "login_ip": "5/min",
        "otp_verify_ip": "30/min",
    },
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "EXCEPTION_HANDLER": "core.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "core.openapi.AutoSchema",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Clean Care Bangladesh API",
    "DESCRIPTION": (
        "City-services API of Clean Care Bangladesh: citizen accounts, complaints, payments, "
        "notices and the staff console. Every route is served under /api/v1/ and, for the "
        "existing mobile client, under /api/. Errors share one shape: "
        '{"error": message, "code": machine_code, "details": {field: [messages]}}.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["core.openapi.only_canonical_prefix"],
    "ENUM_NAME_OVERRIDES": {
        "ComplaintStatusEnum": "apps.complaints.enums.Status",
        "ComplaintCategoryEnum": "apps.complaints.enums.Category",
        "ComplaintPriorityEnum": "apps.complaints.enums.Priority",
        "ComplaintCategoryInputEnum": "apps.complaints.enums.CATEGORY_INPUT",
        "ComplaintPriorityInputEnum": "apps.complaints.enums.PRIORITY_INPUT",
        "ComplaintStatusInputEnum": "apps.complaints.enums.STATUS_INPUT",
        "EmergencyStatusEnum": "apps.emergency.enums.EmergencyStatus",
        "EmergencyTypeEnum": "apps.emergency.enums.EmergencyType",
        "EmergencyTypeInputEnum": "apps.emergency.enums.TYPE_INPUT",
        "EmergencyStatusInputEnum": "apps.emergency.enums.STATUS_INPUT",
        "ReportStatusEnum": "apps.dashboard.models.ReportStatus",
        "NoticePriorityEnum": "apps.notices.enums.Priority",
        "SpecialCollectionStatusEnum": "apps.waste_management.enums.SpecialStatus",
        "SpecialCollectionPaymentStateEnum": "apps.waste_management.enums.PaymentState",
    },
}

# ---------------------------------------------------------------------------------------------
# Languages and time: Bengali by default, English on request; Dhaka time
# ---------------------------------------------------------------------------------------------
LANGUAGE_CODE = "bn"
LANGUAGES = [("bn", _("Bengali")), ("en", _("English"))]
# Our catalogue first, then Bengali for the third-party messages people see (see its header).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
USE_I18N = True
TIME_ZONE = "Asia/Dhaka"
USE_TZ = True

# ---------------------------------------------------------------------------------------------
# Static and media files
# ---------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Files only our views may hand out (generated reports): kept where nothing serves them.
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "core.storage.MediaStorage"},  # FileSystemStorage, cheaper links
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": "/no-public-url/"},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Naming a bucket moves uploads to S3 (or any S3-compatible store via AWS_S3_ENDPOINT_URL).
# Credentials come the usual boto3 way: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or an IAM role.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        # Signed links are reused for half their life (core/storage_s3.py): signing is CPU-heavy.
        "BACKEND": "core.storage_s3.S3ReusedLinkStorage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "region_name": env("AWS_S3_REGION_NAME", default="ap-south-1"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            "default_acl": None,
            "querystring_auth": True,  # photos are private: links are signed and expire
            "querystring_expire": 3600,
            "file_overwrite": False,
        },
    }
    STORAGES["private"] = {  # streamed by our views, never linked: plain S3
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**STORAGES["default"]["OPTIONS"], "location": "private", "custom_domain": None},
    }
# Backups (core/backups.py, django-dbbackup): the database (pg_dump custom format; SQLite's own
# backup API embedded) and both media storages, nightly at 02:00 Dhaka (CELERY_BEAT_SCHEDULE),
# kept BACKUP_KEEP_DAYS days. To the S3 bucket BACKUP_S3_BUCKET when named (objects private, under
# BACKUP_S3_PREFIX; credentials the usual boto3 way), to the folder BACKUP_DIR otherwise (files
# 0600 in a 0700 folder).
BACKUP_DIR = env("BACKUP_DIR", default=str(VAR_DIR / "backups"))
BACKUP_KEEP_DAYS = env.int("BACKUP_KEEP_DAYS", default=30)
BACKUP_S3_BUCKET = env("BACKUP_S3_BUCKET", default="")
if BACKUP_S3_BUCKET:
    STORAGES["dbbackup"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BACKUP_S3_BUCKET,
            "location": env("BACKUP_S3_PREFIX", default="backups"),
            "region_name": env("BACKUP_S3_REGION_NAME", default="ap-south-1"),
            "endpoint_url": env("BACKUP_S3_ENDPOINT_URL", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    STORAGES["dbbackup"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": BACKUP_DIR,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
DBBACKUP_DATABASES = ["default"]
DBBACKUP_SEND_EMAIL = False  # a failed nightly backup is a failed Celery task, logged like any
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Whole request bodies above this are refused before parsing (five 5 MB photos plus fields).
MAX_REQUEST_BODY_BYTES = 27 * 1024 * 1024
# Uploaded images: size, pixel count (decompression bombs), stored long side.
IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
AVATAR_SIZE_PX = 512

# ---------------------------------------------------------------------------------------------
# Emergencies
# ---------------------------------------------------------------------------------------------
# Staff whose `emergency` wards have a centre this close to an emergency are told at once.
EMERGENCY_DISPATCH_KM = env.float("EMERGENCY_DISPATCH_KM", default=5.0)
# Still unassigned after this long → every super admin is told (once).
EMERGENCY_ESCALATION_SECONDS = env.int("EMERGENCY_ESCALATION_SECONDS", default=300)
# Emergencies one citizen may raise in a window (only those really raised count).
EMERGENCY_CREATE_LIMIT = env.int("EMERGENCY_CREATE_LIMIT", default=5)
EMERGENCY_CREATE_WINDOW_SECONDS = env.int("EMERGENCY_CREATE_WINDOW_SECONDS", default=3600)

# ---------------------------------------------------------------------------------------------
# Chat
# ---------------------------------------------------------------------------------------------
# A chat socket without traffic either way for this long is closed (4408), as seed 7.4 asks.
CHAT_IDLE_TIMEOUT_SECONDS = env.int("CHAT_IDLE_TIMEOUT_SECONDS", default=30 * 60)
# Long-lived sockets check again this often that their session and rights still stand (a
# sign-out, deactivation or change of rights asks them at once; this is the safety net).
SOCKET_RECHECK_SECONDS = env.int("SOCKET_RECHECK_SECONDS", default=300)
# An offline participant is notified once per unread stretch and this many seconds.
CHAT_NOTIFY_COALESCE_SECONDS = env.int("CHAT_NOTIFY_COALESCE_SECONDS", default=600)
# Messages one person may send per window, over REST and every socket together.
CHAT_RATE_MESSAGES = env.int("CHAT_RATE_MESSAGES", default=20)
CHAT_RATE_SECONDS = env.int("CHAT_RATE_SECONDS", default=10)

# ---------------------------------------------------------------------------------------------
# Notices
# ---------------------------------------------------------------------------------------------
# The board stays cached this long at most; every change to a notice retires it at once, and a
# notice that is published or expires ends it at that moment (apps/notices/cache.py).
NOTICE_CACHE_SECONDS = env.int("NOTICE_CACHE_SECONDS", default=300)
# An urgent notice is pushed to its wards' citizens in tasks of this many people each, and also
# texted to them when this is on (an SMS to every citizen of a city costs money).
NOTICE_URGENT_BATCH_SIZE = env.int("NOTICE_URGENT_BATCH_SIZE", default=500)
NOTICE_URGENT_SMS = env.bool("NOTICE_URGENT_SMS", default=False)

# ---------------------------------------------------------------------------------------------
# CORS
# ---------------------------------------------------------------------------------------------
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/(api|open311)/.*$"
CORS_EXPOSE_HEADERS = ["Retry-After", "X-Request-ID", "Idempotent-Replayed"]
CORS_ALLOW_HEADERS = (
    "accept",
    "accept-language",
    "authorization",
    "content-type",
    "idempotency-key",
    "x-request-id",
)

# ---------------------------------------------------------------------------------------------
# SMS
# ---------------------------------------------------------------------------------------------
SMS_BACKEND = env("SMS_BACKEND", default="sandbox")
# The backends SMS_BACKEND may name; the development settings add the sandbox (simulators.py).
SMS_BACKENDS = {
    "console": "apps.notifications.sms.console.ConsoleBackend",
    "sslwireless": "apps.notifications.sms.sslwireless.SslWirelessBackend",
    "bulksmsbd": "apps.notifications.sms.bulksmsbd.BulkSmsBdBackend",
}
SMS_TIMEOUT_SECONDS = env.float("SMS_TIMEOUT_SECONDS", default=10.0)
SSLWIRELESS_BASE_URL = env("SSLWIRELESS_BASE_URL", default="https://smsplus.sslwireless.com/api/v3")
SSLWIRELESS_API_TOKEN = env("SSLWIRELESS_API_TOKEN", default="")
SSLWIRELESS_SID = env("SSLWIRELESS_SID", default="")
BULKSMSBD_BASE_URL = env("BULKSMSBD_BASE_URL", default="https://bulksmsbd.net/api")
BULKSMSBD_API_KEY = env("BULKSMSBD_API_KEY", default="")
BULKSMSBD_SENDER_ID = env("BULKSMSBD_SENDER_ID", default="")

# ---------------------------------------------------------------------------------------------
# Push notifications (Firebase Cloud Messaging HTTP v1)
# ---------------------------------------------------------------------------------------------
PUSH_BACKEND = env("PUSH_BACKEND", default="sandbox")
PUSH_BACKENDS = {
    "console": "apps.notifications.push.console.ConsoleBackend",
    "fcm": "apps.notifications.push.fcm.FcmBackend",
}
PUSH_TIMEOUT_SECONDS = env.float("PUSH_TIMEOUT_SECONDS", default=10.0)
FCM_BASE_URL = env("FCM_BASE_URL", default="https://fcm.googleapis.com")
# The service account key (client_email, private_key, token_uri, project_id): a path, or the JSON.
FCM_SERVICE_ACCOUNT_FILE = env("FCM_SERVICE_ACCOUNT_FILE", default="")
FCM_SERVICE_ACCOUNT_JSON = env("FCM_SERVICE_ACCOUNT_JSON", default="")
# PEM public key the FCM simulator checks OAuth assertions against (unchecked when empty).
SANDBOX_FCM_PUBLIC_KEY = env("SANDBOX_FCM_PUBLIC_KEY", default="")

# ---------------------------------------------------------------------------------------------
# Payments: provider clients (apps/payments/gateways). A base URL on the host sandbox.invalid is
# answered in-process by the simulators when the simulators' settings name a transport for it
# (HTTP_TRANSPORTS); production points them at the providers. PAYMENT_PUBLIC_BASE_URL is how
# browsers reach us (callbacks, hosted test pages).
# ---------------------------------------------------------------------------------------------
PAYMENT_PUBLIC_BASE_URL = env("PAYMENT_PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
# Map tiles of the console's maps (a Leaflet URL template such as
# https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png); empty: no tiles at all, markers and ward
# centres on a plain background, so nothing is fetched from another host.
MAP_TILE_URL = env("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", default="© OpenStreetMap contributors")


def _tile_source(template: str) -> str:
    """The CSP source that admits ``template``'s tiles ("{s}." becomes "*.")."""
    from urllib.parse import urlsplit

    parts = urlsplit(template)
    host = parts.netloc.replace("{s}.", "*.")
    if not parts.scheme or not host or "{" in host:
        return ""
    return f"{parts.scheme}://{host}"


MAP_TILE_SOURCE = _tile_source(MAP_TILE_URL) if MAP_TILE_URL else ""
# Every HTML page (core.middleware.ContentSecurityPolicyMiddleware): our own scripts only, no
# inline ones; inline styles for Swagger UI, ReDoc and admin; forms may also land on the public
# address (a sandbox payment page reached as localhost returns to PAYMENT_PUBLIC_BASE_URL).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: {MAP_TILE_SOURCE}".rstrip(),
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        f"form-action 'self' {PAYMENT_PUBLIC_BASE_URL.rstrip('/')}",
    ]
)
PAYMENT_TIMEOUT_SECONDS = env.float("PAYMENT_TIMEOUT_SECONDS", default=20.0)
PAYMENT_MAX_AMOUNT = Decimal(env("PAYMENT_MAX_AMOUNT", default="500000.00"))
# Where the browser lands after paying (the app's page); our own small page by default.
PAYMENT_RESULT_URL = env("PAYMENT_RESULT_URL", default="/api/v1/payments/result/")
# Rocket has no public merchant API; Rocket and Upay go through SSLCommerz (GATEWAYS.md).
PAYMENT_METHOD_GATEWAYS = {
    "bkash": "bkash",
    "nagad": "nagad",
    "rocket": "sslcommerz",
    "upay": "sslcommerz",
}
# Settled by the reconciler: asked again after this long, given up (cancelled) after the expiry.
PAYMENT_RECONCILE_AFTER = timedelta(minutes=10)
PAYMENT_EXPIRY = timedelta(hours=24)
REFUND_FOLLOW_UP_AFTER = timedelta(minutes=10)  # a processing refund is asked after this long
# The city corporation, as printed on receipts and reports.
CITY_CORPORATION_NAME_BN = env("CITY_CORPORATION_NAME_BN", default="ঢাকা দক্ষিণ সিটি কর্পোরেশন")
CITY_CORPORATION_NAME_EN = env("CITY_CORPORATION_NAME_EN", default="Dhaka South City Corporation")
# Apps that take payments for their own purpose follow them (apps/payments/purposes.py).
PAYMENT_PURPOSES = {
    "donation": "apps.donations.services.donation_follow_payment",
    "special_collection": "apps.waste_management.services.special_collection_follow_payment",
}
# Donations above this many BDT get a thank-you besides the receipt (seed 000 §9.1).
DONATION_THANK_YOU_ABOVE = Decimal(env("DONATION_THANK_YOU_ABOVE", default="10000"))
BKASH_BASE_URL = env("BKASH_BASE_URL", default="http://sandbox.invalid/sandbox/bkash/v1.2.0-beta")
BKASH_APP_KEY = env("BKASH_APP_KEY", default="sandbox-app-key")
BKASH_APP_SECRET = env("BKASH_APP_SECRET", default="sandbox-app-secret")
BKASH_USERNAME = env("BKASH_USERNAME", default="sandbox-merchant")
BKASH_PASSWORD = env("BKASH_PASSWORD", default="sandbox-password")
BKASH_EXECUTE_TIMEOUT_SECONDS = env.float("BKASH_EXECUTE_TIMEOUT_SECONDS", default=30.0)
NAGAD_BASE_URL = env("NAGAD_BASE_URL", default="http://sandbox.invalid/sandbox/nagad")
NAGAD_MERCHANT_ID = env("NAGAD_MERCHANT_ID", default="683002007104225")
NAGAD_MERCHANT_PRIVATE_KEY = env("NAGAD_MERCHANT_PRIVATE_KEY", default="")  # PEM
NAGAD_PUBLIC_KEY = env("NAGAD_PUBLIC_KEY", default="")  # Nagad's PEM public key
NAGAD_VERIFY_RESPONSE_SIGNATURE = env.bool("NAGAD_VERIFY_RESPONSE_SIGNATURE", default=True)
SSLCOMMERZ_BASE_URL = env(
    "SSLCOMMERZ_BASE_URL", default="http://sandbox.invalid/sandbox/sslcommerz"
)
SSLCOMMERZ_STORE_ID = env("SSLCOMMERZ_STORE_ID", default="cleancaresandbox")
SSLCOMMERZ_STORE_PASSWORD = env("SSLCOMMERZ_STORE_PASSWORD", default="sandbox-store-password")
# Where each provider's hosted payment page may send the customer (GATEWAYS.md §7.8): the real
# providers' hosts only. The simulators' settings add our own host.
BKASH_REDIRECT_HOSTS = ["sandbox.payment.bkash.com", "payment.bkash.com"]
NAGAD_REDIRECT_HOSTS = ["sandbox.mynagad.com", "api.mynagad.com"]
SSLCOMMERZ_REDIRECT_HOSTS = ["sandbox.sslcommerz.com", "securepay.sslcommerz.com"]
# API hosts answered by a simulator whose hosted pages our own server renders on
# PAYMENT_PUBLIC_BASE_URL's host (so that host is then a valid redirect). None in production.
PAYMENT_SIMULATOR_HOSTS: list[str] = []
# Provider name -> client class (core.backends.backend_load); PAYMENT_METHOD_GATEWAYS picks one.
PAYMENT_GATEWAYS = {
    "bkash": "apps.payments.gateways.bkash.BkashGateway",
    "nagad": "apps.payments.gateways.nagad.NagadGateway",
    "sslcommerz": "apps.payments.gateways.sslcommerz.SslCommerzGateway",
}

# The sandbox simulators (/sandbox/...) exist in embedded mode and tests, never in production;
# clean_care/settings/simulators.py wires them in.
SANDBOX_ENABLED = env.bool("SANDBOX_ENABLED", default=True)
# (URL prefix, urlconf module) pairs clean_care/urls.py also mounts; the simulators' settings
# add the sandbox's. Empty in production.
EXTRA_URLCONFS: list[tuple[str, str]] = []
# Outgoing HTTP: host name -> dotted httpx transport class (core/transports.py); empty = network.
HTTP_TRANSPORTS: dict[str, str] = {}

# Demo data
DEMO_PASSWORD = env("DEMO_PASSWORD", default="cleancare123")

# Idempotency-Key records live this long; a claim still unfinished after the timeout is taken
# over by the next retry (the process that made it most likely died).
IDEMPOTENCY_TTL = timedelta(hours=24)
IDEMPOTENCY_IN_PROGRESS_TIMEOUT = timedelta(seconds=120)

# Dashboard answers stay cached this long (seed 000 §10.2); every write that changes a figure
# retires them at once (apps/dashboard/cache.py), so this only bounds time-driven drift.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300)
# Requests that miss an answer another request is computing wait this long for it, then compute
# it themselves (a computation slower than this is stuck: a web statement is cut at 5 s anyway).
DASHBOARD_WAIT_SECONDS = 5

# ---------------------------------------------------------------------------------------------
# Logging: one line per event with the request id
# ---------------------------------------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
# dictConfig(LOGGING), and every record masked (core.logging.mask_record) as it is made. Celery's
# worker and beat apply the same (clean_care/celery.py) instead of handlers of their own.
LOGGING_CONFIG = "core.logging.configure"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.logging.RequestIdFilter"},
        "secrets": {"()": "core.logging.SecretMaskingFilter"},
    },
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["request_id", "secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django applies its DEFAULT_LOGGING first: handlers on "django" (a console one that
        # prints with DEBUG on, mail_admins) and on "django.server" (which it also stops from
        # propagating). Named here, they lose those handlers and write through root's masked
        # console handler, once, DEBUG or not.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "WARNING", "propagate": True},
        "django.request": {"level": "ERROR"},
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        # uvicorn configures its own handlers before it loads the app; these replace them, so its
        # lines (a WebSocket's path with its query string among them) pass the masking filter.
        "uvicorn": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # No handler: uvicorn then writes no access lines of its own (they would print query
        # strings); clean_care.access (core.middleware) is the access log, one line a request.
        "uvicorn.access": {"handlers": [], "propagate": False},
    },
}

# Staff console: a complaint still "submitted" after this many hours is marked overdue.
CONSOLE_OVERDUE_HOURS = env.int("CONSOLE_OVERDUE_HOURS", default=48)
# Staff sign-in (console, Django admin through it, and the API's login for staff accounts) asks
# for a code sent by SMS after the password (on in production).
CONSOLE_OTP_REQUIRED = env.bool("CONSOLE_OTP_REQUIRED", default=False)
# Web sessions (console and admin; the API uses tokens) end this long after sign-in: a shift,
# not Django's two weeks, so a second factor is asked for every working day.
SESSION_COOKIE_AGE = env.int("CONSOLE_SESSION_HOURS", default=12) * 3600

# ---------------------------------------------------------------------------------------------
# Operations: error tracking, metrics, log format, connection budget (issue 13.5)
# ---------------------------------------------------------------------------------------------
# Log lines as text ("text") or one JSON object each ("json", production's default); both masked.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_FORMAT == "json" else "line"
# Sentry (core/sentry.py, started by core's AppConfig) when a DSN is set; events are scrubbed of
# phones, tokens, OTPs and payment secrets before they leave.
SENTRY_DSN = env("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", default="development")
SENTRY_RELEASE = env("SENTRY_RELEASE", default="")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
# Prometheus /metrics: from these networks (the client's address as NUM_PROXIES reads it), or
# with "Authorization: Bearer <METRICS_TOKEN>" from anywhere; everyone else gets a 404.
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.1/32"])
METRICS_TOKEN = env("METRICS_TOKEN", default="")
# The connection budget (core/checks.py warns when the processes' pools can exceed it): uvicorn
# processes (WEB_CONCURRENCY in each of WEB_SERVERS web containers or servers), Celery worker
# processes and beat, each with a pool of up to DB_POOL_MAX_SIZE.
DB_MAX_CONNECTIONS = env.int("DB_MAX_CONNECTIONS", default=100)
WEB_CONCURRENCY = env.int("WEB_CONCURRENCY", default=1)
WEB_SERVERS = env.int("WEB_SERVERS", default=1)
# Requests a web process runs at once (core.middleware.RequestSlotsMiddleware; never more than
# its pool's connections); the others wait their turn, up to DB_POOL_TIMEOUT.
WEB_REQUESTS_AT_ONCE = env.int("WEB_REQUESTS_AT_ONCE", default=8)
CELERY_WORKER_CONCURRENCY = env.int("CELERY_WORKER_CONCURRENCY", default=2)
