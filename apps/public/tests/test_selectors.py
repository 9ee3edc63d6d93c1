"""The ward scorecard's figures against data made for them, and how long an answer is kept."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from apps.complaints.enums import Status
from apps.complaints.models import Complaint
from apps.complaints.services import complaint_change_status
from apps.complaints.tests.factories import ComplaintFactory
from apps.public.selectors import tracking_status, ward_scorecard
from apps.users.tests.factories import UserFactory
from core.figures import dashboard_touch

pytestmark = pytest.mark.django_db

DHAKA = ZoneInfo("Asia/Dhaka")
NOW = datetime(2026, 3, 15, 12, 0, tzinfo=DHAKA)


def complaint(*, ward="5", filed, days_to_resolve=None, rating=None):
    made = ComplaintFactory(ward_number=ward)
    fields = {"created_at": filed, "rating": rating}
    if days_to_resolve is not None:
        fields.update(status=Status.RESOLVED, resolved_at=filed + timedelta(days=days_to_resolve))
    Complaint.objects.filter(pk=made.pk).update(**fields)
    return made


@pytest.fixture
def ward_five():
    """Three complaints filed in March (Dhaka), one late in February, one in another ward."""
    complaint(filed=datetime(2026, 3, 2, 10, 0, tzinfo=DHAKA), days_to_resolve=2, rating=4)
    complaint(filed=datetime(2026, 3, 1, 0, 0, tzinfo=DHAKA), days_to_resolve=4, rating=5)
    complaint(filed=datetime(2026, 3, 10, 9, 0, tzinfo=DHAKA))
    complaint(filed=datetime(2026, 2, 28, 23, 59, tzinfo=DHAKA), days_to_resolve=9, rating=2)
    complaint(ward="6", filed=datetime(2026, 3, 5, tzinfo=DHAKA), days_to_resolve=1, rating=1)


def test_scorecard_figures(ward_five):
    card = ward_scorecard(number="5", now=NOW)

    assert card["ward"].number == "5"
    assert card["filed_this_month"] == 3  # 1 March 00:00 Dhaka counts; 28 February does not
    assert card["total"] == 4
    assert card["resolved_share"] == Decimal("75.00")
    assert card["median_days"] == Decimal("4.00")  # of 2, 4 and 9 days
    assert card["average_rating"] == Decimal("3.67")  # (4 + 5 + 2) / 3
    assert card["rated_count"] == 3


def test_scorecard_of_a_ward_without_complaints():
    card = ward_scorecard(number="7", now=NOW)

    assert card["filed_this_month"] == 0
    assert card["total"] == 0
    assert card["resolved_share"] is None
    assert card["median_days"] is None
    assert card["average_rating"] is None


def test_unknown_ward_has_no_scorecard():
    assert ward_scorecard(number="999", now=NOW) is None
    assert ward_scorecard(number="", now=NOW) is None


def test_scorecard_is_cached_until_a_complaint_changes(ward_five, django_assert_num_queries):
    first = ward_scorecard(number="5", now=NOW)
    complaint(filed=datetime(2026, 3, 12, tzinfo=DHAKA))  # written behind the services' back

    with django_assert_num_queries(1):  # the ward row only; the figures come from the cache
        cached = ward_scorecard(number="5", now=NOW)
    assert cached["filed_this_month"] == first["filed_this_month"] == 3

    dashboard_touch()  # what every complaint service registers on commit
    assert ward_scorecard(number="5", now=NOW)["filed_this_month"] == 4


def test_a_status_change_retires_the_cached_scorecard(
    ward_five, django_capture_on_commit_callbacks
):
    open_one = Complaint.objects.get(ward_number="5", status=Status.SUBMITTED)
    staff = UserFactory(user_type="super_admin", is_staff=True, is_superuser=True)
    assert ward_scorecard(number="5")["resolved_share"] == Decimal("75.00")

    with django_capture_on_commit_callbacks(execute=True):
        complaint_change_status(complaint=open_one, actor=staff, new_status=Status.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        complaint_change_status(complaint=open_one, actor=staff, new_status=Status.RESOLVED)

    assert ward_scorecard(number="5")["resolved_share"] == Decimal("100.00")


def test_a_new_month_starts_a_new_count(ward_five):
    assert ward_scorecard(number="5", now=NOW)["filed_this_month"] == 3
    april = datetime(2026, 4, 1, 0, 5, tzinfo=DHAKA)
    assert ward_scorecard(number="5", now=april)["filed_this_month"] == 0


def test_tracking_status_holds_only_public_facts():
    made = ComplaintFactory()

    status = tracking_status(tracking_number=made.tracking_number)

    assert set(status) == {
        "tracking_number", "status_code", "status_label", "category_label", "ward",
        "ward_number", "created_at", "updated_at", "resolved_at", "timeline", "proof_photo_url",
    }  # fmt: skip
    assert tracking_status(tracking_number="CC209901010001") is None
