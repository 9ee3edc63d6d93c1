"""PostgreSQL-only: tracking numbers and status history under real concurrency."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from apps.complaints.enums import Status
from apps.complaints.models import Complaint, ComplaintUpdate
from apps.complaints.services import complaint_change_status, complaint_create
from apps.users.tests.factories import UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgresql():
    assert connection.vendor == "postgresql", "make test-services runs these against PostgreSQL"


FIELDS = {"title": "Bin", "description": "Full", "category": "বর্জ্য ব্যবস্থাপনা",
          "priority": "মধ্যম", "location": "Road 1", "ward_number": "5"}  # fmt: skip


def test_200_concurrent_filings_get_200_distinct_tracking_numbers(wards):
    citizens = [UserFactory() for _ in range(8)]
    start = threading.Barrier(16)

    def file(index):
        try:
            if index < 16:
                start.wait()
            return complaint_create(user=citizens[index % 8], data=dict(FIELDS)).tracking_number
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=16) as pool:
        numbers = list(pool.map(file, range(200)))

    assert len(numbers) == 200
    assert len(set(numbers)) == 200
    sequences = sorted(int(number[10:]) for number in numbers)
    assert sequences == list(range(1, 201))
    assert Complaint.objects.count() == 200


def test_two_concurrent_status_changes_leave_a_consistent_history(wards):
    owner = UserFactory()
    admin = UserFactory(user_type="super_admin")
    complaint = complaint_create(user=owner, data=dict(FIELDS))
    barrier = threading.Barrier(2)

    def change(target):
        try:
            barrier.wait()
            complaint_change_status(complaint=complaint, actor=admin, new_status=target)
            return "ok"
        except Exception as exc:  # one of them must lose
            return getattr(exc, "code", repr(exc))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(change, [Status.IN_PROGRESS, Status.CANCELLED]))

    assert sorted(results) == ["invalid_transition", "ok"] or results == ["ok", "ok"]
    complaint.refresh_from_db()
    history = list(ComplaintUpdate.objects.filter(complaint=complaint).order_by("created_at"))
    # Every recorded move starts where the previous one ended, and ends at the current status.
    previous = Status.SUBMITTED
    for update in history:
        assert update.old_status == previous
        previous = update.new_status
    assert previous == complaint.status
