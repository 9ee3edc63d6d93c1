"""Refunds the provider left processing: the follow-up job settles each once, and the payer hears
how a refund ended. SSLCommerz refunds (Rocket, Upay) always start out processing; the
simulator's paisa knobs (.10 slow, .11 cancelled by the bank, .12 answer lost) steer the rest.
A bKash refund is left processing when bKash answers the refund call with an error
(``late_bkash``)."""

import logging
from datetime import timedelta
from decimal import Decimal
from importlib import import_module

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from apps.notifications.models import Notification
from apps.payments import tasks
from apps.payments.models import PayableService, Payment, PaymentLog, Refund
from apps.payments.services import refunds_follow_up
from apps.sandbox.models import SandboxPayment, SandboxSms
from core.testing import in_threads

from .test_refunds import ask

pytestmark = pytest.mark.django_db

# The simulator's module (the package exports its ``api`` function under the same name).
bkash_api = import_module("apps.sandbox.providers.bkash.api")


@pytest.fixture
def processing(paid, api_as, super_admin):
    """A Rocket payment (SSLCommerz) a super admin has refunded in full: left processing."""

    def make(amount="150.00"):
        payment = paid(method="rocket", amount=amount)
        answer = ask(api_as(super_admin), payment)
        assert answer.status_code == 201, answer.content
        assert answer.json()["status"] == "processing"
        return Refund.objects.get(pk=answer.json()["id"])

    return make


@pytest.fixture
def late_bkash(monkeypatch):
    """bKash takes refund requests but answers HTTP 503 (``hold``), and makes them only when
    told to (``catch_up``): a refund whose outcome we could not know, listed by bKash later."""

    class LateBkash:
        def __init__(self):
            self.held: list[dict] = []
            self.real = bkash_api.refund

        def hold(self):
            def refund(body: dict):
                self.held.append(body)
                return 503, {"message": "Service Unavailable"}

            monkeypatch.setattr(bkash_api, "refund", refund)

        def catch_up(self):
            for body in self.held:
                assert self.real(body)[1]["statusCode"] == "0000"

    return LateBkash()


@pytest.fixture
def follow_up(django_capture_on_commit_callbacks, settings):
    """Run the job the way a worker does (its after-commit sends, SMS, happen) at ``at``, or
    ``later`` from now: by default once the refunds are old enough to be asked about."""

    def run(*, at=None, later=None, batch: int = 200) -> int:
        if at is None:
            at = timezone.now() + (settings.REFUND_FOLLOW_UP_AFTER if later is None else later)
        with django_capture_on_commit_callbacks(execute=True):
            return refunds_follow_up(now=at, batch=batch)

    return run


def still_processing(refund: Refund, **answer) -> tuple[str, dict]:
    """The payment log row of an unsure follow-up answer."""
    return (
        "refund_still_processing",
        {"refund": str(refund.pk), **answer, "source": "follow_up"},
    )


def trail(refund: Refund, event: str) -> list[dict]:
    logged = PaymentLog.objects.filter(payment_id=refund.payment_id, event=event)
    return list(logged.values_list("detail", flat=True))


def state(payment: Payment, *, provider: bool = True) -> dict:
    """Everything a follow-up could change, for "nothing changed" assertions. Not a refund's
    updated_at: an unsure answer touches it on purpose, so that others are asked first."""
    refunds = Refund.objects.filter(payment=payment).order_by("created_at")
    ours = {
        "payment": Payment.objects.filter(pk=payment.pk).values().get(),
        "refunds": [
            {k: v for k, v in row.items() if k != "updated_at"} for row in refunds.values()
        ],
        "log": list(PaymentLog.objects.filter(payment=payment).values_list("event", "detail")),
        "notifications": list(Notification.objects.values_list("kind", "dedupe_key", "body")),
        "sms": list(SandboxSms.objects.values_list("text", flat=True)),
    }
    if provider:  # the refunds as SSLCommerz holds them
        ours["provider"] = SandboxPayment.objects.get(our_reference=payment.transaction_id).refunds
    return ours


