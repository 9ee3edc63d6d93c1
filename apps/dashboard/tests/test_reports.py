"""Reports: request → Celery (eager here) → completed → download, PDF and XLSX read back and
compared with numbers worked out from the fixture; Dhaka periods; who may see what; failures."""

from __future__ import annotations

import io
import itertools
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from apps.complaints.models import Complaint
from apps.complaints.tests.factories import ComplaintFactory
from apps.dashboard.models import Report, ReportStatus
from apps.dashboard.reports import services as report_services
from apps.dashboard.reports.periods import period_bounds, report_period
from apps.payments.models import Payment
from apps.users.models import ActivityLog, User
from apps.users.tests.factories import UserFactory

from .conftest import CANCELLED, CLEAN, IN_PROGRESS, RESOLVED, ROADS, SUBMITTED, WASTE, WATER

pytestmark = pytest.mark.django_db

DHAKA = ZoneInfo("Asia/Dhaka")
GENERATE = "/api/v1/dashboard/reports/generate/"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_CODES = {SUBMITTED: "submitted", IN_PROGRESS: "in_progress", RESOLVED: "resolved",
                CANCELLED: "cancelled"}  # fmt: skip


def dhaka(*args) -> datetime:
    return datetime(*args, tzinfo=DHAKA)


# March 2024 in Dhaka, with its edges: (ward, category, status, filed at, rating).
# 1 March 00:00 Dhaka is 29 Feb 18:00 UTC: a UTC month would take the wrong ones.
MARCH_COMPLAINTS = [
    ("1", WASTE, RESOLVED, dhaka(2024, 3, 1, 0, 0), 5),
    ("1", WASTE, SUBMITTED, dhaka(2024, 3, 10, 12, 0), None),
    ("2", ROADS, IN_PROGRESS, dhaka(2024, 3, 15, 9, 30), None),
    ("2", CLEAN, RESOLVED, dhaka(2024, 3, 20, 8, 0), 3),
    ("5", WATER, CANCELLED, dhaka(2024, 3, 25, 17, 0), None),
    ("5", WASTE, RESOLVED, dhaka(2024, 3, 31, 23, 59, 59), 4),
]
OUTSIDE_COMPLAINTS = [
    ("1", WASTE, RESOLVED, dhaka(2024, 2, 29, 23, 59, 59), 1),
    ("2", ROADS, SUBMITTED, dhaka(2024, 4, 1, 0, 0), None),
]
# (ward of payer, method, status, amount, refunded, completed at, created at)
MARCH_PAYMENTS = [
    ("1", "bkash", "completed", "150.00", "0", dhaka(2024, 3, 1, 0, 0)),
    ("1", "bkash", "completed", "1000.50", "200.25", dhaka(2024, 3, 12, 10, 0)),
    ("2", "nagad", "completed", "500.00", "0", dhaka(2024, 3, 31, 23, 59)),
    ("5", "rocket", "refunded", "300.00", "300.00", dhaka(2024, 3, 5, 14, 0)),
    ("5", "upay", "completed", "75.25", "0", dhaka(2024, 3, 18, 11, 0)),
]
OUTSIDE_PAYMENTS = [
    ("1", "bkash", "completed", "999.00", "0", dhaka(2024, 2, 29, 23, 59)),
    ("2", "nagad", "completed", "888.00", "0", dhaka(2024, 4, 1, 0, 0)),
]
_numbers = itertools.count(1)


def _complaint(owner, ward, category, status, filed, rating):
    resolved = filed.replace(hour=23, minute=59, second=59) if status == RESOLVED else None
    complaint = ComplaintFactory(user=owner, ward_number=ward, category=category, status=status,
                                 rating=rating, resolved_at=resolved)  # fmt: skip
    Complaint.objects.filter(pk=complaint.pk).update(created_at=filed, resolved_at=resolved)


def _payment(user, method, status, amount, refunded, completed):
    number = next(_numbers)
    payment = Payment.objects.create(
        user=user, service_type="waste_collection_fee", amount=Decimal(amount),
        payment_method=method, phone_number=user.phone, transaction_id=f"CCPREP{number:06d}",
        gateway="bkash", status=status, refunded_amount=Decimal(refunded), completed_at=completed,
        gateway_trx_id=f"REPTRX{number:06d}",
    )  # fmt: skip
    Payment.objects.filter(pk=payment.pk).update(created_at=completed)


