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


def test_asking_the_provider_from_the_admin_is_audited_with_its_actor(client, paid, super_admin):
    from apps.users.models import ActivityLog

    payment = paid()
    client.force_login(super_admin)
    client.post(
        "/admin/payments/payment/",
        {"action": "ask_the_provider", "_selected_action": [str(payment.pk)]},
    )
    row = ActivityLog.objects.get(action="payments.verified")
    assert (row.user, row.resource_id) == (super_admin, payment.pk)


def test_the_admin_names_services_and_audit_actions_by_their_labels(client, paid, super_admin):
    paid()  # a waste collection fee, and a sign-in trail behind it
    client.force_login(super_admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    payments = client.get("/admin/payments/payment/").content.decode()
    assert "Waste collection fee" in payments
    assert ">waste_collection_fee<" not in payments
    from apps.users.models import ActivityAction
    from apps.users.services import activity_record

    activity_record(action=ActivityAction.LOGIN, actor=super_admin)
    audit = client.get("/admin/users/activitylog/").content.decode()
    assert "Signed in" in audit
    assert ">auth.login<" not in audit


def test_the_audit_trail_takes_only_its_own_vocabulary(super_admin):
    from apps.users.services import activity_record

    with pytest.raises(TypeError):
        activity_record(action="auth.login", actor=super_admin)
