"""Special collections: citizens ask (free, or paid through the payment simulators like a
donation), staff of the ward plan them through the allowed moves, the citizen is told."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.notifications.models import Notification
from apps.payments.models import Payment
from apps.payments.services import payments_reconcile
from apps.payments.tests.test_flow import come_back, pay
from apps.users.models import ActivityAction, ActivityLog
from apps.users.tests.factories import UserFactory
from apps.waste_management.models import SpecialCollectionRequest, WasteFee

from .conftest import ROLES, waste_admin

pytestmark = pytest.mark.django_db

URL = "/api/v1/waste/special-requests/"


def today():
    return timezone.localdate()


def body(**change):
    fields = {"waste_type": "construction", "description": "Twenty sacks of bricks",
              "address": "House 12, Road 4, Dhanmondi", "ward_number": "5",
              "preferred_date": (today() + timedelta(days=3)).isoformat()}  # fmt: skip
    return {**fields, **change}


@pytest.fixture
def bulky_fee(db):
    return WasteFee.objects.create(waste_type="bulky", amount=Decimal("500.00"))


def ask(client, **change):
    return client.post(URL, body(**change), format="json")


def paid_ask(client, method="bkash", **change):
    return ask(client, waste_type="bulky", payment_method=method, phone_number="01711000005",
               **change)  # fmt: skip


def kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_a_free_request_is_stored_with_nothing_to_pay(api_as, citizen):
    answer = ask(api_as(citizen), latitude="23.7465", longitude="90.376")
    assert answer.status_code == 201, answer.content
    assert answer.json() == {
        "id": answer.json()["id"],
        "status": "requested",
        "fee": None,
        "payment_state": "not_required",
    }
    special = SpecialCollectionRequest.objects.get()
    assert special.citizen == citizen
    assert special.latitude == Decimal("23.74650000")
    assert special.payment is None
    assert Payment.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"preferred_date": "2020-01-01"}, "preferred_date"),
        ({"preferred_date": "yesterday"}, "preferred_date"),
        ({"ward_number": "9999"}, "ward_number"),
        ({"ward_number": ""}, "ward_number"),
        ({"waste_type": "gold"}, "waste_type"),
        ({"description": "   "}, "description"),
        ({"address": ""}, "address"),
        ({"latitude": "123"}, "latitude"),
        ({"latitude": "23.7"}, "longitude"),
        ({"waste_type": "bulky"}, "payment_method"),
        ({"preferred_date": "9999-12-31"}, "preferred_date"),
        ({"waste_type": "bulky", "payment_method": "bkash"}, "phone_number"),
        ({"waste_type": "bulky", "payment_method": "card", "phone_number": "01711000005"},
         "payment_method"),
        ({"waste_type": "bulky", "payment_method": "bkash", "phone_number": "123"},
         "phone_number"),
    ],
)  # fmt: skip
def test_bad_requests_are_refused_with_nothing_stored(api_as, citizen, bulky_fee, change, field):
    answer = ask(api_as(citizen), **change)
    assert answer.status_code == 400, answer.content
    assert field in answer.json()["details"]
    assert SpecialCollectionRequest.objects.count() == 0
    assert Payment.objects.count() == 0


def test_yesterday_in_dhaka_is_the_past_and_today_is_not(api_as, citizen):
    yesterday = (today() - timedelta(days=1)).isoformat()
    assert ask(api_as(citizen), preferred_date=yesterday).status_code == 400
    assert ask(api_as(citizen), preferred_date=today().isoformat()).status_code == 201


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("citizen", 201), ("other_citizen", 201), ("ward_admin", 403),
     ("other_admin", 403), ("provider", 403), ("super_admin", 403)],
)  # fmt: skip
def test_who_may_ask(client_of, role, expected):
    assert ask(client_of(role)).status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_who_may_read_a_request(client_of, api_as, citizen, role):
    special_id = ask(api_as(citizen)).json()["id"]
    expected = {"anonymous": 401, "citizen": 200, "ward_admin": 200, "super_admin": 200}.get(
        role, 404
    )
    assert client_of(role).get(f"{URL}{special_id}/").status_code == expected
    listed = client_of(role).get(URL)
    if role == "anonymous":
        assert listed.status_code == 401
    else:
        assert listed.json()["count"] == (1 if expected == 200 else 0)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_plan_a_request(client_of, api_as, citizen, role):
    special_id = ask(api_as(citizen)).json()["id"]
    change = {"status": "scheduled", "scheduled_date": (today() + timedelta(days=2)).isoformat()}
    answer = client_of(role).patch(f"{URL}{special_id}/", change, format="json")
    expected = {"anonymous": 401, "citizen": 403, "other_citizen": 403, "provider": 403,
                "other_admin": 404, "ward_admin": 200, "super_admin": 200}[role]  # fmt: skip
    assert answer.status_code == expected, answer.content
    status = SpecialCollectionRequest.objects.get().status
    assert status == ("scheduled" if expected == 200 else "requested")


def test_reading_staff_without_update_rights_cannot_plan(api_as, citizen):
    reader = waste_admin(["5"], can_update=False)
    special_id = ask(api_as(citizen)).json()["id"]
    assert api_as(reader).get(f"{URL}{special_id}/").status_code == 200
    answer = api_as(reader).patch(f"{URL}{special_id}/", {"status": "rejected"}, format="json")
    assert answer.status_code == 403
    assert SpecialCollectionRequest.objects.get().status == "requested"


def test_staff_move_a_request_through_its_life_and_the_citizen_hears(api_as, citizen, ward_admin):
    citizen.language = "en"
    citizen.save()
    special_id = ask(api_as(citizen)).json()["id"]
    staff = api_as(ward_admin)
    url = f"{URL}{special_id}/"
    date = (today() + timedelta(days=2)).isoformat()

    no_date = staff.patch(url, {"status": "scheduled"}, format="json")
    assert no_date.status_code == 400
    assert "scheduled_date" in no_date.json()["details"]
    past = staff.patch(url, {"status": "scheduled", "scheduled_date": "2020-01-01"},
                       format="json")  # fmt: skip
    assert past.status_code == 400
    skip = staff.patch(url, {"status": "collected"}, format="json")
    assert skip.status_code == 409
    assert skip.json()["code"] == "invalid_transition"
    assert SpecialCollectionRequest.objects.get().status == "requested"

    scheduled = staff.patch(
        url, {"status": "scheduled", "scheduled_date": date, "comment": "Before 10 am"},
        format="json",
    )  # fmt: skip
    assert scheduled.status_code == 200, scheduled.content
    answer = scheduled.json()
    assert (answer["status"], answer["scheduled_date"], answer["staff_comment"]) == (
        "scheduled",
        date,
        "Before 10 am",
    )
    note = Notification.objects.get(user=citizen)
    assert note.title == "Special collection: Scheduled"
    assert note.body == (
        f"Your special collection (Construction debris) is scheduled for {date}. "
        "Note from the ward office: Before 10 am"
    )
    collected = staff.patch(url, {"status": "collected"}, format="json")
    assert collected.status_code == 200
    assert collected.json()["collected_at"] is not None
    again = staff.patch(url, {"status": "rejected"}, format="json")
    assert again.status_code == 409
    assert kinds(citizen) == ["special_collection.collected", "special_collection.scheduled"]
    audit = ActivityLog.objects.filter(action=ActivityAction.SPECIAL_COLLECTION_UPDATED)
    assert [row.details["to"] for row in audit.order_by("created_at")] == ["scheduled", "collected"]
    assert {row.user_id for row in audit} == {ward_admin.pk}


def test_staff_filter_their_queue(api_as, citizen, other_citizen, super_admin, ward_admin):
    ask(api_as(citizen))
    ask(api_as(other_citizen), ward_number="12")
    rejected = ask(api_as(citizen)).json()["id"]
    api_as(ward_admin).patch(f"{URL}{rejected}/", {"status": "rejected"}, format="json")
    assert api_as(ward_admin).get(URL).json()["count"] == 2
    assert api_as(super_admin).get(URL).json()["count"] == 3
    assert api_as(super_admin).get(URL, {"ward_number": "12"}).json()["count"] == 1
    assert api_as(ward_admin).get(URL, {"status": "rejected"}).json()["count"] == 1
    assert api_as(ward_admin).get(URL, {"status": "lost"}).status_code == 400


def test_a_fee_is_paid_through_bkash_and_refunded(api_as, api, citizen, ward_admin, super_admin,
                                                  bulky_fee):  # fmt: skip
    started = paid_ask(api_as(citizen))
    assert started.status_code == 201, started.content
    answer = started.json()
    assert (answer["status"], answer["fee"], answer["payment_state"]) == (
        "requested",
        "500.00",
        "pending",
    )
    assert answer["bkash_url"] == answer["payment_url"]
    special = SpecialCollectionRequest.objects.get(pk=answer["id"])
    assert special.payment.service_type == "special_collection"
    assert special.payment.amount == Decimal("500.00")

    url = f"{URL}{special.pk}/"
    plan = {"status": "scheduled", "scheduled_date": (today() + timedelta(days=1)).isoformat()}
    unpaid = api_as(ward_admin).patch(url, plan, format="json")
    assert unpaid.status_code == 409
    assert unpaid.json()["code"] == "fee_unpaid"

    way_back = pay(api, answer["payment_url"])
    come_back(api, way_back)
    come_back(api, way_back)  # a replayed callback changes nothing
    special.refresh_from_db()
    assert special.payment_state == "paid"
    assert special.payment.status == "completed"
    assert kinds(citizen) == ["special_collection.payment_paid"]  # not the generic one too
    assert api_as(citizen).get(url).json()["payment_state"] == "paid"
    assert api_as(ward_admin).patch(url, plan, format="json").status_code == 200

    refunded = api_as(super_admin).post(
        "/api/v1/payments/refund/",
        {"payment_id": answer["payment_id"], "reason": "collection cancelled"},
        format="json",
    )
    assert refunded.status_code == 201, refunded.content
    assert api_as(citizen).get(url).json()["payment_state"] == "refunded"
    collect = api_as(ward_admin).patch(url, {"status": "collected"}, format="json")
    assert collect.status_code == 409
    assert collect.json()["code"] == "fee_unpaid"


def test_a_declined_or_abandoned_fee_leaves_the_request_unpaid(api_as, api, citizen, bulky_fee):
    declined = paid_ask(api_as(citizen), "nagad").json()
    come_back(api, pay(api, declined["payment_url"], action="decline"))
    assert SpecialCollectionRequest.objects.get(pk=declined["id"]).payment_state == "failed"
    assert kinds(citizen) == ["special_collection.payment_failed"]

    abandoned = paid_ask(api_as(citizen)).json()
    stale = timezone.now() - timedelta(hours=25)
    Payment.objects.filter(pk=abandoned["payment_id"]).update(created_at=stale)
    assert payments_reconcile() == 1
    assert SpecialCollectionRequest.objects.get(pk=abandoned["id"]).payment_state == "failed"


def test_a_retried_request_with_the_same_key_asks_once(api_as, citizen, bulky_fee):
    client = api_as(citizen)
    headers = {"HTTP_IDEMPOTENCY_KEY": "sofa-1"}
    sofa = body(waste_type="bulky", payment_method="bkash", phone_number="01711000005")
    first = client.post(URL, sofa, format="json", **headers)
    second = client.post(URL, sofa, format="json", **headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert SpecialCollectionRequest.objects.count() == Payment.objects.count() == 1


def test_a_provider_that_cannot_open_the_payment_leaves_an_unpaid_request(
    api_as, citizen, bulky_fee, settings
):
    settings.BKASH_BASE_URL = "http://sandbox.invalid/sandbox/nowhere"
    assert paid_ask(api_as(citizen)).status_code == 502
    assert SpecialCollectionRequest.objects.get().payment_state == "failed"


def test_fees_are_listed(api, bulky_fee):
    WasteFee.objects.create(waste_type="medical", amount=Decimal("300.00"), is_active=False)
    listed = api.get(f"{URL}fees/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert listed == [{"waste_type": "bulky", "waste_type_display": "Bulky items",
                       "amount": "500.00"}]  # fmt: skip


def test_a_comment_alone_is_passed_on(api_as, citizen, ward_admin):
    UserFactory()  # someone else: not told
    special_id = ask(api_as(citizen)).json()["id"]
    answer = api_as(ward_admin).patch(f"{URL}{special_id}/", {"comment": "Call us"}, format="json")
    assert answer.status_code == 200
    assert kinds(citizen) == ["special_collection.requested"]
    nothing = api_as(ward_admin).patch(f"{URL}{special_id}/", {"comment": "Call us"}, format="json")
    assert nothing.status_code == 200
    assert Notification.objects.count() == 1