@pytest.fixture
def march(city):
    """March 2024's complaints and payments (and their neighbours just outside) on top of the
    dashboard's city, whose own data is all from around now, so outside March too."""
    people = {ward: UserFactory(ward_number=ward) for ward in ("1", "2", "5")}
    for ward, *rest in MARCH_COMPLAINTS + OUTSIDE_COMPLAINTS:
        _complaint(people[ward], ward, *rest)
    for ward, *rest in MARCH_PAYMENTS + OUTSIDE_PAYMENTS:
        _payment(people[ward], *rest)
    User.objects.filter(pk__in=[u.pk for u in people.values()]).update(
        created_at=dhaka(2024, 3, 2, 10, 0)
    )
    return city


def _generate(client, **body):
    return client.post(GENERATE, body, format="json")


def _completed(client, response) -> dict:
    assert response.status_code == 202, response.content
    body = response.json()
    assert set(body) == {"report_id", "status"}
    detail = client.get(f"/api/v1/dashboard/reports/{body['report_id']}/")
    assert detail.status_code == 200, detail.content
    return detail.json()


def _download(client, report: dict):
    response = client.get(f"/api/v1/dashboard/reports/{report['id']}/download/")
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


TOTAL = "মোট / Total"


def _rows(sheet) -> list[tuple]:
    """The table under the header row, up to its total row or the first empty row."""
    rows = []
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[0] in (None, TOTAL):
            break
        rows.append(row)
    return rows


def _total(sheet) -> tuple:
    return next(row for row in sheet.iter_rows(values_only=True) if row[0] == TOTAL)


def _expected_statuses(complaints, wards=None) -> dict[str, int]:
    counts = Counter(STATUS_CODES[s] for w, _c, s, _f, _r in complaints if not wards or w in wards)
    return {code: counts.get(code, 0) for code in STATUS_CODES.values()}


def _expected_methods(payments, wards=None) -> dict[str, tuple[int, Decimal]]:
    out: dict[str, tuple[int, Decimal]] = {}
    for ward, method, status, amount, refunded, _at in payments:
        if status != "completed" or (wards and ward not in wards):
            continue
        count, total = out.get(method, (0, Decimal("0")))
        out[method] = (count + 1, total + Decimal(amount) - Decimal(refunded))
    return out


# ---------------------------------------------------------------------------------------------
# The whole way: request, task, status, download, numbers
# ---------------------------------------------------------------------------------------------
def test_monthly_excel_report_has_exactly_the_months_numbers(api_as, march):
    client = api_as(march.super_admin)
    report = _completed(client, _generate(client, report_type="monthly", format="excel",
                                          start="2024-03-15"))  # fmt: skip
    assert report["status"] == "completed"
    assert (report["period_start"], report["period_end"]) == ("2024-03-01", "2024-03-31")
    assert report["failure_reason"] == ""
    assert report["download_url"].endswith(f"/api/v1/dashboard/reports/{report['id']}/download/")

    response, content = _download(client, report)
    assert response["Content-Type"] == XLSX_TYPE
    assert 'filename="report-monthly-20240301-20240331.xlsx"' in response["Content-Disposition"]

    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames[0] == "Summary"
    assert {"Complaints by status", "Categories", "Ward ranking", "Satisfaction", "Service time",
            "Revenue by method", "Revenue by service", "Refunds and open money", "Donations",
            "New users"} <= set(book.sheetnames)  # fmt: skip
    summary = dict(_rows(book["Summary"]))
    assert summary["শুরু / Period start"] == "01/03/2024"
    assert summary["শেষ / Period end"] == "31/03/2024"
    assert summary["এলাকা / Scope"] == "সমগ্র সিটি / Whole city"
    assert summary["মোট অভিযোগ / Complaints filed"] == len(MARCH_COMPLAINTS)

    statuses = {code: count for _label, code, count in _rows(book["Complaints by status"])}
    assert statuses == _expected_statuses(MARCH_COMPLAINTS)
    assert all(type(count) is int for count in statuses.values())
    assert _total(book["Complaints by status"])[2] == len(MARCH_COMPLAINTS)

    methods = {row[1]: (row[2], row[3]) for row in _rows(book["Revenue by method"])}
    expected = _expected_methods(MARCH_PAYMENTS)
    for method, (count, amount) in methods.items():
        want_count, want_amount = expected.get(method, (0, Decimal("0")))
        assert count == want_count, method
        assert isinstance(amount, int | float), method  # a number, not a string
        assert Decimal(str(amount)) == want_amount, method
    _label, _code, count, total = _total(book["Revenue by method"])
    assert (count, Decimal(str(total))) == (4, Decimal("1525.50"))  # 150+800.25+500+75.25
    assert Decimal("1525.50") == sum(amount for _count, amount in expected.values())

    refunds = {row[0]: (row[1], row[2]) for row in _rows(book["Refunds and open money"])}
    assert refunds["ফেরত / Refunded"] == (2, 500.25)  # the 200.25 part and the 300 whole refund

    users = {row[1]: row[2] for row in _rows(book["New users"])}
    assert users == {"citizen": 3, "admin": 0, "super_admin": 0, "service_provider": 0}


