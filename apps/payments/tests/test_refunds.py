"""Refunds: the payer asks, a super admin has the provider pay back (full or partial), once."""

from decimal import Decimal

import pytest

from apps.notifications.models import Notification
from apps.payments.models import Payment, PaymentLog, Refund
from apps.users.tests.factories import UserFactory

from .test_flow import start

pytestmark = pytest.mark.django_db


def ask(client, payment, amount=None, reason="Paid twice by mistake"):
    body = {"payment_id": str(payment.pk), "reason": reason}
    if amount is not None:
        body["amount"] = amount
    return client.post("/api/v1/payments/refund/", body, format="json")


def test_a_citizen_asks_and_a_super_admin_refunds_in_full(paid, api_as, citizen, super_admin):
    payment = paid()
    asked = ask(api_as(citizen), payment)
    assert asked.status_code == 201
    assert asked.json()["status"] == "requested"
    assert Decimal(asked.json()["amount"]) == Decimal("150.00")

    done = api_as(super_admin).post(f"/api/v1/payments/refunds/{asked.json()['id']}/approve/")
    assert done.status_code == 200
    assert done.json()["status"] == "completed"
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == ("refunded", Decimal("150.00"))
    again = api_as(super_admin).post(f"/api/v1/payments/refunds/{asked.json()['id']}/approve/")
    assert again.status_code == 409
    logged = PaymentLog.objects.filter(payment=payment, event="refunded")
    assert list(logged.values_list("detail", flat=True)) == [
        {"refund": asked.json()["id"], "amount": "150.00", "source": "execute"}
    ]
    told = Notification.objects.get(kind__startswith="refund.")
    assert (told.user, told.kind) == (citizen, "refund.completed")
    assert told.body == f"আপনার পেমেন্টের 150.00 টাকা ফেরত দেওয়া হয়েছে। রেফ: {payment.transaction_id}"


def test_partial_refunds_up_to_what_is_left(paid, api_as, citizen, super_admin):
    payment = paid()
    admin = api_as(super_admin)
    assert ask(admin, payment, amount="100.00").json()["status"] == "completed"
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == ("completed", Decimal("100.00"))
    too_much = ask(api_as(citizen), payment, amount="50.01")
    assert too_much.status_code == 400
    assert ask(admin, payment, amount="50.00").json()["status"] == "completed"
    payment.refresh_from_db()
    assert payment.status == "refunded"


def test_a_refund_the_provider_refuses_changes_nothing(paid, api_as, citizen, super_admin):
    payment = paid(method="rocket", amount="150.07")  # SSLCommerz knob .07: refund refused
    refund = ask(api_as(super_admin), payment)
    assert refund.json()["status"] == "failed"
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == ("completed", Decimal("0.00"))
    told = Notification.objects.get(kind__startswith="refund.")
    assert (told.user, told.kind) == (citizen, "refund.failed")
    assert told.dedupe_key == f"refund:{refund.json()['id']}:failed"


def test_who_may_ask_and_decide(paid, api_as, citizen, super_admin):
    payment = paid()
    assert ask(api_as(UserFactory()), payment).status_code == 404
    asked = ask(api_as(citizen), payment).json()
    assert (
        api_as(citizen).post(f"/api/v1/payments/refunds/{asked['id']}/approve/").status_code == 403
    )
    rejected = api_as(super_admin).post(
        f"/api/v1/payments/refunds/{asked['id']}/reject/", {"reason": "Not eligible"}, format="json"
    )
    assert rejected.json()["status"] == "rejected"
    assert Refund.objects.get().status == "rejected"
    assert api_as(citizen).get("/api/v1/payments/refunds/").json()["count"] == 1
    assert api_as(UserFactory()).get("/api/v1/payments/refunds/").json()["count"] == 0


def test_an_unpaid_payment_cannot_be_refunded(api_as, citizen):
    body = start(api_as(citizen), "bkash").json()
    payment = Payment.objects.get(pk=body["payment_id"])
    response = ask(api_as(citizen), payment)
    assert response.status_code == 409
    assert not Refund.objects.exists()


def test_refund_decisions_are_in_the_audit_trail(paid, api_as, citizen, super_admin):
    from apps.users.models import ActivityLog

    first, second = paid(), paid()
    approved = ask(api_as(citizen), first).json()["id"]
    rejected = ask(api_as(citizen), second).json()["id"]
    admin = api_as(super_admin)
    assert admin.post(f"/api/v1/payments/refunds/{approved}/approve/").status_code == 200
    answer = admin.post(f"/api/v1/payments/refunds/{rejected}/reject/", {"reason": "fee is due"})
    assert answer.status_code == 200
    rows = ActivityLog.objects.filter(action__startswith="payments.refund_").order_by("created_at")
    assert [(r.action, r.user, str(r.resource_id)) for r in rows] == [
        ("payments.refund_approved", super_admin, approved),
        ("payments.refund_rejected", super_admin, rejected),
    ]


def test_staff_verifying_someone_elses_payment_is_audited(paid, api_as, citizen, super_admin):
    from apps.users.models import ActivityLog

    payment = paid()
    for who in (citizen, super_admin):
        answer = api_as(who).post(
            "/api/v1/payments/verify/", {"payment_id": str(payment.pk)}, format="json"
        )
        assert answer.status_code == 200
    rows = ActivityLog.objects.filter(action="payments.verified")
    assert [(r.user, r.resource_id, r.details) for r in rows] == [
        (super_admin, payment.pk, {"from": "completed", "to": "completed"})
    ]
