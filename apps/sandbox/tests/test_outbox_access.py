"""The outboxes are a developer's tool on their own machine, not a door to every account (8.4)."""

import logging
import threading
import time

import pytest
from django.db import connection

from apps.authentication.services import otp_issue
from apps.sandbox.models import SandboxSms
from apps.sandbox.sms import code_in
from apps.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PHONE = "+8801712345678"
OUTBOXES = ["/sandbox/sms/outbox/?phone=01712345678", f"/sandbox/push/outbox/?user={'1' * 32}"]


@pytest.mark.parametrize("url", OUTBOXES)
def test_the_outboxes_answer_this_machine(client, url):
    assert client.get(url, REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get(url, REMOTE_ADDR="::1").status_code == 200


@pytest.mark.parametrize("url", OUTBOXES)
@pytest.mark.parametrize(
    "origin",
    [
        {"REMOTE_ADDR": "203.0.113.9"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},  # through nginx
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_FORWARDED": "for=203.0.113.9"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "203.0.113.9"},
    ],
)
def test_the_outboxes_refuse_anyone_else(client, url, origin):
    response = client.get(url, **origin)
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "permission_denied"
    assert "SANDBOX_OUTBOX_PUBLIC" in body["error"]


@pytest.mark.parametrize("url", OUTBOXES)
def test_a_public_outbox_is_a_choice_made_in_settings(client, settings, url):
    settings.SANDBOX_OUTBOX_PUBLIC = True
    assert client.get(url, REMOTE_ADDR="203.0.113.9").status_code == 200


def test_the_password_reset_reproduction_no_longer_works_from_outside(client, api):
    user = UserFactory(phone=PHONE)
    api.post("/api/v1/auth/password-reset/", {"phone": "01712345678"}, format="json")
    assert SandboxSms.objects.filter(phone=user.phone).exists()
    outside = client.get("/sandbox/sms/outbox/?phone=01712345678", REMOTE_ADDR="198.51.100.7")
    assert outside.status_code == 403
    assert "results" not in outside.json()


def test_the_sandbox_sms_log_masks_the_phone_and_never_holds_the_text(
    caplog, django_capture_on_commit_callbacks
):
    user = UserFactory(phone=PHONE)
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        otp_issue(user=user, purpose="login")
    code = code_in(SandboxSms.objects.get().text)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "sms sent" in logged
    assert "1712345678" not in logged
    assert code not in logged


def test_latest_code_is_the_newest_texts_code(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        otp_issue(user=UserFactory(phone=PHONE), purpose="login")
    body = client.get("/sandbox/sms/outbox/?phone=01712345678").json()
    assert body["latest_code"] is not None
    assert body["latest_code"] in body["results"][0]["text"]
    assert client.get("/sandbox/sms/outbox/?phone=01799999999").json()["latest_code"] is None


@pytest.mark.parametrize("wait", ["-1", "11", "soon", "2.5"])
def test_a_bad_wait_is_a_clear_400(client, wait):
    response = client.get(f"/sandbox/sms/outbox/?phone=01712345678&wait={wait}")
    assert response.status_code == 400
    assert response.json()["details"]["wait"]


@pytest.mark.django_db(transaction=True)
def test_wait_holds_the_read_until_a_queued_code_arrives(client, monkeypatch):
    from apps.notifications.tasks import sms_deliver

    queued = []
    monkeypatch.setattr(sms_deliver, "delay", lambda **kwargs: queued.append(kwargs))
    otp_issue(user=UserFactory(phone=PHONE), purpose="login")
    assert queued
    assert not SandboxSms.objects.exists()  # issued, its SMS still on its way

    def worker():  # the Celery worker, a little later
        time.sleep(0.5)
        sms_deliver.run(**queued[0])
        connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    body = client.get("/sandbox/sms/outbox/?phone=01712345678&wait=5").json()
    thread.join()

    assert body["count"] == 1  # read after the worker delivered it, not before
    assert body["latest_code"]


def test_wait_does_not_wait_when_nothing_is_on_its_way(client, monkeypatch):
    naps = []
    monkeypatch.setattr("apps.sandbox.views.time.sleep", naps.append)
    assert client.get("/sandbox/sms/outbox/?phone=01712345678&wait=5").json()["count"] == 0
    assert naps == []
