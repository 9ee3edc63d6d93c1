"""The push backend interface and the registry that picks one from settings."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

from core.backends import backend_load


@dataclass(frozen=True)
class PushReceipt:
    provider: str
    message_id: str | None = None  # FCM's message name, projects/<project>/messages/<id>


class PushError(Exception):
    """A send that failed.

    ``transient`` errors may succeed later (the task retries them); ``token_invalid`` means the
    device token is dead for good (uninstalled app, another project's token) and must not be
    used again. ``retry_after`` is the provider's own hint in seconds, when it gave one.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str,
        transient: bool,
        token_invalid: bool = False,
        retry_after: float | None = None,
    ):
        super().__init__(message)
        self.code = code
        self.transient = transient
        self.token_invalid = token_invalid
        self.retry_after = retry_after


class PushBackend(Protocol):
    name: str

    def send(self, *, token: str, title: str, body: str, data: dict[str, str]) -> PushReceipt: ...


def get_push_backend(name: str | None = None) -> PushBackend:
    """Instantiate the backend named by ``name`` or settings.PUSH_BACKEND."""
    return backend_load(
        settings.PUSH_BACKENDS, name or settings.PUSH_BACKEND, setting="PUSH_BACKEND"
    )


def token_ref(token: str) -> str:
    """What logs say instead of a device token: a short fingerprint that cannot be used to send."""
    return "tok_" + hashlib.sha256(token.encode()).hexdigest()[:12]