def test_a_slow_sslcommerz_refund_is_completed_by_the_follow_up(processing, follow_up, citizen):
    refund = processing(amount="150.10")  # knob .10: "processing" once, then "refunded"
    payment = refund.payment
    assert refund.provider_refund_id  # SSLCommerz's refund_ref_id, what the follow-up asks by
    before = state(payment, provider=False)

    assert follow_up() == 0  # the provider still says processing: only its answer is logged
    assert state(payment, provider=False) == {
        **before,
        "log": [*before["log"], still_processing(refund, state="pending")],
    }

    assert follow_up() == 1
    refund.refresh_from_db()
    payment.refresh_from_db()
    assert (refund.status, refund.failure_reason) == ("completed", None)
    assert refund.completed_at is not None
    assert (payment.status, payment.refunded_amount) == ("refunded", Decimal("150.10"))
    logged = PaymentLog.objects.filter(payment=payment, event="refunded")
    assert list(logged.values_list("from_status", "to_status", "detail")) == [
        (
            "completed",
            "refunded",
            {"refund": str(refund.pk), "amount": "150.10", "source": "follow_up"},
        )
    ]
    told = Notification.objects.get(kind="refund.completed")
    assert told.user == citizen
    assert told.dedupe_key == f"refund:{refund.pk}:completed"
    assert told.title == "টাকা ফেরত দেওয়া হয়েছে"  # the citizen reads Bengali
    assert told.body == f"আপনার পেমেন্টের 150.10 টাকা ফেরত দেওয়া হয়েছে। রেফ: {payment.transaction_id}"
    assert told.data == {
        "payment_id": str(payment.pk),
        "refund_id": str(refund.pk),
        "status": "completed",
    }
    assert SandboxSms.objects.filter(text__startswith="টাকা ফেরত দেওয়া হয়েছে").count() == 1


def test_running_the_follow_up_twice_changes_nothing_the_second_time(processing, follow_up):
    refund = processing()
    payment = refund.payment

    assert follow_up() == 1
    after_first = state(payment)
    assert follow_up() == 0

    assert state(payment) == after_first
    assert after_first["payment"]["status"] == "refunded"
    assert [event for event, _ in after_first["log"]].count("refunded") == 1
    assert [kind for kind, *_ in after_first["notifications"]].count("refund.completed") == 1


def test_a_refund_the_bank_cancels_later_fails_and_changes_nothing_else(processing, follow_up):
    refund = processing(amount="150.11")  # knob .11: the refund status answers "cancelled"
    payment = refund.payment
    before = state(payment)

    assert follow_up() == 1

    refund.refresh_from_db()
    assert (refund.status, refund.failure_reason) == ("failed", "Refund cancelled by the bank")
    assert refund.completed_at is None
    after = state(payment)
    assert after["payment"] == before["payment"]  # still completed, nothing refunded
    assert after["payment"]["refunded_amount"] == Decimal("0.00")
    assert after["log"] == [
        *before["log"],
        ("refund_refused", {"refund": str(refund.pk), "source": "follow_up"}),
    ]
    told = Notification.objects.get(kind="refund.failed")
    assert told.body == (f"আপনার 150.11 টাকা ফেরত দেওয়া সম্ভব হয়নি। রেফ: {payment.transaction_id}")
    assert len(after["sms"]) == len(before["sms"]) + 1
    assert follow_up() == 0
    assert state(payment) == after


def test_a_refund_whose_answer_was_lost_stays_processing(processing, follow_up):
    # Knob .12: SSLCommerz made the refund but its answer never arrived, so we hold no
    # refund_ref_id and SSLCommerz cannot be asked: unknown, never failed, left for a human.
    refund = processing(amount="150.12")
    payment = refund.payment
    assert refund.provider_refund_id is None
    before = state(payment)

    assert follow_up() == 0
    assert follow_up() == 0

    # Asked both times; the unsure answer is logged once (at most once a day).
    lost = still_processing(refund, state="unknown", reason="no_refund_ref_id")
    assert state(payment) == {**before, "log": [*before["log"], lost]}
    refund.refresh_from_db()
    assert refund.status == "processing"
    assert not Notification.objects.filter(kind__startswith="refund.").exists()


def test_a_provider_that_answers_nonsense_leaves_the_refund_processing(
    processing, follow_up, settings
):
    refund = processing()
    before = state(refund.payment)
    settings.SSLCOMMERZ_BASE_URL = "http://sandbox.invalid/sandbox/nowhere"  # 404, no APIConnect

    assert follow_up() == 0

    assert state(refund.payment) == {
        **before,
        "log": [*before["log"], still_processing(refund, state="unknown")],
    }


