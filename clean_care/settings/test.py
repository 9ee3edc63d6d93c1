"""Test settings: embedded defaults (services when DATABASE_URL/REDIS_URL are set), eager Celery."""

import tempfile

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK, STORAGES, env
from .simulators import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key-that-is-long-enough-for-hs256-signing-0123456789"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
ACCOUNT_CACHE_SECONDS = 300  # one process: its memory cache is shared by everything under test
LIST_CACHE_SECONDS = 120  # the same: pages are kept, so a write that fails to retire one shows
HEALTH_REQUIRES_BEAT = False  # no beat runs under pytest; the health tests switch it on
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://localhost/")
MEDIA_ROOT = tempfile.mkdtemp(prefix="cleancare-test-media-")
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="cleancare-test-private-")
STORAGES = {
    **STORAGES,
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": "/no-public-url/"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SMS_BACKEND = "sandbox"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": 0}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# On PostgreSQL the suite runs as DATABASE_APP_ROLE (row-level security), switched by conftest.py
# once the test database is migrated; importing asgi.py earlier must not switch it.
DATABASE_APP_ROLE_AT_START = False
