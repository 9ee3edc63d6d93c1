"""API key material: how a key is made, what is stored (its SHA-256) and what is shown."""

import hashlib
import secrets

KEY_PREFIX = "o311_"
VISIBLE_CHARS = 12  # "o311_" + 7 random characters: enough to tell keys apart, useless to guess


def api_key_generate() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def api_key_digest(raw: str) -> str:
    """A fast hash is enough here: the key is 256 random bits, not a password a person chose."""
    return hashlib.sha256(raw.encode()).hexdigest()


def api_key_visible_part(raw: str) -> str:
    return raw[:VISIBLE_CHARS]