def test_pdf_report_embeds_the_bengali_font(api_as, march):
    client = api_as(march.super_admin)
    report = _completed(client, _generate(client, report_type="monthly", format="pdf",
                                          start="2024-03-01"))  # fmt: skip
    assert report["status"] == "completed"
    response, content = _download(client, report)
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="report-monthly-20240301-20240331.pdf"' in response["Content-Disposition"]
    assert content.startswith(b"%PDF")
    assert b"NotoSansBengali" in content
    assert b"NotoSans-" in content  # the Latin face for the English half


def test_ward_admin_report_is_scoped_to_their_wards(api_as, march):
    client = api_as(march.ward_admin)  # complaints: wards 1 and 2; payments: ward 1
    report = _completed(client, _generate(client, report_type="monthly", format="excel",
                                          start="2024-03-31"))  # fmt: skip
    stored = Report.objects.get(pk=report["id"])
    assert (stored.scope, stored.payments_scope) == (["1", "2"], ["1"])
    book = load_workbook(io.BytesIO(_download(client, report)[1]))
    statuses = {code: count for _label, code, count in _rows(book["Complaints by status"])}
    assert statuses == _expected_statuses(MARCH_COMPLAINTS, wards={"1", "2"})
    methods = {row[1]: (row[2], Decimal(str(row[3]))) for row in _rows(book["Revenue by method"])}
    assert methods["bkash"] == (2, Decimal("950.25"))
    assert methods["nagad"] == (0, Decimal("0"))  # ward 2's payment: outside the payments scope
    summary = dict(_rows(book["Summary"]))
    assert summary["এলাকা / Scope"] == "ওয়ার্ড / Wards 1, 2"


def test_request_is_audited_and_idempotent(api_as, march):
    client = api_as(march.super_admin)
    headers = {"HTTP_IDEMPOTENCY_KEY": "report-once"}
    body = {"report_type": "daily", "format": "pdf", "start": "2024-03-01"}
    first = client.post(GENERATE, body, format="json", **headers)
    again = client.post(GENERATE, body, format="json", **headers)
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Report.objects.count() == 1
    log = ActivityLog.objects.get(action="dashboard.report_requested")
    assert (log.user, str(log.resource_id)) == (march.super_admin, first.json()["report_id"])


def test_the_task_does_nothing_for_a_finished_report(api_as, march):
    client = api_as(march.super_admin)
    report = _completed(client, _generate(client, report_type="daily", format="excel"))
    stored = Report.objects.get(pk=report["id"])
    report_services.report_generate(report_id=report["id"])
    again = Report.objects.get(pk=report["id"])
    assert (again.file.name, again.completed_at) == (stored.file.name, stored.completed_at)


def test_a_redelivered_task_leaves_a_running_report_to_its_worker_until_it_is_stale(api_as, march):
    from django.utils import timezone

    client = api_as(march.super_admin)
    report_id = _generate(client, report_type="daily", format="excel").json()["report_id"]
    Report.objects.filter(pk=report_id).update(status="running", file="")
    assert report_services.report_generate(report_id=report_id).status == "running"
    stale = timezone.now() - report_services.RUNNING_STALE_AFTER - timezone.timedelta(minutes=1)
    Report.objects.filter(pk=report_id).update(created_at=stale)
    assert report_services.report_generate(report_id=report_id).status == "completed"


