"""Throwaway RSA keys and service accounts for FCM tests; generated per run, never committed."""

from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

TOKEN_URI = "http://testserver/sandbox/fcm/token"
FCM_BASE_URL = "http://testserver/sandbox/fcm"
PROJECT_ID = "clean-care-test"
CLIENT_EMAIL = "push@clean-care-test.iam.gserviceaccount.com"


@cache
def key_pair(name: str = "default") -> tuple[str, str]:
    """(private PEM, public PEM) of a 2048-bit key, made once per test run and ``name``."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private_pem, public_pem


def service_account(**overrides) -> dict:
    """A service account key file's fields, pointed at the sandbox token endpoint."""
    account = {
        "type": "service_account",
        "project_id": PROJECT_ID,
        "private_key_id": "test-key-1",
        "private_key": key_pair()[0],
        "client_email": CLIENT_EMAIL,
        "token_uri": TOKEN_URI,
    }
    return {**account, **overrides}
