"""Emergency figures in the dashboard's kpi/ and in reports, scoped by emergency rights."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.dashboard.reports.tables import report_sections
from apps.dashboard.selectors import report_figures
from apps.dashboard.tests import expected
from apps.users.policy import ALL_WARDS

from .conftest import emergency_admin
from .factories import EmergencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def emergencies(provider):
    now = timezone.now()
    made = []
    for ward, minutes, status, escalated in [
        ("5", 3, "সমাধান হয়েছে", False),
        ("5", 8, "প্রক্রিয়াধীন", False),
        ("5", None, "জমা দেওয়া হয়েছে", True),
        ("12", 20, "প্রক্রিয়াধীন", True),
    ]:
        emergency = EmergencyFactory(ward_number=ward, status=status)
        emergency.created_at = now - timedelta(hours=1)
        if minutes is not None:
            emergency.responded_at = emergency.created_at + timedelta(minutes=minutes)
            emergency.assigned_to = provider
        if escalated:
            emergency.escalated_at = emergency.created_at + timedelta(minutes=5)
        emergency.save()
        made.append(emergency)
    return made


def test_kpi_carries_the_emergency_figures_of_the_viewers_emergency_wards(
    api_as, super_admin, emergencies
):
    whole = api_as(super_admin).get("/api/v1/dashboard/kpi/").json()["emergency_stats"]
    assert whole == expected.emergency_stats(emergencies)
    assert (whole["total"], whole["open"], whole["escalated"]) == (4, 3, 2)
    assert whole["median_response_minutes"] == "8.00"

    ward_5 = emergency_admin(["5"])
    scoped = api_as(ward_5).get("/api/v1/dashboard/kpi/").json()["emergency_stats"]
    assert scoped == expected.emergency_stats(emergencies, {"5"})
    assert (scoped["total"], scoped["unassigned_open"]) == (3, 1)


def test_reports_print_the_emergencies_of_the_period(emergencies):
    from apps.dashboard.reports.periods import period_bounds

    today = timezone.localdate()
    figures = report_figures(
        wards=ALL_WARDS,
        payment_wards=ALL_WARDS,
        emergency_wards={"12"},
        period=period_bounds(today - timedelta(days=1), today),
    )
    assert figures["emergencies"]["total"] == 1
    section = next(s for s in report_sections(figures) if s.sheet == "Emergencies")
    assert ["মোট / Raised", 1] in section.rows
    assert ["অগ্নিকাণ্ড / Fire", 1] in section.rows
