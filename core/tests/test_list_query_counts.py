"""Every paginated list of the API runs the same number of queries for a page of 1 as for a page
of 3 (4 rows exist, so both pages are full): no query per row, for each role that lists. Any
query per row shows as a difference of 2 here, as it would between 1 and 50.

LISTS names each list once per role; the first test fails when a paginated route has no row here,
so a new list is measured from the day it exists.
"""

from __future__ import annotations

import itertools
from datetime import time, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from rest_framework.generics import ListAPIView

from apps.chat.tests.factories import ChatMessageFactory, ChatRoomFactory
from apps.city_calendar.tests.factories import EventFactory
from apps.complaints.models import ComplaintImage
from apps.complaints.tests.factories import ComplaintFactory
from apps.donations.models import Donation, DonationProject
from apps.emergency.tests.factories import EmergencyFactory
from apps.gallery.demo import demo_categories_load
from apps.gallery.tests.factories import GalleryImageFactory
from apps.notices.tests.factories import NoticeFactory
from apps.notifications.tests.factories import NotificationFactory
from apps.payments.models import Payment, Refund
from apps.users.models import ActivityLog
from apps.users.tests.factories import AdminPermissionFactory, UserFactory
from apps.waste_management.models import (
    CollectionSchedule,
    SpecialCollectionRequest,
    StationReading,
    TransferStation,
)

pytestmark = pytest.mark.django_db

ROWS = 4
_numbers = itertools.count(1)


@pytest.fixture
def world(db):
    citizen = UserFactory(ward_number="5")
    ward_admin = UserFactory(user_type="admin")
    for kind in ("complaints", "emergency", "chat", "notices", "waste", "payments"):
        AdminPermissionFactory(
            admin=ward_admin, permission_type=kind, ward_numbers=["5"], can_update=True
        )
    return SimpleNamespace(
        citizen=citizen,
        ward_admin=ward_admin,
        provider=UserFactory(user_type="service_provider"),
        super_admin=UserFactory(user_type="super_admin", is_staff=True, is_superuser=True),
        room=None,
        station=None,
    )


# Makers: ``make(world)`` adds ROWS rows the list shows, and returns the path's arguments.
def _complaints(world):
    for n in range(ROWS):
        complaint = ComplaintFactory(
            user=world.citizen, ward_number="5", assigned_to=world.provider
        )
        ComplaintImage.objects.create(
            complaint=complaint, image=f"complaints/q/{n}.jpg", thumbnail=f"complaints/q/t{n}.jpg",
            file_size=10, width=1, height=1,
        )  # fmt: skip


def _payment(user) -> Payment:
    number = next(_numbers)
    return Payment.objects.create(
        user=user, service_type="holding_tax", amount=Decimal("100.00"), payment_method="bkash",
        phone_number=user.phone, transaction_id=f"CCPQL{number:07d}", gateway="bkash",
        status="completed", completed_at=timezone.now(), gateway_trx_id=f"TRXQL{number}",
    )  # fmt: skip


def _payments(world):
    for _ in range(ROWS):
        _payment(world.citizen)


def _refunds(world):
    for _ in range(ROWS):
        Refund.objects.create(
            payment=_payment(world.citizen), requested_by=world.citizen, amount=Decimal("1"),
            reason="charged twice",
        )  # fmt: skip


def _donations(world):
    project = DonationProject.objects.create(
        slug=f"project-{next(_numbers)}", name_bn="বৃক্ষরোপণ", name_en="Trees"
    )
    for _ in range(ROWS):
        payment = _payment(world.citizen)
        Donation.objects.create(
            user=world.citizen, project=project, project_name=project.name_bn,
            project_name_en=project.name_en, donor_name=world.citizen.name,
            amount=payment.amount, payment_method="bkash", payment=payment,
            transaction_id=payment.transaction_id, receipt_number=f"CCD-{payment.transaction_id}",
            status="completed", completed_at=payment.completed_at,
        )  # fmt: skip


def _notifications(world):
    NotificationFactory.create_batch(ROWS, user=world.citizen)


def _emergencies(world):
    for n in range(ROWS):
        EmergencyFactory(
            user=world.citizen, ward_number="5", assigned_to=world.provider if n % 2 else None
        )


def _rooms(world):
    for _ in range(ROWS):  # one open room per citizen: four citizens of ward 5
        ChatMessageFactory(room=ChatRoomFactory(ward_number="5"))


def _messages(world):
    world.room = ChatRoomFactory(citizen=world.citizen, ward_number="5")
    ChatMessageFactory.create_batch(ROWS, room=world.room)
    return {"room_id": world.room.pk}


def _notices(world):
    for n in range(ROWS):
        NoticeFactory(created_by=world.super_admin, target_wards=["5", str(n + 10)])


def _schedules(world):
    for day in range(ROWS):
        CollectionSchedule.objects.create(
            ward_number="5", day_of_week=day, start_time=time(7), end_time=time(9),
            waste_type="household", created_by=world.super_admin,
        )  # fmt: skip


def _special_requests(world):
    for _ in range(ROWS):
        SpecialCollectionRequest.objects.create(
            citizen=world.citizen, ward_number="5", waste_type="bulky", description="Sofa",
            address="House 1", preferred_date=timezone.localdate() + timedelta(days=2),
        )  # fmt: skip


