"""The Idempotency-Key mechanism: retries replay the first answer and create nothing new."""

import pytest

from apps.users.models import ActivityLog
from apps.users.tests.factories import UserFactory
from core.models import IdempotencyRecord

pytestmark = [pytest.mark.django_db, pytest.mark.urls("core.tests.urls")]

URL = "/api/v1/tests/echo/"


def post(client, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(URL, body, format="json", **headers)


def echo_rows():
    return ActivityLog.objects.filter(
        action="users.profile_updated"
    ).count()  # the echo view writes these


def test_retry_with_the_same_key_replays_the_first_answer(api_as, citizen):
    client = api_as(citizen)
    first = post(client, {"n": 1}, key="submit-123")
    second = post(client, {"n": 1}, key="submit-123")

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert echo_rows() == 1


def test_without_a_key_every_post_counts(api_as, citizen):
    client = api_as(citizen)
    post(client, {"n": 1})
    post(client, {"n": 1})
    assert echo_rows() == 2


def test_the_same_key_with_another_body_is_refused(api_as, citizen):
    client = api_as(citizen)
    post(client, {"n": 1}, key="k1")
    response = post(client, {"n": 2}, key="k1")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert echo_rows() == 1


def test_keys_belong_to_one_user(api_as, citizen):
    post(api_as(citizen), {"n": 1}, key="shared")
    response = post(api_as(UserFactory()), {"n": 1}, key="shared")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert echo_rows() == 2


def test_a_failed_attempt_frees_the_key(api_as, citizen):
    client = api_as(citizen)
    failed = post(client, {"n": 1, "fail": True}, key="k2")
    assert failed.status_code == 400
    assert not IdempotencyRecord.objects.exists()
    assert post(client, {"n": 1, "fail": True}, key="k2").status_code == 400
    assert echo_rows() == 0


def test_a_retry_while_the_first_runs_is_409(api_as, citizen):
    client = api_as(citizen)
    response = post(client, {"n": 5}, key="k3")
    record = IdempotencyRecord.objects.get(key="k3")
    record.status_code = None  # as if the first request were still running
    record.save()
    again = post(client, {"n": 5}, key="k3")
    assert again.status_code == 409
    assert again.json()["code"] == "idempotency_in_progress"
    assert response.status_code == 201
    assert echo_rows() == 1


@pytest.mark.parametrize("key", ["", " ", "x" * 65, "bad\nkey"])
def test_malformed_keys_are_400(api_as, citizen, key):
    response = post(api_as(citizen), {"n": 1}, key=key)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert echo_rows() == 0


def test_multipart_bodies_fingerprint_their_files(api_as, citizen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api_as(citizen)

    def send(content):
        upload = SimpleUploadedFile("a.txt", content)
        return client.post(
            URL, {"n": "1", "file": upload}, format="multipart", HTTP_IDEMPOTENCY_KEY="mp"
        )

    assert send(b"one").status_code == 201
    assert send(b"one").status_code == 201
    assert send(b"two").status_code == 409
    assert echo_rows() == 1


def test_expired_records_are_purged(api_as, citizen):
    from datetime import timedelta

    from django.utils import timezone

    from core.idempotency import idempotency_purge_expired

    post(api_as(citizen), {"n": 1}, key="old")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(days=2))
    assert idempotency_purge_expired() == 1
    again = post(api_as(citizen), {"n": 1}, key="old")
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert echo_rows() == 2


def test_answers_with_uuid_decimal_and_datetime_are_stored_and_replayed_as_sent(api_as, citizen):
    client = api_as(citizen)
    first = client.post("/api/v1/tests/typed/", {}, format="json", HTTP_IDEMPOTENCY_KEY="typed")
    second = client.post("/api/v1/tests/typed/", {}, format="json", HTTP_IDEMPOTENCY_KEY="typed")

    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()  # jsonb may reorder keys, never change values
    assert echo_rows() == 1


def test_a_failure_to_store_the_answer_frees_the_key(api_as, citizen, monkeypatch):
    from django.db import DatabaseError

    from core import idempotency

    def broken_finish(**kwargs):
        raise DatabaseError("disk full")

    client = api_as(citizen)
    with monkeypatch.context() as patch:
        patch.setattr(idempotency, "idempotency_finish", broken_finish)
        failed = post(client, {"n": 1}, key="k4")
    assert failed.status_code == 500
    assert not IdempotencyRecord.objects.exists()

    retried = post(client, {"n": 1}, key="k4")
    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried


def test_a_claim_abandoned_during_the_race_is_claimed_again(api_as, citizen, monkeypatch):
    """Our insert collides with another attempt that frees the key before we can read it."""
    other = IdempotencyRecord.objects.create(
        user=citizen, scope="tests.echo", key="k5", fingerprint="other-attempt"
    )
    manager = IdempotencyRecord.objects
    real_get = manager.get

    def get_after_the_other_attempt_abandons(*args, **kwargs):
        IdempotencyRecord.objects.filter(pk=other.pk).delete()
        return real_get(*args, **kwargs)

    monkeypatch.setattr(manager, "get", get_after_the_other_attempt_abandons)
    response = post(api_as(citizen), {"n": 1}, key="k5")

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    record = IdempotencyRecord.objects.get(key="k5")
    assert (record.status_code, record.response_body) == (201, response.json())
    assert echo_rows() == 1


def test_an_unfinished_claim_older_than_the_timeout_is_taken_over(api_as, citizen, settings):
    from datetime import timedelta

    from django.utils import timezone

    assert settings.IDEMPOTENCY_IN_PROGRESS_TIMEOUT.total_seconds() == 120
    client = api_as(citizen)
    post(client, {"n": 1}, key="k6")
    # As if the process handling it had died before storing its answer.
    IdempotencyRecord.objects.update(
        status_code=None,
        response_body=None,
        completed_at=None,
        created_at=timezone.now() - timedelta(seconds=119),
    )
    assert post(client, {"n": 1}, key="k6").json()["code"] == "idempotency_in_progress"

    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(seconds=121))
    response = post(client, {"n": 1}, key="k6")

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    record = IdempotencyRecord.objects.get(key="k6")
    assert (record.status_code, record.response_body) == (201, response.json())
    assert echo_rows() == 2
    assert post(client, {"n": 1}, key="k6")["Idempotent-Replayed"] == "true"
    assert echo_rows() == 2
