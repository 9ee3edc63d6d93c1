"""The simulator's own IPN signer, written from GATEWAYS.md §3.4 as SSLCommerz's PHP does it.

Deliberately not our client's verifier: a simulator that signed with the code under test would
agree with any bug in it. This follows the PHP library step by step instead (``isset`` filter,
``ksort``, raw values joined with ``&``), and the known-answer test pins both to a literal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping


def _md5_hex(data: bytes) -> str:
    # SSLCommerz's algorithm (§3.4), not our choice of hash.
    return hashlib.new("md5", data, usedforsecurity=False).hexdigest()


def verify_sign(fields: Mapping[str, object], *, store_password: str) -> str:
    """``verify_sign`` for ``fields``, whose ``verify_key`` lists the signed field names."""
    signed: dict[str, str] = {}
    for name in str(fields["verify_key"]).split(","):
        value = fields.get(name)
        if name and value is not None:  # PHP isset(): absent and null fields are skipped
            signed[name] = str(value)
    signed["store_passwd"] = _md5_hex(store_password.encode())
    pairs = []
    for name in sorted(signed):  # ksort: byte order of the keys
        pairs.append(name + "=" + signed[name])
    return _md5_hex("&".join(pairs).encode())