def _stations(world):
    for n in range(ROWS):
        station = TransferStation.objects.create(
            name=f"STS {n}", ward_number="5", capacity_tons=Decimal("50")
        )
        StationReading.objects.create(station=station, load_tons=Decimal("10"))


def _readings(world):
    world.station = TransferStation.objects.create(
        name="Matuail STS", ward_number="5", capacity_tons=Decimal("50")
    )
    for hours in range(ROWS):
        StationReading.objects.create(
            station=world.station, load_tons=Decimal(hours + 1),
            at=timezone.now() - timedelta(hours=hours),
        )  # fmt: skip
    return {"station_id": world.station.pk}


def _gallery(world):
    demo_categories_load()
    GalleryImageFactory.create_batch(ROWS, uploaded_by=world.super_admin)


def _events(world):
    EventFactory.create_batch(ROWS, created_by=world.super_admin)


def _users(world):
    UserFactory.create_batch(ROWS, ward_number="5")


def _staff(world):
    for _ in range(ROWS):
        AdminPermissionFactory(admin=UserFactory(user_type="admin"), ward_numbers=["7"])


def _activity(world):
    for _ in range(ROWS):
        ActivityLog.objects.create(user=world.ward_admin, action="auth.login")
    return {"user_id": world.ward_admin.pk}


LISTS = [
    ("api/v1/complaints/", _complaints, "citizen"),
    ("api/v1/complaints/", _complaints, "ward_admin"),
    ("api/v1/complaints/", _complaints, "provider"),
    ("api/v1/complaints/", _complaints, "super_admin"),
    ("api/v1/payments/", _payments, "citizen"),
    ("api/v1/payments/history/", _payments, "super_admin"),
    ("api/v1/payments/refunds/", _refunds, "super_admin"),
    ("api/v1/donations/", _donations, "citizen"),
    ("api/v1/donations/history/", _donations, "citizen"),
    ("api/v1/notifications/", _notifications, "citizen"),
    ("api/v1/emergency/", _emergencies, "citizen"),
    ("api/v1/emergency/", _emergencies, "ward_admin"),
    ("api/v1/emergency/", _emergencies, "super_admin"),
    ("api/v1/chat/rooms/", _rooms, "ward_admin"),  # a citizen has one open room
    ("api/v1/chat/rooms/", _rooms, "super_admin"),
    ("api/v1/chat/rooms/<uuid:room_id>/messages/", _messages, "citizen"),
    ("api/v1/notices/", _notices, "citizen"),
    ("api/v1/notices/", _notices, "ward_admin"),
    ("api/v1/waste/schedules/", _schedules, "citizen"),
    ("api/v1/waste/special-requests/", _special_requests, "citizen"),
    ("api/v1/waste/special-requests/", _special_requests, "ward_admin"),
    ("api/v1/waste/sts/", _stations, "ward_admin"),
    ("api/v1/waste/sts/<uuid:station_id>/readings/", _readings, "ward_admin"),
    ("api/v1/gallery/", _gallery, "citizen"),
    ("api/v1/calendar/events/", _events, "citizen"),
    ("api/v1/users/", _users, "super_admin"),
    ("api/v1/admin-users/", _staff, "super_admin"),
    ("api/v1/admin-users/<uuid:user_id>/activity-log/", _activity, "super_admin"),
]


def paginated_routes() -> set[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
                continue
            view = getattr(pattern.callback, "view_class", None)
            if view and issubclass(view, ListAPIView) and view.pagination_class is not None:
                yield prefix + str(pattern.pattern)

    return {route for route in walk(get_resolver().url_patterns) if route.startswith("api/v1/")}


def test_every_paginated_list_is_measured():
    assert paginated_routes() == {route for route, _make, _role in LISTS}


def _path(route: str, arguments: dict) -> str:
    for name, value in arguments.items():
        route = route.replace(f"<uuid:{name}>", str(value))
    return f"/{route}"


@pytest.mark.parametrize(
    ("route", "make", "role"),
    LISTS,
    ids=[f"{route.removeprefix('api/v1/')}-{role}" for route, _m, role in LISTS],
)
def test_a_page_of_1_and_a_page_of_3_cost_the_same_queries(world, api_as, route, make, role):
    path = _path(route, make(world) or {})
    client = api_as(getattr(world, role))
    client.get("/api/v1/auth/me/")  # a token's first use also asks the revocation table

    def queries(size: int) -> int:
        cache.clear()  # what a cached answer (the notice board) costs when it is built
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{path}?page_size={size}")
        assert response.status_code == 200, response.content
        body = response.json()
        assert len(body["results"]) == size, (size, body)
        assert body["next"] is not None
        return len(captured)

    assert queries(1) == queries(3)


@pytest.mark.parametrize(
    ("page_size", "counted", "results", "more"),
    [(20, False, 3, False), (3, True, 3, False), (2, True, 2, True)],
)
def test_page_1_is_counted_by_its_rows_unless_it_is_full(
    api_as, world, page_size, counted, results, more
):
    """Page 1 with fewer rows than the page size is the whole list: no count query."""
    ComplaintFactory.create_batch(3, user=world.citizen)
    client = api_as(world.citizen)  # signed in: row-level security lets their rows through
    with CaptureQueriesContext(connection) as queries:
        body = client.get(f"/api/v1/complaints/?page_size={page_size}").json()
    assert (body["count"], len(body["results"])) == (3, results)
    assert (body["next"] is not None) is more
    assert any("COUNT(" in query["sql"] for query in queries.captured_queries) is counted
