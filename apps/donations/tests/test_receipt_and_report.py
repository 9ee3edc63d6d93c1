"""The PDF receipt of a completed donation and the staff report by project and period."""

import uuid
from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.donations.models import Donation, DonationProject
from apps.payments.models import Payment
from apps.payments.tests.test_flow import come_back, pay
from apps.users.services import admin_permission_grant
from apps.users.tests.factories import UserFactory

from .test_flow import give

pytestmark = pytest.mark.django_db

REPORT = "/api/v1/donations/report/"


@pytest.fixture
def projects():
    return {
        slug: DonationProject.objects.create(slug=slug, name_bn=bn, name_en=en, sort_order=order)
        for order, (slug, bn, en) in enumerate(
            [
                ("tree-planting", "বৃক্ষরোপণ কর্মসূচি", "Tree planting drive"),
                ("flood-relief", "বন্যা ত্রাণ তহবিল", "Flood relief fund"),
                ("canal-cleanup", "খাল পরিষ্কার অভিযান", "Canal clean-up campaign"),
            ]
        )
    }


def donated(user, project, amount, when, status="completed"):
    """A settled donation written directly (the flow is covered by test_flow)."""
    reference = f"CCP{uuid.uuid4().hex[:16].upper()}"
    payment = Payment.objects.create(
        user=user,
        service_type="donation",
        amount=Decimal(amount),
        payment_method="bkash",
        phone_number=user.phone,
        transaction_id=reference,
        gateway="bkash",
        status="completed" if status == "completed" else "failed",
        completed_at=when if status == "completed" else None,
    )
    return Donation.objects.create(
        user=user,
        project=project,
        project_name=project.name_bn,
        amount=Decimal(amount),
        payment_method="bkash",
        payment=payment,
        transaction_id=reference,
        receipt_number=f"CCD-TEST-{uuid.uuid4().hex[:10]}",
        status=status,
        completed_at=when if status == "completed" else None,
    )


def dhaka(*args) -> datetime:
    return timezone.make_aware(datetime(*args), timezone.get_default_timezone())


def test_the_receipt_is_a_pdf_for_the_donor_and_money_staff_only(
    api_as, citizen, api, projects, super_admin
):
    body = give(api_as(citizen), "upay", amount="12500.00").json()
    come_back(api, pay(api, body["payment_url"]))
    url = f"/api/v1/donations/{body['donation_id']}/receipt/"

    first = api_as(citizen).get(url)
    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert body["receipt_number"] in first["Content-Disposition"]
    pdf = first.content
    assert pdf.startswith(b"%PDF-")
    assert b"+NotoSansBengali-Regular" in pdf  # the Bengali font is embedded (subset)
    assert api_as(citizen).get(url).content == pdf  # the same receipt, byte for byte
    assert api_as(super_admin).get(url).status_code == 200

    ward_admin = UserFactory(user_type="admin")
    assert api_as(ward_admin).get(url).status_code == 404
    citizen.ward_number = "12"
    citizen.save(update_fields=["ward_number"])
    admin_permission_grant(admin=ward_admin, permission_type="payments", ward_numbers=["12"])
    assert api_as(ward_admin).get(url).status_code == 200
    assert api.get(url).status_code == 401


def test_the_report_totals_completed_gifts_by_project_and_month(api_as, super_admin, projects):
    ana, bo = UserFactory(), UserFactory()
    trees, flood = projects["tree-planting"], projects["flood-relief"]
    donated(ana, trees, "100.00", dhaka(2026, 9, 30, 23, 30))  # September in Dhaka
    donated(ana, trees, "250.50", dhaka(2026, 10, 1, 0, 15))
    donated(bo, flood, "1000.00", dhaka(2026, 10, 20, 12, 0))
    donated(bo, flood, "999.00", dhaka(2026, 10, 21, 12, 0), status="failed")
    donated(bo, trees, "40.00", dhaka(2026, 12, 1, 0, 0))  # after the range

    answer = api_as(super_admin).get(
        REPORT, {"date_from": "2026-09-01", "date_to": "2026-11-30", "period": "month"}
    )

    assert answer.status_code == 200, answer.content
    report = answer.json()
    assert report["total"] == {"amount": "1350.50", "count": 3, "donors": 2}
    assert [(p["project"], p["amount"], p["count"], p["donors"]) for p in report["projects"]] == [
        ("tree-planting", "350.50", 2, 1),
        ("flood-relief", "1000.00", 1, 1),
        ("canal-cleanup", "0.00", 0, 0),
    ]
    assert [(p["period"], p["amount"], p["count"]) for p in report["periods"]] == [
        ("2026-09-01", "100.00", 1),
        ("2026-10-01", "1250.50", 2),
        ("2026-11-01", "0.00", 0),
    ]
    assert sorted((r["period"], r["project"], r["amount"]) for r in report["rows"]) == [
        ("2026-09-01", "tree-planting", "100.00"),
        ("2026-10-01", "flood-relief", "1000.00"),
        ("2026-10-01", "tree-planting", "250.50"),
    ]


