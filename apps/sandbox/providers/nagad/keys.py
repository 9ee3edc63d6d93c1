"""The sandbox's two RSA-2048 pairs: the merchant's (ours) and "Nagad's" PG pair (GATEWAYS.md §2.8).

Never committed anywhere: generated on first use and kept, mode 0600, in
``settings.VAR_DIR / "sandbox" / "nagad_keys.json"`` so that separate processes (web, worker) share
them. The client takes the merchant private key and the PG public key from here only when its own
settings are empty and its base URL is the sandbox host; the simulator always uses this store.
Tests install keys of their own with :func:`use_keys` (nothing touches the disk then).
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings

FILE_NAME = "nagad_keys.json"
_lock = threading.Lock()
_cached: SandboxKeys | None = None


@dataclass(frozen=True)
class SandboxKeys:
    """PEM strings. ``merchant_*`` is our pair; ``nagad_*`` is the simulated PG's pair."""

    merchant_private: str
    merchant_public: str
    nagad_private: str
    nagad_public: str

    def __repr__(self) -> str:  # keeps private keys out of tracebacks and debug output
        return "<SandboxKeys>"


def _pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def generate_keys() -> SandboxKeys:
    merchant_private, merchant_public = _pair()
    nagad_private, nagad_public = _pair()
    return SandboxKeys(merchant_private, merchant_public, nagad_private, nagad_public)


def _path() -> Path:
    return Path(settings.VAR_DIR) / "sandbox" / FILE_NAME


def _read(path: Path) -> SandboxKeys | None:
    try:
        return SandboxKeys(**json.loads(path.read_text()))
    except (OSError, ValueError, TypeError):
        return None


def _load_or_create() -> SandboxKeys:
    path = _path()
    keys = _read(path)
    if keys is not None:
        return keys
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = generate_keys()
    temp = path.with_name(f".{FILE_NAME}.{os.getpid()}.{threading.get_ident()}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(keys.__dict__, handle)
    try:
        os.link(temp, path)  # atomic, and fails if another process got there first
    except FileExistsError:
        keys = _read(path) or keys
    finally:
        temp.unlink(missing_ok=True)
    return keys


def sandbox_keys() -> SandboxKeys:
    """The key set in use: installed by a test, else generated once and persisted."""
    global _cached
    with _lock:
        if _cached is None:
            _cached = _load_or_create()
        return _cached


@contextlib.contextmanager
def use_keys(keys: SandboxKeys) -> Iterator[SandboxKeys]:
    """Install ``keys`` for the duration (tests)."""
    global _cached
    with _lock:
        previous, _cached = _cached, keys
    try:
        yield keys
    finally:
        with _lock:
            _cached = previous
