"""Refunds the provider left processing: the follow-up job settles each once, and the payer hears
how a refund ended. SSLCommerz refunds (Rocket, Upay) always start out processing; the
simulator's paisa knobs (.10 slow, .11 cancelled by the bank, .12 answer lost) steer the rest."""

from decimal import Decimal

import pytest
from django.db import connection

from apps.notifications.models import Notification
from apps.payments import tasks
from apps.payments.models import PayableService, Payment, PaymentLog, Refund
from apps.payments.services import refunds_follow_up
from apps.sandbox.models import SandboxPayment, SandboxSms
from core.testing import in_threads

from .test_refunds import ask

pytestmark = pytest.mark.django_db


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
def follow_up(django_capture_on_commit_callbacks):
    """Run the job the way a worker does: its after-commit sends (SMS) happen."""

    def run() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return refunds_follow_up()

    return run


def state(payment: Payment, *, provider: bool = True) -> dict:
    """Everything a follow-up could change, for "nothing changed" assertions."""
    ours = {
        "payment": Payment.objects.filter(pk=payment.pk).values().get(),
        "refunds": list(Refund.objects.filter(payment=payment).order_by("created_at").values()),
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

    assert follow_up() == 0  # the provider still says processing: nothing to record
    assert state(payment, provider=False) == before

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

    assert state(payment) == before
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

    assert state(refund.payment) == before


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
def test_two_workers_following_up_at_once_count_a_refund_once(wards, paid, api_as, super_admin):
    assert connection.vendor == "postgresql"
    # Transactional tests flush tables, the migration-seeded catalogue included.
    PayableService.objects.update_or_create(
        code="waste_collection_fee",
        defaults={"name_bn": "বর্জ্য সংগ্রহ ফি", "name_en": "Waste collection fee"},
    )
    payment = paid(method="rocket", amount="150.10")
    refund_id = ask(api_as(super_admin), payment).json()["id"]
    assert refunds_follow_up() == 0  # knob .10: the first answer is "processing"

    results = in_threads(2, refunds_follow_up)

    assert sorted(results) == [0, 1]
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == ("refunded", Decimal("150.10"))
    assert Refund.objects.get(pk=refund_id).status == "completed"
    assert PaymentLog.objects.filter(payment=payment, event="refunded").count() == 1
    assert Notification.objects.filter(kind="refund.completed").count() == 1
