"""Giving to a project end to end against the payment simulators: the donation follows its
payment exactly once, the donor hears once, big gifts get a thank-you, bad input leaves nothing."""

import re

import pytest
from django.utils import timezone

from apps.donations.models import Donation, DonationProject
from apps.notifications.models import Notification
from apps.payments.models import Payment
from apps.payments.services import payments_reconcile
from apps.payments.tests.test_flow import come_back, local, pay
from apps.sandbox.models import SandboxSms
from apps.sandbox.providers.sslcommerz.api import ipn_for
from apps.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DONATE = "/api/v1/donations/"


@pytest.fixture
def project():
    return DonationProject.objects.create(
        slug="tree-planting", name_bn="বৃক্ষরোপণ কর্মসূচি", name_en="Tree planting drive"
    )


def give(client, method="bkash", amount="500.00", project="tree-planting", **extra):
    body = {"project": project, "amount": amount, "payment_method": method,
            "phone_number": "01711000005", "message": "For a greener ward"}  # fmt: skip
    headers = extra.pop("headers", {})
    return client.post(DONATE, {**body, **extra}, format="json", **headers)


def kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(user=user).values_list("kind", flat=True))


@pytest.mark.parametrize("method", ["bkash", "nagad", "rocket", "upay"])
def test_a_donation_completes_once_through_every_provider(api_as, citizen, api, project, method):
    started = give(api_as(citizen), method)
    assert started.status_code == 201, started.content
    body = started.json()
    assert body["status"] == "processing"
    assert re.fullmatch(r"CCD-\d{8}-[0-9A-F]{10}", body["receipt_number"])
    assert ("bkash_url" in body) is (method == "bkash")
    donation = Donation.objects.get(pk=body["donation_id"])
    assert donation.status == "pending"
    assert donation.transaction_id == body["transaction_id"]
    assert donation.project_name == "বৃক্ষরোপণ কর্মসূচি"

    way_back = pay(api, body["payment_url"])
    come_back(api, way_back)
    come_back(api, way_back)  # a replayed callback changes nothing

    donation.refresh_from_db()
    assert donation.status == "completed"
    assert donation.completed_at is not None
    assert donation.payment.status == "completed"
    # One receipt notification, and not the generic payment one as well.
    assert kinds(citizen) == ["donation.completed"]
    assert SandboxSms.objects.filter(text__contains=donation.receipt_number).count() == 1

    detail = api_as(citizen).get(f"{DONATE}{donation.pk}/").json()
    assert detail["status"] == "completed"
    assert detail["receipt_available"] is True
    assert detail["project"] == "tree-planting"


@pytest.mark.parametrize(
    ("amount", "thanked"),
    [("10000.00", False), ("10000.50", True), ("25000.00", True)],
)
def test_gifts_above_ten_thousand_are_thanked_once(api_as, citizen, api, project, amount, thanked):
    body = give(api_as(citizen), "upay", amount=amount).json()
    way_back = pay(api, body["payment_url"])
    come_back(api, way_back)
    come_back(api, way_back)
    expected = ["donation.completed", "donation.thank_you"] if thanked else ["donation.completed"]
    assert kinds(citizen) == expected


def test_a_declined_donation_fails_and_has_no_receipt(api_as, citizen, api, project):
    body = give(api_as(citizen), "nagad").json()
    come_back(api, pay(api, body["payment_url"], action="decline"))
    donation = Donation.objects.get()
    assert donation.status == "failed"
    assert kinds(citizen) == ["donation.failed"]
    receipt = api_as(citizen).get(f"{DONATE}{donation.pk}/receipt/")
    assert receipt.status_code == 409
    assert receipt.json()["code"] == "receipt_unavailable"


def test_an_abandoned_donation_is_settled_by_the_reconciler(api_as, citizen, project):
    body = give(api_as(citizen), "bkash").json()
    stale = timezone.now() - timezone.timedelta(hours=25)
    Payment.objects.filter(pk=body["payment_id"]).update(created_at=stale)
    assert payments_reconcile() == 1
    assert Donation.objects.get().status == "failed"
    # Silently: the provider never said the payment failed, only that it did not complete.
    assert kinds(citizen) == []


def test_a_provider_that_cannot_open_the_payment_leaves_a_failed_donation(
    api_as, citizen, project, settings
):
    settings.BKASH_BASE_URL = "http://sandbox.invalid/sandbox/nowhere"
    answer = give(api_as(citizen), "bkash")
    assert answer.status_code == 502
    donation = Donation.objects.get()
    assert donation.status == "failed"
    assert donation.payment.status == "failed"
    assert kinds(citizen) == []  # the request already told the donor


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"project": "no-such-project"}, "project"),
        ({"project": "closed"}, "project"),
        ({"project": "ended"}, "project"),
        ({"amount": "5.00"}, "amount"),
        ({"amount": "500000.01"}, "amount"),
        ({"amount": "-10"}, "amount"),
        ({"payment_method": "card"}, "payment_method"),
        ({"payment_method": "cash"}, "payment_method"),
        ({"phone_number": "12345"}, "phone_number"),
    ],
)
def test_bad_gifts_are_refused_with_nothing_created(api_as, citizen, project, change, field):
    DonationProject.objects.create(slug="closed", name_bn="বন্ধ", name_en="Closed", is_active=False)
    DonationProject.objects.create(
        slug="ended",
        name_bn="শেষ",
        name_en="Ended",
        ends_on=timezone.localdate() - timezone.timedelta(days=1),
    )
    answer = give(api_as(citizen), **change)
    assert answer.status_code == 400, answer.content
    assert field in answer.json()["details"]
    assert Donation.objects.count() == 0
    assert Payment.objects.count() == 0


