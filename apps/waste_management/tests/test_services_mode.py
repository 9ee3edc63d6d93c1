"""PostgreSQL-only: a special collection planned twice at once moves once (one audit row, one
message to the citizen), and a move that races a refused one leaves a consistent row."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from apps.notifications.models import Notification
from apps.users.models import ActivityAction, ActivityLog
from apps.users.tests.factories import UserFactory
from apps.waste_management import services
from apps.waste_management.models import SpecialCollectionRequest
from core.exceptions import Conflict

from .conftest import waste_admin

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgresql():
    assert connection.vendor == "postgresql", "make test-services runs these against PostgreSQL"


def together(count: int, work):
    """Run ``work(index)`` in ``count`` threads released at the same moment."""
    start = threading.Barrier(count)

    def run(index):
        try:
            start.wait()
            try:
                return work(index)
            except Conflict as exc:
                return exc.code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_a_request_scheduled_twice_at_once_moves_once(wards):
    citizen = UserFactory(ward_number="5")
    staff = [waste_admin(["5"]) for _ in range(4)]
    special = SpecialCollectionRequest.objects.create(
        citizen=citizen, ward_number="5", waste_type="bulky", description="Sofa",
        address="House 1", preferred_date=timezone.localdate(),
    )  # fmt: skip
    date = timezone.localdate() + timedelta(days=2)

    together(4, lambda i: services.special_request_update(
        special=special, actor=staff[i], data={"status": "scheduled", "scheduled_date": date}
    ))  # fmt: skip

    special.refresh_from_db()
    assert (special.status, special.scheduled_date) == ("scheduled", date)
    assert ActivityLog.objects.filter(action=ActivityAction.SPECIAL_COLLECTION_UPDATED).count() == 1
    assert Notification.objects.filter(user=citizen).count() == 1


def test_collected_and_rejected_at_once_one_wins(wards):
    citizen = UserFactory(ward_number="5")
    staff = waste_admin(["5"])
    special = SpecialCollectionRequest.objects.create(
        citizen=citizen, ward_number="5", waste_type="bulky", description="Sofa",
        address="House 1", preferred_date=timezone.localdate(), status="scheduled",
        scheduled_date=timezone.localdate(),
    )  # fmt: skip
    moves = ["collected", "rejected"]

    answers = together(2, lambda i: services.special_request_update(
        special=special, actor=staff, data={"status": moves[i]}
    ))  # fmt: skip

    assert sum(answer == "invalid_transition" for answer in answers) == 1
    special.refresh_from_db()
    assert special.status in moves
    assert (special.collected_at is not None) is (special.status == "collected")