def test_the_payer_hears_a_refund_was_rejected(paid, api_as, citizen, super_admin):
    payment = paid()
    asked = ask(api_as(citizen), payment).json()
    decide = f"/api/v1/payments/refunds/{asked['id']}/reject/"

    rejected = api_as(super_admin).post(decide, {"reason": "Not eligible"}, format="json")
    again = api_as(super_admin).post(decide, {"reason": "Still not"}, format="json")

    assert (rejected.json()["status"], again.status_code) == ("rejected", 409)
    told = Notification.objects.get(kind__startswith="refund.")
    assert (told.user, told.kind, told.dedupe_key) == (
        citizen,
        "refund.rejected",
        f"refund:{asked['id']}:rejected",
    )
    assert told.title == "টাকা ফেরতের আবেদন নাকচ"
    assert told.body == (f"আপনার 150.00 টাকা ফেরতের আবেদন নাকচ করা হয়েছে। রেফ: {payment.transaction_id}")
    assert SandboxSms.objects.filter(text__startswith="টাকা ফেরতের আবেদন নাকচ").count() == 1


def test_the_task_runs_the_follow_up_and_beat_runs_it_every_ten_minutes(processing, settings):
    refund = processing()
    assert tasks.refunds_follow_up.delay().get() == 0  # it went processing just now: not yet
    Refund.objects.filter(pk=refund.pk).update(
        updated_at=F("updated_at") - settings.REFUND_FOLLOW_UP_AFTER
    )

    assert tasks.refunds_follow_up.delay().get() == 1

    refund.refresh_from_db()
    assert refund.status == "completed"
    entry = next(
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == tasks.refunds_follow_up.name
    )
    assert entry["schedule"].total_seconds() == 600


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_workers_following_up_at_once_count_a_refund_once(
    wards, paid, api_as, super_admin, settings
):
    assert connection.vendor == "postgresql"
    # Transactional tests flush tables, the migration-seeded catalogue included.
    PayableService.objects.update_or_create(
        code="waste_collection_fee",
        defaults={"name_bn": "বর্জ্য সংগ্রহ ফি", "name_en": "Waste collection fee"},
    )
    payment = paid(method="rocket", amount="150.10")
    refund_id = ask(api_as(super_admin), payment).json()["id"]
    later = timezone.now() + settings.REFUND_FOLLOW_UP_AFTER
    assert refunds_follow_up(now=later) == 0  # knob .10: the first answer is "processing"

    later = timezone.now() + settings.REFUND_FOLLOW_UP_AFTER
    results = in_threads(2, lambda: refunds_follow_up(now=later))

    assert sorted(results) == [0, 1]
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == ("refunded", Decimal("150.10"))
    assert Refund.objects.get(pk=refund_id).status == "completed"
    assert PaymentLog.objects.filter(payment=payment, event="refunded").count() == 1
    assert Notification.objects.filter(kind="refund.completed").count() == 1


def test_a_bkash_refund_bkash_makes_late_is_completed_once_bkash_lists_it(
    paid, api_as, super_admin, follow_up, late_bkash
):
    payment = paid(method="bkash")
    admin = api_as(super_admin)
    first = ask(admin, payment, amount="50.00").json()
    assert first["status"] == "completed"
    late_bkash.hold()
    asked = ask(admin, payment, amount="100.00")
    assert (asked.status_code, asked.json()["status"]) == (201, "processing")  # bKash said 503
    refund = Refund.objects.get(pk=asked.json()["id"])

    # bKash lists the first refund only: ours is not there yet, which is not "failed".
    assert follow_up() == 0
    refund.refresh_from_db()
    assert (refund.status, refund.completed_at) == ("processing", None)
    assert trail(refund, "refund_still_processing") == [
        still_processing(refund, state="unknown", reason="no such refund")[1]
    ]
    # Still under way, so nothing of it can be asked for a second time.
    assert ask(admin, payment, amount="0.01").status_code == 400
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == ("completed", Decimal("50.00"))

    late_bkash.catch_up()  # bKash makes the refund and lists it
    assert follow_up() == 1

    refund.refresh_from_db()
    payment.refresh_from_db()
    made = SandboxPayment.objects.get(provider_ref=payment.gateway_transaction_id).refunds
    assert [r["amount"] for r in made] == ["50.00", "100.00"]  # bKash refunded each once
    assert (refund.status, refund.provider_refund_id) == ("completed", made[1]["refundTrxID"])
    assert (payment.status, payment.refunded_amount) == ("refunded", Decimal("150.00"))
    assert trail(refund, "refunded")[-1] == {
        "refund": str(refund.pk),
        "amount": "100.00",
        "source": "follow_up",
    }
    assert follow_up() == 0


