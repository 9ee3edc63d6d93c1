"""Short-lived secrets in transit (e.g. an OTP text in a broker message), sealed with SECRET_KEY.

Fernet (AES-128-CBC + HMAC) with a key derived from SECRET_KEY: web and worker share the key, the
broker and its files only ever see ciphertext.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

__all__ = ["InvalidToken", "seal", "unseal"]


def _fernet() -> Fernet:
    digest = hashlib.sha256(f"clean_care.seal:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def unseal(token: str, *, max_age_seconds: int | None = None) -> str:
    """Raises InvalidToken when tampered with, sealed under another key, or older than max_age."""
    return _fernet().decrypt(token.encode(), ttl=max_age_seconds).decode()
