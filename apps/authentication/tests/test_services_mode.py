"""PostgreSQL/Redis-only checks (make test-services): row locks under concurrency, a real worker."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from apps.authentication.models import OtpPurpose, OTPVerification
from apps.authentication.services import otp_consume, otp_issue
from apps.sandbox.models import SandboxSms
from apps.users.tests.factories import UserFactory
from core.crypto import seal
from core.exceptions import ValidationFailed
from core.testing import in_threads

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _needs_postgresql():
    assert connection.vendor == "postgresql", "make test-services runs these against PostgreSQL"


def issued_code(user) -> str:
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        otp_issue(user=user, purpose=OtpPurpose.REGISTRATION)
    text = SandboxSms.objects.filter(phone=user.phone).latest("created_at").text
    return next(
        word for word in text.replace("।", " ").split() if word.isdigit() and len(word) == 6
    )


def test_concurrent_wrong_guesses_are_all_counted_and_the_fifth_kills(db):
    user = UserFactory(is_verified=False)
    code = issued_code(user)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    results = in_threads(
        8, lambda: otp_consume(user=user, purpose=OtpPurpose.REGISTRATION, code=wrong)
    )

    assert all(isinstance(r, ValidationFailed) for r in results)
    otp = OTPVerification.objects.get(phone=user.phone)
    assert otp.attempts == 5  # no lost updates; guesses after the fifth meet a dead code
    assert otp.is_void
    with pytest.raises(ValidationFailed):
        otp_consume(user=user, purpose=OtpPurpose.REGISTRATION, code=code)


def test_one_code_verifies_exactly_once_under_concurrency(db):
    user = UserFactory(is_verified=False)
    code = issued_code(user)

    results = in_threads(
        6, lambda: otp_consume(user=user, purpose=OtpPurpose.REGISTRATION, code=code)
    )

    successes = [r for r in results if isinstance(r, OTPVerification)]
    assert len(successes) == 1
    assert all(isinstance(r, ValidationFailed) for r in results if r not in successes)


def test_a_real_celery_worker_delivers_the_sms_over_redis(db, monkeypatch):
    """The SMS task crosses a real Redis broker to a separate worker process and lands once."""
    from apps.notifications.tasks import sms_deliver
    from clean_care.celery import app

    broker = settings.REDIS_URL
    queue = f"cc-test-{uuid.uuid4().hex[:8]}"
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clean_care.settings.test",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "CELERY_BROKER_URL": broker,
    }
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "clean_care",
            "worker",
            "--pool",
            "solo",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        monkeypatch.setitem(app.conf, "task_always_eager", False)
        phone = "+8801712000999"
        sealed = seal("Clean Care test 123456")
        with app.connection_for_write(broker) as conn:
            for _ in range(2):  # a duplicate delivery of the same text must not send twice
                sms_deliver.apply_async(
                    kwargs={
                        "phone": phone,
                        "sealed_text": sealed,
                        "csms_id": "svc-test-0001",
                    },
                    queue=queue,
                    connection=conn,
                )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not SandboxSms.objects.filter(phone=phone).exists():
            time.sleep(0.2)
        time.sleep(1.0)  # give the duplicate time to (not) land
        assert SandboxSms.objects.filter(phone=phone).count() == 1
        assert SandboxSms.objects.get(phone=phone).csms_id == "svc-test-0001"
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_a_refresh_token_rotates_exactly_once_under_concurrency(db):
    from apps.authentication.services import auth_refresh, tokens_for_user

    refresh = tokens_for_user(UserFactory())["refresh"]

    results = in_threads(6, lambda: auth_refresh(raw_refresh=refresh))

    assert sum(isinstance(r, dict) for r in results) == 1
    assert all(
        getattr(r, "code", None) == "token_not_valid" for r in results if not isinstance(r, dict)
    )


def test_simultaneous_registrations_answer_201_once_and_never_500(db):
    from rest_framework.test import APIClient

    def sign_up(phone, email):
        body = {
            "name": "Same Person",
            "phone": phone,
            "password": "Dhaka-city-2026",
            "email": email,
        }
        return APIClient().post("/api/v1/auth/register/", body, format="json").status_code

    calls = iter([lambda n=n: sign_up(f"0181234500{n}", "one@example.com") for n in range(4)])
    same_email = in_threads(4, lambda: next(calls)())
    assert sorted(same_email) == [201, 400, 400, 400], same_email

    same_phone = in_threads(4, lambda: sign_up("01812345099", None))
    assert same_phone.count(201) == 1, same_phone
    assert set(same_phone) <= {201, 400, 429}, same_phone