def test_a_retried_gift_with_the_same_key_gives_once(api_as, citizen, project):
    client = api_as(citizen)
    first = give(client, headers={"HTTP_IDEMPOTENCY_KEY": "gift-1"})
    second = give(client, headers={"HTTP_IDEMPOTENCY_KEY": "gift-1"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Donation.objects.count() == 1


def test_who_may_give_and_who_may_read(api_as, api, citizen, super_admin, project):
    assert give(api).status_code == 401
    staff = UserFactory(user_type="admin")
    assert give(api_as(staff)).status_code == 403
    donation = Donation.objects.get(pk=give(api_as(citizen)).json()["donation_id"])
    stranger = UserFactory()
    assert api_as(stranger).get(f"{DONATE}{donation.pk}/").status_code == 404
    assert api_as(stranger).get(f"{DONATE}{donation.pk}/receipt/").status_code == 404
    assert api_as(stranger).get(DONATE).json()["count"] == 0
    assert api_as(staff).get(f"{DONATE}{donation.pk}/").status_code == 404  # no payments row
    assert api_as(super_admin).get(f"{DONATE}{donation.pk}/").status_code == 200
    own = api_as(citizen).get(f"{DONATE}history/").json()
    assert [row["id"] for row in own["results"]] == [str(donation.pk)]
    assert api_as(citizen).post(f"{DONATE}history/", {}, format="json").status_code == 405


def test_projects_show_what_they_raised_from_completed_gifts_only(api_as, citizen, api, project):
    DonationProject.objects.create(slug="closed", name_bn="বন্ধ", name_en="Closed", is_active=False)
    for method, action in (("upay", "approve"), ("nagad", "approve"), ("bkash", "cancel")):
        body = give(api_as(citizen), method, amount="300.00").json()
        come_back(api, pay(api, body["payment_url"], action=action))
    DonationProject.objects.create(slug="a-first", name_bn="ক", name_en="A", sort_order=5)
    project.sort_order = 1
    project.save()
    listed = api.get(f"{DONATE}projects/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [row["slug"] for row in listed] == ["tree-planting", "a-first"]
    assert listed[0]["raised"] == "600.00"
    assert listed[0]["donor_count"] == 1
    assert listed[0]["name"] == "Tree planting drive"
    assert listed[1]["raised"] == "0.00"


def test_a_fully_refunded_donation_is_marked_refunded(api_as, citizen, api, super_admin, project):
    body = give(api_as(citizen), "bkash", amount="800.00").json()
    come_back(api, pay(api, body["payment_url"]))
    asked = api_as(super_admin).post(
        "/api/v1/payments/refund/",
        {"payment_id": body["payment_id"], "reason": "given twice by mistake"},
        format="json",
    )
    assert asked.status_code == 201, asked.content
    donation = Donation.objects.get()
    assert donation.status == "refunded"
    assert donation.payment.status == "refunded"
    assert kinds(citizen) == ["donation.completed", "refund.completed"]
    assert api_as(citizen).get(f"{DONATE}{donation.pk}/receipt/").status_code == 409


def test_a_partly_refunded_gift_counts_what_the_city_kept(
    api_as, citizen, api, super_admin, project
):
    body = give(api_as(citizen), "bkash", amount="800.00").json()
    come_back(api, pay(api, body["payment_url"]))
    receipt = f"{DONATE}{body['donation_id']}/receipt/"
    before = api_as(citizen).get(receipt).content
    refunded = api_as(super_admin).post(
        "/api/v1/payments/refund/",
        {"payment_id": body["payment_id"], "reason": "part by mistake", "amount": "700.00"},
        format="json",
    )
    assert refunded.status_code == 201, refunded.content
    assert Donation.objects.get().status == "completed"
    listed = api.get(f"{DONATE}projects/").json()
    assert listed[0]["raised"] == "100.00"
    report = api_as(super_admin).get(f"{DONATE}report/").json()
    assert report["total"]["amount"] == "100.00"
    assert api_as(citizen).get(receipt).content != before  # the receipt shows the refund


def test_a_gift_paid_by_ipn_only_completes_once(api_as, citizen, api, project):
    body = give(api_as(citizen), "rocket", amount="300.04").json()  # .04: IPN only
    paid = api.post(local(body["payment_url"]), {"action": "approve"})
    assert paid.status_code == 200  # paid on the provider's page; the browser never comes back
    sessionkey = Payment.objects.get(pk=body["payment_id"]).gateway_transaction_id
    notice = ipn_for(sessionkey).json()
    assert notice["deliver"] == "only"
    for _ in range(2):  # the provider retries its IPN
        answer = api.post("/api/v1/payments/ipn/sslcommerz/", notice["ipn"])
        assert answer.status_code == 200, answer.content
    assert Donation.objects.get().status == "completed"
    assert kinds(citizen) == ["donation.completed"]


def test_a_repeated_receipt_download_costs_a_304(api_as, citizen, api, project):
    body = give(api_as(citizen), "nagad").json()
    come_back(api, pay(api, body["payment_url"]))
    url = f"{DONATE}{body['donation_id']}/receipt/"
    first = api_as(citizen).get(url)
    again = api_as(citizen).get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