def test_the_audit_trail_names_a_report_request(api_as, march):
    from apps.users.admin_serializers import ActivityLogSerializer
    from apps.users.models import ActivityLog

    client = api_as(march.super_admin)
    _generate(client, report_type="daily", format="pdf")
    row = ActivityLog.objects.get(action="dashboard.report_requested")
    assert ActivityLogSerializer(row).data["action_display"] != "dashboard.report_requested"


# ---------------------------------------------------------------------------------------------
# Periods in Dhaka time
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("report_type", "start", "first", "last"),
    [
        ("daily", date(2024, 3, 1), date(2024, 3, 1), date(2024, 3, 1)),
        ("weekly", date(2024, 3, 6), date(2024, 3, 4), date(2024, 3, 10)),  # a Wednesday
        ("weekly", date(2024, 3, 4), date(2024, 3, 4), date(2024, 3, 10)),  # a Monday
        ("weekly", date(2024, 3, 10), date(2024, 3, 4), date(2024, 3, 10)),  # a Sunday
        ("weekly", date(2024, 12, 31), date(2024, 12, 30), date(2025, 1, 5)),
        ("monthly", date(2024, 2, 10), date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        ("monthly", date(2024, 12, 31), date(2024, 12, 1), date(2024, 12, 31)),
        ("quarterly", date(2024, 5, 15), date(2024, 4, 1), date(2024, 6, 30)),
        ("quarterly", date(2024, 11, 1), date(2024, 10, 1), date(2024, 12, 31)),
        ("quarterly", date(2024, 1, 1), date(2024, 1, 1), date(2024, 3, 31)),
        ("yearly", date(2024, 7, 4), date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_periods(report_type, start, first, last):
    assert report_period(report_type=report_type, start=start) == (first, last)


def test_period_bounds_are_dhaka_midnights():
    period = period_bounds(date(2024, 3, 1), date(2024, 3, 31))
    assert period.since == datetime(2024, 2, 29, 18, 0, tzinfo=ZoneInfo("UTC"))
    assert period.until == datetime(2024, 3, 31, 18, 0, tzinfo=ZoneInfo("UTC"))


@pytest.mark.parametrize(
    ("report_type", "first", "last"),
    [
        ("daily", "2024-04-01", "2024-04-01"),
        ("weekly", "2024-04-01", "2024-04-07"),
        ("monthly", "2024-04-01", "2024-04-30"),
        ("quarterly", "2024-04-01", "2024-06-30"),
        ("yearly", "2024-01-01", "2024-12-31"),
    ],
)
def test_default_period_is_the_one_containing_today_in_dhaka(
    api_as, city, monkeypatch, report_type, first, last
):
    # 31 March 19:00 UTC is already 1 April 01:00 in Dhaka.
    monkeypatch.setattr(
        "django.utils.timezone.now", lambda: datetime(2024, 3, 31, 19, 0, tzinfo=ZoneInfo("UTC"))
    )
    client = api_as(city.super_admin)
    response = _generate(client, report_type=report_type, format="excel")
    assert response.status_code == 202, response.content
    report = Report.objects.get(pk=response.json()["report_id"])
    assert (report.period_start.isoformat(), report.period_end.isoformat()) == (first, last)


# ---------------------------------------------------------------------------------------------
# Who may ask and who may see
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("citizen", 403, "permission_denied"),
        ("provider", 403, "permission_denied"),
        ("bare_admin", 403, "no_report_scope"),  # an admin without any complaints wards
    ],
)
def test_who_may_not_ask(api, api_as, city, role, status, code):
    client = api if role == "anonymous" else api_as(getattr(city, role))
    response = _generate(client, report_type="daily", format="pdf")
    assert response.status_code == status
    assert response.json()["code"] == code
    assert Report.objects.count() == 0


def test_a_report_is_for_its_requester_and_super_admins(api, api_as, city):
    mine = _generate(api_as(city.ward_admin), report_type="daily", format="pdf").json()
    theirs = _generate(api_as(city.super_admin), report_type="daily", format="excel").json()
    mine_url = f"/api/v1/dashboard/reports/{mine['report_id']}/"
    theirs_url = f"/api/v1/dashboard/reports/{theirs['report_id']}/"

    assert api_as(city.ward_admin).get(mine_url).status_code == 200
    assert api_as(city.ward_admin).get(f"{mine_url}download/").status_code == 200
    assert api_as(city.super_admin).get(mine_url).status_code == 200
    assert api_as(city.super_admin).get(f"{mine_url}download/").status_code == 200
    for url in (mine_url, f"{mine_url}download/"):
        refused = api_as(city.other_admin).get(url)
        assert (refused.status_code, refused.json()["code"]) == (404, "report_not_found")
        assert api_as(city.citizen).get(url).status_code == 403
        assert api_as(city.provider).get(url).status_code == 403
        assert api.get(url).status_code == 401
    assert api_as(city.ward_admin).get(theirs_url).status_code == 404
    assert api_as(city.ward_admin).get(f"{theirs_url}download/").status_code == 404
    missing = "/api/v1/dashboard/reports/00000000-0000-0000-0000-000000000000/"
    assert api_as(city.super_admin).get(missing).status_code == 404


def test_the_mobile_prefix_gets_its_own_download_url(api_as, city):
    client = api_as(city.super_admin)
    report_id = _generate(client, report_type="daily", format="pdf").json()["report_id"]
    body = client.get(f"/api/dashboard/reports/{report_id}/").json()
    assert body["download_url"] == f"http://testserver/api/dashboard/reports/{report_id}/download/"


# ---------------------------------------------------------------------------------------------
# Failures and bad input
# ---------------------------------------------------------------------------------------------
def test_a_rendering_failure_marks_the_report_failed(api_as, city, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("chart engine exploded")

    monkeypatch.setattr(report_services, "report_pdf", broken)
    client = api_as(city.super_admin)
    report = _completed(client, _generate(client, report_type="weekly", format="pdf"))
    assert report["status"] == "failed"
    assert report["failure_reason"] == (
        "could not be rendered (RuntimeError); the server log has the details"
    )
    assert "exploded" not in str(report)
    assert report["download_url"] is None
    assert report["completed_at"] is not None
    download = client.get(f"/api/v1/dashboard/reports/{report['id']}/download/")
    assert (download.status_code, download.json()["code"]) == (409, "report_not_ready")
    stored = Report.objects.get(pk=report["id"])
    assert (stored.status, stored.file.name or None) == (ReportStatus.FAILED, None)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"report_type": "hourly", "format": "pdf"}, "report_type"),
        ({"report_type": "daily", "format": "docx"}, "format"),
        ({"format": "pdf"}, "report_type"),
        ({"report_type": "daily"}, "format"),
        ({"report_type": "daily", "format": "pdf", "start": "2024-13-01"}, "start"),
        ({"report_type": "daily", "format": "pdf", "start": "yesterday"}, "start"),
        ({"report_type": ["daily"], "format": "pdf"}, "report_type"),
        ({"report_type": "weekly", "format": "pdf", "start": "9999-12-31"}, "start"),
        ({"report_type": "quarterly", "format": "excel", "start": "9999-12-31"}, "start"),
        ({"report_type": "yearly", "format": "pdf", "start": "0001-01-01"}, "start"),
        ({"report_type": "daily", "format": "pdf", "start": "1999-12-31"}, "start"),
        ({"report_type": "monthly", "format": "pdf", "start": "2100-01-01"}, "start"),
    ],
)
def test_bad_input_creates_nothing(api_as, city, body, field):
    response = _generate(api_as(city.super_admin), **body)
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert field in response.json()["details"]
    assert Report.objects.count() == 0
    assert not ActivityLog.objects.filter(action="dashboard.report_requested").exists()


def test_report_files_are_kept_where_no_url_serves_them(api_as, march, settings):
    from pathlib import Path

    from apps.dashboard.models import Report

    client = api_as(march.super_admin)
    _completed(client, _generate(client, report_type="monthly", format="excel", start="2024-03-01"))
    stored = Path(Report.objects.get().file.path)
    assert stored.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert not stored.is_relative_to(settings.MEDIA_ROOT)
