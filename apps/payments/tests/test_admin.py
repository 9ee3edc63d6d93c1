"""Django admin of payments: readable, never hand-edited; refunds approved through the service."""

import pytest

from apps.payments.models import PaymentLog, Refund

from .test_refunds import ask

pytestmark = pytest.mark.django_db


def test_admin_pages_read_and_act_through_services(client, paid, api_as, citizen, super_admin):
    payment = paid()
    ask(api_as(citizen), payment)
    client.force_login(super_admin)
    assert client.get("/admin/payments/payment/").status_code == 200
    assert client.get(f"/admin/payments/payment/{payment.pk}/change/").status_code in (200, 403)
    assert client.get("/admin/payments/paymentlog/add/").status_code == 403
    log = PaymentLog.objects.first()
    assert (
        client.post(f"/admin/payments/paymentlog/{log.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    refund = Refund.objects.get()
    client.post(
        "/admin/payments/refund/", {"action": "approve", "_selected_action": [str(refund.pk)]}
    )
    refund.refresh_from_db()
    assert refund.status == "completed"
