"""Embedded/development settings: what `make run` uses when no environment is set."""

import secrets
from pathlib import Path

from .base import *  # noqa: F403
from .base import CELERY_BROKER_TRANSPORT_OPTIONS, SANDBOX_ENABLED, STORAGES, VAR_DIR, env

if SANDBOX_ENABLED:
    from .simulators import *  # noqa: F403

DEBUG = env.bool("DEBUG", default=True)
VAR_DIR.mkdir(parents=True, exist_ok=True)

# kombu's filesystem transport lists its folders without creating them; any process that sends a
# task (the server, a management command, a test) needs them to exist on a fresh clone.
for _folder in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
    if _folder in CELERY_BROKER_TRANSPORT_OPTIONS:
        Path(CELERY_BROKER_TRANSPORT_OPTIONS[_folder]).mkdir(parents=True, exist_ok=True)


def _local_secret_key() -> str:
    """A per-checkout key kept in var/, so tokens survive restarts but no key is committed."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY", default="") or _local_secret_key()
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
