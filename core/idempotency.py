"""Idempotency-Key support for POST endpoints: a retried request gets the first answer, no new rows.

Mobile networks drop responses; the client then retries with the same ``Idempotency-Key``. The
first successful (2xx) answer is stored per (user, scope, key) and replayed with the header
``Idempotent-Replayed: true``. A failed attempt frees the key so the client can try again. The
same key with a different body is refused (409 ``idempotency_key_reused``); a retry that arrives
while the first attempt still runs gets 409 ``idempotency_in_progress``, unless that attempt has
been unfinished for longer than IDEMPOTENCY_IN_PROGRESS_TIMEOUT: its process most likely died, and
the retry takes the key over.

Use it on a DRF view method::

    @idempotent(scope="complaints.create")
    def post(self, request): ...
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response

from .exceptions import Conflict, ErrorCode, ValidationFailed
from .models import IdempotencyRecord

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 64


def request_fingerprint(request) -> str:
    """A digest of what the request asks for: its fields and the bytes of any files."""
    digest = hashlib.sha256()
    data = request.data
    fields = {}
    if hasattr(data, "lists"):
        for name, values in data.lists():
            if name not in request.FILES:
                fields[name] = [str(v) for v in values]
    elif isinstance(data, dict):
        fields = {k: v for k, v in data.items() if k not in request.FILES}
    else:
        fields = {"_": data}
    digest.update(json.dumps(fields, sort_keys=True, default=str).encode())
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            digest.update(f"|{name}|{upload.name}|{upload.size}|".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def _parse_key(request) -> str | None:
    raw = request.headers.get(HEADER)
    if raw is None:
        return None
    key = raw.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationFailed(
            _("The Idempotency-Key header must be 1 to 64 printable characters."),
            code=ErrorCode.INVALID_IDEMPOTENCY_KEY,
            details={HEADER: [_("1 to 64 printable characters.")]},
        )
    return key


def idempotency_begin(*, user, scope: str, key: str, fingerprint: str):
    """Claim the key. Returns ``(record, replay)``; ``replay`` is True when an answer is stored."""
    now = timezone.now()
    held = IdempotencyRecord.objects.filter(user=user, scope=scope, key=key)
    held.filter(created_at__lt=now - settings.IDEMPOTENCY_TTL).delete()
    # An answerless claim this old belongs to a process that died mid-request: take it over.
    held.filter(
        status_code__isnull=True, created_at__lt=now - settings.IDEMPOTENCY_IN_PROGRESS_TIMEOUT
    ).delete()
    record, claimed = _claim(user=user, scope=scope, key=key, fingerprint=fingerprint)
    if not claimed and record is None:
        # The attempt holding the key freed it between our insert and our read: try once more.
        record, claimed = _claim(user=user, scope=scope, key=key, fingerprint=fingerprint)
    if claimed:
        return record, False
    if record is not None and record.fingerprint != fingerprint:
        raise Conflict(
            _("This Idempotency-Key was already used for a different request."),
            code=ErrorCode.IDEMPOTENCY_KEY_REUSED,
        )
    if record is None or record.status_code is None:
        raise Conflict(
            _("A request with this Idempotency-Key is still being processed. Try again shortly."),
            code=ErrorCode.IDEMPOTENCY_IN_PROGRESS,
        )
    return record, True


def _claim(*, user, scope: str, key: str, fingerprint: str):
    """Insert our claim: ``(ours, True)``, else ``(holder, False)``; holder None: it just left."""
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                user=user, scope=scope, key=key, fingerprint=fingerprint
            )
    except IntegrityError:
        try:
            return IdempotencyRecord.objects.get(user=user, scope=scope, key=key), False
        except IdempotencyRecord.DoesNotExist:
            return None, False
    return record, True


def idempotency_finish(*, record: IdempotencyRecord, response: Response) -> None:
    """Store the answer on our claim; a claim taken over meanwhile is left to its new owner."""
    stored = IdempotencyRecord.objects.filter(pk=record.pk, status_code__isnull=True).update(
        status_code=response.status_code,
        response_body=response.data,
        completed_at=timezone.now(),
    )
    if not stored:
        logger.warning("idempotency claim %s was taken over before it finished", record)


def idempotency_abandon(*, record: IdempotencyRecord) -> None:
    IdempotencyRecord.objects.filter(pk=record.pk, status_code__isnull=True).delete()


def idempotent(*, scope: str) -> Callable:
    """Decorate a DRF view handler (``post``/``create``) so retries with the same key replay."""

    def decorator(handler):
        @functools.wraps(handler)
        def wrapper(view, request, *args, **kwargs):
            key = _parse_key(request)
            if key is None or not request.user.is_authenticated:
                return handler(view, request, *args, **kwargs)
            record, replay = idempotency_begin(
                user=request.user, scope=scope, key=key, fingerprint=request_fingerprint(request)
            )
            if replay:
                return Response(
                    record.response_body,
                    status=record.status_code,
                    headers={REPLAY_HEADER: "true"},
                )
            try:
                response = handler(view, request, *args, **kwargs)
                if 200 <= response.status_code < 300:
                    idempotency_finish(record=record, response=response)
                else:
                    idempotency_abandon(record=record)
            except BaseException:
                # Whatever failed, handler or storing its answer, the key must not stay claimed.
                idempotency_abandon(record=record)
                raise
            return response

        return wrapper

    return decorator


def idempotency_purge_expired() -> int:
    """Delete records older than IDEMPOTENCY_TTL; returns how many went."""
    cutoff = timezone.now() - settings.IDEMPOTENCY_TTL
    deleted, _detail = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
