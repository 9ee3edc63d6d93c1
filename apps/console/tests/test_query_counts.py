"""Lists of the console run the same number of queries whatever the number of rows (no N+1)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.emergency.enums import EmergencyStatus
from apps.emergency.tests.factories import EmergencyFactory
from apps.notices.tests.factories import NoticeFactory
from apps.payments.models import Payment, Refund
from apps.users.tests.factories import AdminPermissionFactory


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _emergencies(cast, count):
    for index in range(count):
        EmergencyFactory(
            user=cast.citizen,
            ward_number="5",
            assigned_to=cast.provider if index % 2 else None,
            status=EmergencyStatus.RESOLVED if index % 3 == 0 else EmergencyStatus.SUBMITTED,
        )


def _notices(cast, count):
    for index in range(count):
        NoticeFactory(created_by=cast.super_admin, target_wards=["5", str(index + 10)])


def _refunds(cast, count):
    codes = ["waste_collection_fee", "trade_licence_fee", "holding_tax", "donation"]
    start = Payment.objects.count()
    for index in range(start, start + count):
        payment = Payment.objects.create(
            user=cast.citizen,
            service_type=codes[index % len(codes)],
            amount=Decimal("100.00"),
            payment_method="bkash",
            phone_number=cast.citizen.phone,
            transaction_id=f"CCPQC{index:07d}",
            gateway="bkash",
            status="completed",
            completed_at=timezone.now(),
            gateway_trx_id=f"TRXQC{index}",
        )
        Refund.objects.create(
            payment=payment,
            requested_by=cast.citizen,
            amount=Decimal("1"),
            reason="twice",
            status="rejected" if index % 2 else "requested",
            decided_by=cast.super_admin if index % 2 else None,
        )


LISTS = [
    ("/console/emergencies/", _emergencies, "super_admin"),
    ("/console/emergencies/", _emergencies, "ward_admin"),
    ("/console/notices/", _notices, "super_admin"),
    ("/console/notices/", _notices, "ward_admin"),
    ("/console/refunds/", _refunds, "super_admin"),  # refunds are the super admin's alone
]


@pytest.mark.parametrize(
    ("url", "make", "role"), LISTS, ids=[f"{url.split('/')[2]}-{role}" for url, _m, role in LISTS]
)
def test_a_list_costs_the_same_queries_for_3_rows_as_for_10(cast, console_as, url, make, role):
    AdminPermissionFactory(admin=cast.ward_admin, ward_numbers=["5"], permission_type="emergency")
    AdminPermissionFactory(admin=cast.ward_admin, ward_numbers=["5"], permission_type="notices")
    client = console_as(getattr(cast, role))
    make(cast, 3)
    for _ in range(2):  # the account's kept facts (core.accounts) warm, as after any first visit
        client.get(url)
    few = _queries(client, url)
    make(cast, 7)
    assert _queries(client, url) == few
