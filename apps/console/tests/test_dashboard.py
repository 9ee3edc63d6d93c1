"""Dashboard and reports: every URL × role, the API's figures for the viewer's scope (drawn and
tabled, labels not codes), money only with payment rights, reports asked, followed, downloaded."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from apps.complaints.models import Complaint
from apps.complaints.tests.factories import ComplaintFactory
from apps.dashboard.models import Report, ReportStatus
from apps.emergency.tests.factories import EmergencyFactory
from apps.payments.models import Payment
from apps.users.models import ActivityAction, ActivityLog
from apps.users.tests.factories import AdminPermissionFactory

ROLES = ["anonymous", "citizen", "provider", "ward_admin", "other_admin", "super_admin"]
RESOLVED = "সমাধান হয়েছে"
ROADS = "রাস্তাঘাট"


def person(cast, role):
    return None if role == "anonymous" else getattr(cast, role)


@pytest.fixture
def figures(cast):
    """Ward 5: one open (cleanliness), one resolved road complaint rated 4 in 10 h; ward 9: one
    open; a fire in ward 5; a completed trade licence payment by a ward-5 citizen."""
    now = timezone.now()
    ComplaintFactory(user=cast.citizen, ward_number="5")
    road = ComplaintFactory(
        user=cast.citizen,
        ward_number="5",
        category=ROADS,
        status=RESOLVED,
        rating=4,
        resolved_at=now,
    )
    Complaint.objects.filter(pk=road.pk).update(
        created_at=now - timedelta(hours=10), resolved_at=now
    )
    ComplaintFactory(user=cast.citizen, ward_number="9")
    EmergencyFactory(user=cast.citizen, ward_number="5")
    AdminPermissionFactory(
        admin=cast.ward_admin, ward_numbers=["5", "6"], permission_type="emergency"
    )
    Payment.objects.create(
        user=cast.citizen,
        service_type="trade_licence_fee",
        amount=Decimal("1500.00"),
        payment_method="bkash",
        phone_number=cast.citizen.phone,
        transaction_id="CCPTEST000001",
        gateway="bkash",
        status="completed",
        completed_at=now,
        gateway_trx_id="TRX000001",
    )
    return cast


@pytest.fixture
def report(cast):
    return Report.objects.create(
        requested_by=cast.ward_admin,
        report_type="daily",
        format="pdf",
        period_start=timezone.localdate(),
        period_end=timezone.localdate(),
        scope=["5", "6"],
    )


def urls(report):
    return {
        "dashboard": ("get", "/console/dashboard/", {}),
        "reports": ("get", "/console/reports/", {}),
        "request": ("post", "/console/reports/", {"report_type": "daily", "format": "excel"}),
        "report": ("get", f"/console/reports/{report.pk}/", {}),
        "download": ("get", f"/console/reports/{report.pk}/download/", {}),
    }


# The report is the ward admin's: the other ward's admin gets 404 (as over the API), the super
# admin sees it; it is still pending, so its download sends back to its page with a message.
ALLOWED = {"dashboard": 200, "reports": 200, "request": 302, "report": 200, "download": 302}
EXPECTED = {
    "anonymous": dict.fromkeys(ALLOWED, 302),
    "citizen": dict.fromkeys(ALLOWED, 403),
    "provider": dict.fromkeys(ALLOWED, 403),
    "ward_admin": ALLOWED,
    "other_admin": {**ALLOWED, "report": 404, "download": 404},
    "super_admin": ALLOWED,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(ALLOWED))
def test_permission_matrix(cast, report, console_as, role, name):
    method, url, data = urls(report)[name]

    response = getattr(console_as(person(cast, role)), method)(url, data)

    assert response.status_code == EXPECTED[role][name]
    if role == "anonymous":
        assert response["Location"].startswith("/console/login/?next=")
    made = Report.objects.exclude(pk=report.pk)
    asked = name == "request" and role in ("ward_admin", "other_admin", "super_admin")
    assert made.exists() is asked
    if role == "provider":
        assert "This screen is for ward admins and the super admin." in response.content.decode()


def test_the_dashboard_shows_the_apis_figures_for_the_viewers_wards(figures, console_as, api_as):
    for viewer in (figures.ward_admin, figures.other_admin, figures.super_admin):
        kpi = console_as(viewer).get("/console/dashboard/").context["kpi"]
        api = api_as(viewer).get("/api/v1/dashboard/kpi/").json()
        assert kpi["complaint_stats"]["by_status"] == [
            {**row, "status": row["status"]} for row in api["complaint_stats"]["by_status"]
        ]
        assert [(w["ward_number"], str(w["resolution_rate"])) for w in kpi["ward_performance"]] == [
            (w["ward_number"], w["resolution_rate"]) for w in api["ward_performance"]
        ]


def test_a_ward_admin_never_sees_another_wards_figures(figures, console_as):
    page = console_as(figures.ward_admin).get("/console/dashboard/")
    html = page.content.decode()

    assert page.context["kpi"]["complaint_stats"]["total"] == 2
    assert [w["ward_number"] for w in page.context["kpi"]["ward_performance"]] == ["5"]
    assert "Ward 9" not in html
    assert '<span class="tile-value" data-figure="total">2</span>' in html

    other = console_as(figures.other_admin).get("/console/dashboard/")
    assert other.context["kpi"]["complaint_stats"]["total"] == 1
    assert [w["ward_number"] for w in other.context["kpi"]["ward_performance"]] == ["9"]

    city = console_as(figures.super_admin).get("/console/dashboard/")
    assert city.context["kpi"]["complaint_stats"]["total"] == 3


def test_charts_are_inline_svg_with_labelled_tables(figures, console_as):
    html = console_as(figures.ward_admin).get("/console/dashboard/").content.decode()

    assert html.count('<svg viewBox="0 0 320') == 5  # status, category, wards, stars, emergencies
    assert "<script" not in html
    for label in ("Submitted", "Resolved", "Roads", "Cleanliness", "Ward 5", "4 stars", "Fire"):
        assert f'<th scope="row">{label}</th>' in html, label
    for code in ("in_progress", ">roads<", ">fire<"):
        assert code not in html
    assert '<th scope="row">Resolved</th><td>1</td>' in html
    assert '<th scope="row">Ward 5</th><td>50.00</td>' in html  # share resolved, %
    assert "10.00" in html  # hours to resolve


def test_money_only_for_those_with_payment_rights(figures, console_as):
    without = console_as(figures.ward_admin).get("/console/dashboard/")
    assert without.context["money"] is None
    assert 'id="revenue"' not in without.content.decode()

    city = console_as(figures.super_admin).get("/console/dashboard/").content.decode()
    assert 'data-figure="total_revenue">৳ 1500.00</dd>' in city
    assert '<th scope="row">bKash</th><td>1500.00</td>' in city
    assert '<th scope="row">Trade licence fee</th><td>1500.00</td>' in city

    AdminPermissionFactory(
        admin=figures.other_admin, ward_numbers=["9"], permission_type="payments"
    )
    paid_nine = console_as(figures.other_admin).get("/console/dashboard/")
    assert paid_nine.context["money"]["total_revenue"] == Decimal("0.00")  # the payer is in 5
    assert 'id="revenue"' in paid_nine.content.decode()


def test_emergencies_only_with_emergency_rights(figures, console_as):
    assert (
        'id="emergencies"'
        in console_as(figures.ward_admin).get("/console/dashboard/").content.decode()
    )
    assert (
        'id="emergencies"'
        not in console_as(figures.other_admin).get("/console/dashboard/").content.decode()
    )


def test_a_report_is_asked_made_and_downloaded(cast, console_as):
    client = console_as(cast.ward_admin)

    response = client.post(
        "/console/reports/", {"report_type": "monthly", "format": "pdf", "start": ""}
    )

    report = Report.objects.get()
    assert response["Location"] == f"/console/reports/{report.pk}/"
    assert (report.report_type, report.format, report.status) == ("monthly", "pdf", "completed")
    assert report.scope == ["5", "6"]
    assert ActivityLog.objects.filter(action=ActivityAction.REPORT_REQUESTED).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert f'href="/console/reports/{report.pk}/download/"' in page
    listed = client.get("/console/reports/").content.decode()
    assert f'data-report="{report.pk}" data-status="completed"' in listed

    download = client.get(f"/console/reports/{report.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert (
        console_as(cast.other_admin).get(f"/console/reports/{report.pk}/download/").status_code
        == 404
    )


def test_a_pending_report_refreshes_and_has_no_download(cast, report, console_as):
    client = console_as(cast.ward_admin)
    page = client.get(f"/console/reports/{report.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "/download/" not in page

    response = client.get(f"/console/reports/{report.pk}/download/", follow=True)
    assert "This report has no file yet." in response.content.decode()
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED)
    failed = client.get(f"/console/reports/{report.pk}/").content.decode()
    assert "The report could not be made. Please ask for it again." in failed
    assert "refresh" not in failed


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"report_type": "hourly", "format": "pdf"}, "&quot;hourly&quot; is not a valid choice."),
        ({"report_type": "daily", "format": "word"}, "&quot;word&quot; is not a valid choice."),
        ({"report_type": "daily", "format": "pdf", "start": "2999-01-01"}, "Choose a day between"),
        ({"report_type": "daily", "format": "pdf", "start": "soon"}, "Date has wrong format."),
    ],
)
def test_bad_report_requests_are_refused_with_a_message(cast, console_as, data, message):
    response = console_as(cast.ward_admin).post("/console/reports/", data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Report.objects.exists()


def test_a_ward_admin_without_complaint_rights_is_told_why(cast, console_as):
    cast.ward_admin.admin_permissions.all().delete()

    response = console_as(cast.ward_admin).post(
        "/console/reports/", {"report_type": "daily", "format": "pdf"}, follow=True
    )

    assert "Reports need permission to read complaints in at least one ward." in (
        response.content.decode()
    )
    assert not Report.objects.exists()


def test_the_list_holds_only_ones_own_reports(cast, report, console_as):
    mine = console_as(cast.super_admin).get("/console/reports/").context["reports"]
    assert list(mine) == []
    theirs = console_as(cast.ward_admin).get("/console/reports/").context["reports"]
    assert list(theirs) == [report]


@pytest.mark.parametrize("path", ["/console/reports/"])
def test_csrf_is_enforced(cast, path):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(cast.ward_admin)

    response = client.post(path, {"report_type": "daily", "format": "pdf"})

    assert response.status_code == 403
    assert not Report.objects.exists()


def test_a_report_whose_file_is_gone_is_404_not_500(cast, report, console_as, api_as):
    from django.core.files.base import ContentFile

    report.status = "completed"
    report.file.save("gone.pdf", ContentFile(b"%PDF-1.4"), save=True)
    report.file.storage.delete(report.file.name)

    console = console_as(cast.ward_admin).get(f"/console/reports/{report.pk}/download/")
    assert console.status_code == 404
    api = api_as(cast.ward_admin).get(f"/api/v1/dashboard/reports/{report.pk}/download/")
    assert api.status_code == 404
    assert api.json()["code"] == "report_not_found"