def test_an_unreachable_provider_is_logged_with_its_error_code(
    paid, api_as, super_admin, follow_up, late_bkash, settings
):
    payment = paid(method="bkash")
    late_bkash.hold()
    refund = Refund.objects.get(pk=ask(api_as(super_admin), payment).json()["id"])
    before = state(payment, provider=False)
    settings.BKASH_BASE_URL = "http://sandbox.invalid/sandbox/nowhere"  # HTTP 404

    assert follow_up() == 0

    assert state(payment, provider=False) == {
        **before,
        "log": [*before["log"], still_processing(refund, code="http_404")],
    }


def test_a_refund_is_not_asked_before_refund_follow_up_after(processing, follow_up, settings):
    refund = processing()  # settles at the first ask
    before = state(refund.payment)
    due = refund.updated_at + settings.REFUND_FOLLOW_UP_AFTER

    assert refunds_follow_up() == 0  # the beat running seconds after it went processing
    assert follow_up(at=due - timedelta(seconds=1)) == 0

    assert state(refund.payment) == before
    assert Refund.objects.get(pk=refund.pk).updated_at == refund.updated_at
    assert follow_up(at=due) == 1
    assert Refund.objects.get(pk=refund.pk).status == "completed"


def test_a_refund_that_never_settles_is_asked_after_the_others(processing, follow_up):
    stuck = processing(amount="150.12")  # answer lost: it never settles
    newer = processing()  # settles at the first ask

    assert follow_up(batch=1) == 0  # the least recently asked first: the stuck one
    assert follow_up(batch=1) == 1  # then the newer one, not the stuck one again

    assert Refund.objects.get(pk=newer.pk).status == "completed"
    stuck_now = Refund.objects.get(pk=stuck.pk)
    assert stuck_now.status == "processing"
    assert stuck_now.updated_at > stuck.updated_at  # touched: to the back of the queue
    assert len(trail(stuck, "refund_still_processing")) == 1


def test_an_unsure_answer_is_logged_once_a_day(processing, follow_up):
    refund = processing(amount="150.12")  # answer lost: unknown at every ask
    lost = still_processing(refund, state="unknown", reason="no_refund_ref_id")[1]

    assert follow_up() == 0
    assert follow_up(later=timedelta(hours=23)) == 0
    assert trail(refund, "refund_still_processing") == [lost]

    assert follow_up(later=timedelta(hours=24, minutes=1)) == 0
    assert trail(refund, "refund_still_processing") == [lost, lost]
    assert Refund.objects.get(pk=refund.pk).status == "processing"


def test_a_refund_processing_for_three_days_is_reported_stuck_once(processing, follow_up, caplog):
    refund = processing(amount="150.12")  # answer lost: unknown at every ask

    assert follow_up(later=timedelta(days=3) - timedelta(minutes=1)) == 0
    assert trail(refund, "refund_stuck") == []

    with caplog.at_level(logging.ERROR, logger="apps.payments.services"):
        assert follow_up(later=timedelta(days=3, minutes=1)) == 0
        assert follow_up(later=timedelta(days=4)) == 0  # still asked, not reported again

    assert trail(refund, "refund_stuck") == [{"refund": str(refund.pk)}]
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert str(refund.pk) in errors[0].getMessage()
    assert len(trail(refund, "refund_still_processing")) == 3  # asked every time
    assert Refund.objects.get(pk=refund.pk).status == "processing"


def test_a_refund_approved_days_after_it_was_asked_is_not_stuck_at_once(processing, follow_up):
    refund = processing(amount="150.12")
    # It waited five days for a super admin; it has been processing for minutes only.
    Refund.objects.filter(pk=refund.pk).update(created_at=F("created_at") - timedelta(days=5))

    assert follow_up() == 0

    assert trail(refund, "refund_stuck") == []
