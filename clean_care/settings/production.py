"""Production settings: services mode behind nginx over HTTPS; refuses to start half-configured."""

from django.core.exceptions import ImproperlyConfigured

from core.connection_budget import RESERVED_CONNECTIONS, budget_processes, pool_share

from .base import *  # noqa: F403
from .base import (
    CELERY_WORKER_CONCURRENCY,
    DATABASES,
    DB_MAX_CONNECTIONS,
    LOGGING,
    REST_FRAMEWORK,
    WEB_CONCURRENCY,
    WEB_SERVERS,
    env,
)

DEBUG = False


def _required(name: str) -> str:
    value = env(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set in production (see the configuration table in README.md)."
        )
    return value


SECRET_KEY = _required("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters in production.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the public host names in production.")
for _name in ("DATABASE_URL", "REDIS_URL"):
    if not env(_name, default=""):
        raise ImproperlyConfigured(f"Production runs in services mode: set {_name}.")

# Pools and limits (docs/production.md, "Connections and timeouts"). Every process (web, Celery
# worker, beat) gets an equal share of the database's budget, less RESERVED_CONNECTIONS for
# migrations, backups and psql; DB_POOL_MAX_SIZE, when set, overrides the share (and
# core/checks.py warns if it does not fit).
_options = DATABASES["default"]["OPTIONS"]
_processes = budget_processes(
    web=WEB_CONCURRENCY, workers=CELERY_WORKER_CONCURRENCY, web_servers=WEB_SERVERS
)
DB_POOL_SHARE = pool_share(max_connections=DB_MAX_CONNECTIONS, processes=_processes)
if not env("DB_POOL_MAX_SIZE", default=""):
    if DB_POOL_SHARE < 1:
        raise ImproperlyConfigured(
            f"DB_MAX_CONNECTIONS={DB_MAX_CONNECTIONS} leaves no connection for {_processes} "
            f"processes once {RESERVED_CONNECTIONS} are reserved: raise it, or lower "
            "WEB_CONCURRENCY or CELERY_WORKER_CONCURRENCY."
        )
    _options["pool"]["max_size"] = DB_POOL_SHARE
    _options["pool"]["min_size"] = min(_options["pool"]["min_size"], DB_POOL_SHARE)
# One slow statement must not hold a web worker (and its connection) for long: PostgreSQL cancels
# it after DB_STATEMENT_TIMEOUT seconds (the request answers 500 server_error, logged). Workers
# and beat run reports and recounts: compose gives them the Celery task limit; migrations none.
DB_STATEMENT_TIMEOUT = env.int("DB_STATEMENT_TIMEOUT", default=5)
if DB_STATEMENT_TIMEOUT < 0:
    raise ImproperlyConfigured("DB_STATEMENT_TIMEOUT is seconds (0: no limit).")
if DB_STATEMENT_TIMEOUT:
    _options["options"] = f"-c statement_timeout={DB_STATEMENT_TIMEOUT * 1000}"

# Client IPs (throttles) come from X-Forwarded-For only as far as NUM_PROXIES trusts it; a wrong
# count lets clients choose their own IP, so production must state it (1 behind nginx).
_num_proxies = _required("NUM_PROXIES")
if not _num_proxies.isdigit():
    raise ImproperlyConfigured("NUM_PROXIES must be a whole number (1 behind nginx).")
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "NUM_PROXIES": int(_num_proxies),
    # JSON only: DRF's browsable API is a development aid (forms for every endpoint, inline
    # scripts) that production has no use for.
    "DEFAULT_RENDERER_CLASSES": ("core.renderers.JSONRenderer",),
}

SANDBOX_ENABLED = False
# Staff console: a password alone does not sign in; an SMS code follows.
CONSOLE_OTP_REQUIRED = env.bool("CONSOLE_OTP_REQUIRED", default=True)
SMS_BACKEND = env("SMS_BACKEND", default="sslwireless")
if SMS_BACKEND == "sslwireless":
    SSLWIRELESS_API_TOKEN = _required("SSLWIRELESS_API_TOKEN")
    SSLWIRELESS_SID = _required("SSLWIRELESS_SID")
elif SMS_BACKEND == "bulksmsbd":
    BULKSMSBD_API_KEY = _required("BULKSMSBD_API_KEY")
    BULKSMSBD_SENDER_ID = _required("BULKSMSBD_SENDER_ID")
else:
    raise ImproperlyConfigured(
        f"SMS_BACKEND={SMS_BACKEND!r} sends no real texts; production needs SMS_BACKEND "
        "sslwireless or bulksmsbd with its credentials."
    )
PUSH_BACKEND = env("PUSH_BACKEND", default="fcm")
if PUSH_BACKEND != "fcm":
    raise ImproperlyConfigured(
        f"PUSH_BACKEND={PUSH_BACKEND!r} pushes to no phone; production needs PUSH_BACKEND fcm "
        "with FCM_SERVICE_ACCOUNT_FILE or FCM_SERVICE_ACCOUNT_JSON."
    )
if not (env("FCM_SERVICE_ACCOUNT_FILE", default="") or env("FCM_SERVICE_ACCOUNT_JSON", default="")):
    raise ImproperlyConfigured(
        "FCM_SERVICE_ACCOUNT_FILE or FCM_SERVICE_ACCOUNT_JSON must be set in production (the "
        "Firebase service account key; see the configuration table in README.md)."
    )

# HTTPS is terminated by nginx, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Health probes and Prometheus' scrape come over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^api/(v1/)?health/(live/)?$", r"^metrics$"]
# The staff console signs in with a session cookie: HTTPS only, out of scripts' reach, and not
# sent on cross-site posts.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Operations: JSON log lines for the log collector unless told otherwise; Sentry's environment.
LOG_FORMAT = env("LOG_FORMAT", default="json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use json or text.")
LOGGING = {
    **LOGGING,
    "handlers": {
        **LOGGING["handlers"],
        "console": {
            **LOGGING["handlers"]["console"],
            "formatter": "json" if LOG_FORMAT == "json" else "line",
        },
    },
}
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", default="production")
