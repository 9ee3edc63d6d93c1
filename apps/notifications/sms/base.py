"""The SMS backend interface and the registry that picks one from settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

from core.backends import backend_load


@dataclass(frozen=True)
class SmsMessage:
    """One text to one phone. ``csms_id`` is our stable id (≤20 chars) so a retry never re-sends."""

    phone: str  # E.164, +8801XXXXXXXXX
    text: str
    csms_id: str


@dataclass(frozen=True)
class SmsReceipt:
    provider: str
    reference: str | None = None
    duplicate: bool = False  # the provider had this csms_id already: sent before, not again


class SmsError(Exception):
    """A send that failed. ``transient`` errors are retried by the task; others are final."""

    def __init__(self, message: str, *, code: str, transient: bool):
        super().__init__(message)
        self.code = code
        self.transient = transient


class SmsBackend(Protocol):
    name: str

    def send(self, message: SmsMessage) -> SmsReceipt: ...


def get_sms_backend(name: str | None = None) -> SmsBackend:
    """Instantiate the backend named by ``name`` or settings.SMS_BACKEND."""
    return backend_load(settings.SMS_BACKENDS, name or settings.SMS_BACKEND, setting="SMS_BACKEND")
