"""Models of cross-cutting mechanisms: idempotent request records, signed-out access tokens,
heartbeats of the periodic work."""

from django.conf import settings
from django.db import models
from rest_framework.utils.encoders import JSONEncoder


class IdempotencyRecord(models.Model):
    """The first answer to a POST sent with an Idempotency-Key, replayed to retries of it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=100)
    key = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    # DRF's renderer encoder: a stored UUID, Decimal or datetime replays exactly as first sent.
    response_body = models.JSONField(null=True, blank=True, encoder=JSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "idempotency_records"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scope", "key"], name="idempotency_unique_key_per_user"
            )
        ]
        indexes = [models.Index(fields=["created_at"], name="idx_idempotency_created_at")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class RevokedAccessToken(models.Model):
    """An access token signed out before its expiry: refused until ``expires_at``, then purged.

    The durable record behind core.authentication's cache fast path: a restart or a cache
    eviction must not bring a signed-out session back to life.
    """

    jti = models.CharField(max_length=64, primary_key=True)
    expires_at = models.DateTimeField(db_index=True)
    revoked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "revoked_access_tokens"

    def __str__(self) -> str:
        return self.jti


class Heartbeat(models.Model):
    """The last time a periodic process proved it runs: ``beat`` when beat last sent its
    heartbeat task, ``worker`` when a worker last ran it (core.tasks).

    Kept in the database because every process reads it: in embedded mode each process has its
    own in-memory cache, and /api/health/ runs in the web process, not in beat or the worker.
    """

    name = models.CharField(max_length=50, primary_key=True)
    beat_at = models.DateTimeField()

    class Meta:
        db_table = "heartbeats"

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