def test_the_report_by_day_for_one_project(api_as, super_admin, projects):
    ana = UserFactory()
    donated(ana, projects["flood-relief"], "10.00", dhaka(2026, 10, 2, 9))
    donated(ana, projects["flood-relief"], "15.00", dhaka(2026, 10, 2, 21))
    donated(ana, projects["tree-planting"], "99.00", dhaka(2026, 10, 2, 9))
    report = (
        api_as(super_admin)
        .get(
            REPORT,
            {
                "date_from": "2026-10-01",
                "date_to": "2026-10-03",
                "period": "day",
                "project": "flood-relief",
            },
        )
        .json()
    )
    assert report["total"]["amount"] == "25.00"
    assert [(p["period"], p["amount"]) for p in report["periods"]] == [
        ("2026-10-01", "0.00"),
        ("2026-10-02", "25.00"),
        ("2026-10-03", "0.00"),
    ]


def test_the_report_is_for_money_staff_and_checks_its_range(api_as, citizen, super_admin):
    assert api_as(citizen).get(REPORT).status_code == 403
    provider = UserFactory(user_type="service_provider")
    assert api_as(provider).get(REPORT).status_code == 403
    assert api_as(UserFactory(user_type="admin")).get(REPORT).status_code == 403
    default = api_as(super_admin).get(REPORT)
    assert default.status_code == 200
    assert len(default.json()["periods"]) == 12  # this month and the eleven before it
    backwards = api_as(super_admin).get(
        REPORT, {"date_from": "2026-10-02", "date_to": "2026-10-01"}
    )
    assert backwards.status_code == 400
    assert "date_from" in backwards.json()["details"]
    too_fine = api_as(super_admin).get(
        REPORT, {"date_from": "2020-01-01", "date_to": "2026-01-01", "period": "day"}
    )
    assert too_fine.status_code == 400
    assert "period" in too_fine.json()["details"]
    assert api_as(super_admin).get(REPORT, {"period": "decade"}).status_code == 400
    assert api_as(super_admin).get(REPORT, {"date_from": "yesterday"}).status_code == 400


def test_a_ward_admin_reports_on_the_donors_of_their_wards(api_as, projects):
    here, elsewhere = UserFactory(ward_number="12"), UserFactory(ward_number="40")
    donated(here, projects["tree-planting"], "70.00", dhaka(2026, 10, 5, 10))
    donated(elsewhere, projects["tree-planting"], "30.00", dhaka(2026, 10, 5, 10))
    admin = UserFactory(user_type="admin")
    admin_permission_grant(admin=admin, permission_type="payments", ward_numbers=["12"])
    report = api_as(admin).get(REPORT, {"date_from": "2026-10-01", "date_to": "2026-10-31"}).json()
    assert report["total"]["amount"] == "70.00"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "9999-12-01", "date_to": "9999-12-31"}, "date_from"),
        ({"date_from": "0001-01-01", "date_to": "0001-01-31", "period": "day"}, "date_from"),
        ({"date_from": "1999-12-31", "date_to": "2000-01-31"}, "date_from"),
        ({"date_from": "0001-01-01", "date_to": "9999-12-30", "period": "day"}, "date_from"),
        ({"date_from": "2000-01-01", "date_to": "2026-01-01", "period": "week"}, "period"),
        ({"project": "no-such-project"}, "project"),
        ({"project": "not a slug!"}, "project"),
    ],
)
def test_odd_report_requests_are_refused_not_crashed(api_as, super_admin, params, field):
    answer = api_as(super_admin).get(REPORT, params)
    assert answer.status_code == 400, answer.content
    assert field in answer.json()["details"]


def test_the_default_range_ends_at_date_to(api_as, super_admin):
    report = api_as(super_admin).get(REPORT, {"date_to": "2001-03-15"}).json()
    assert (report["date_from"], report["date_to"]) == ("2000-04-01", "2001-03-15")
    assert len(report["periods"]) == 12


def test_weeks_start_on_monday_and_years_on_the_first(api_as, super_admin, projects):
    ana = UserFactory()
    donated(ana, projects["flood-relief"], "5.00", dhaka(2026, 11, 1, 23, 59))  # a Sunday
    donated(ana, projects["flood-relief"], "7.00", dhaka(2026, 11, 2, 0, 1))  # the Monday after
    weekly = (
        api_as(super_admin)
        .get(REPORT, {"date_from": "2026-10-28", "date_to": "2026-11-05", "period": "week"})
        .json()
    )
    assert [(p["period"], p["amount"]) for p in weekly["periods"]] == [
        ("2026-10-26", "5.00"),
        ("2026-11-02", "7.00"),
    ]
    yearly = (
        api_as(super_admin)
        .get(REPORT, {"date_from": "2025-06-01", "date_to": "2026-11-30", "period": "year"})
        .json()
    )
    assert [(p["period"], p["amount"]) for p in yearly["periods"]] == [
        ("2025-01-01", "0.00"),
        ("2026-01-01", "12.00"),
    ]


def test_the_report_needs_a_signed_in_person(api):
    assert api.get(REPORT).status_code == 401
