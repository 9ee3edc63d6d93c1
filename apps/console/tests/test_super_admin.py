"""The super admin's screens: staff accounts and permissions, refunds, the audit trail and
donation projects. Every URL × role, changes through the API's services, refusals as messages."""

from datetime import datetime
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import translation

from apps.console.audit_details import details_lines, resource_label
from apps.donations.models import DonationProject
from apps.payments.models import PayableService, Payment, Refund
from apps.payments.services import refund_request
from apps.payments.tests.test_flow import come_back, pay, start
from apps.users.models import ActivityAction, ActivityLog, AdminPermission, User
from apps.users.services import activity_record

ROLES = ["anonymous", "citizen", "provider", "ward_admin", "other_admin", "super_admin"]
DHAKA = ZoneInfo("Asia/Dhaka")


def person(cast, role):
    return None if role == "anonymous" else getattr(cast, role)


def said(response) -> list[str]:
    """The messages the person reads after this response (the page a form redirects to)."""
    if response.status_code == 302:
        response = response.client.get(response["Location"])
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def project(db):
    return DonationProject.objects.create(
        slug="flood-relief", name_bn="বন্যা ত্রাণ", name_en="Flood relief", goal_amount=5000
    )


@pytest.fixture
def paid(cast, api_as, api):
    """A completed 150 BDT waste collection fee paid by the cast's citizen through bKash."""
    PayableService.objects.filter(code="waste_collection_fee").update(fixed_fee=Decimal("150"))
    body = start(api_as(cast.citizen), "bkash").json()
    come_back(api, pay(api, body["payment_url"]))
    payment = Payment.objects.get(pk=body["payment_id"])
    assert payment.status == "completed"
    return payment


@pytest.fixture
def refund(paid, cast):
    return refund_request(payment=paid, actor=cast.citizen, reason="Paid twice by mistake")


def state():
    """Everything a super admin screen may change, to compare before and after a refusal."""
    return {
        "users": list(
            User.objects.order_by("pk").values("pk", "is_active", "user_type", "name", "email")
        ),
        "permissions": list(AdminPermission.objects.order_by("pk").values()),
        "refunds": list(Refund.objects.order_by("pk").values("pk", "status")),
        "projects": list(DonationProject.objects.order_by("pk").values()),
    }


def urls(cast, refund, project):
    account = f"/console/staff/{cast.ward_admin.pk}/"
    project_form = {
        "slug": "x",
        "name_bn": "ক",
        "name_en": "X",
        "min_amount": "10",
        "sort_order": "0",
    }
    return {
        "staff": ("get", "/console/staff/", {}),
        "staff_create": (
            "post",
            "/console/staff/",
            {
                "phone": "01711555000",
                "name": "New",
                "password": "a-long-pass-42",
                "user_type": "admin",
            },
        ),
        "staff_account": ("get", account, {}),
        "permissions": (
            "post",
            f"{account}permissions/",
            {"complaints.ward_numbers": "9", "complaints.can_read": "on"},
        ),
        "active": ("post", f"{account}active/", {"is_active": "false"}),
        "edit": ("post", f"{account}edit/", {"name": "Renamed", "user_type": "admin"}),
        "refunds": ("get", "/console/refunds/", {}),
        "approve": ("post", f"/console/refunds/{refund.pk}/approve/", {}),
        "reject": ("post", f"/console/refunds/{refund.pk}/reject/", {"reason": "No"}),
        "audit": ("get", "/console/audit/", {}),
        "projects": ("get", "/console/donations/", {}),
        "project_create": ("post", "/console/donations/", project_form),
        "project": ("get", f"/console/donations/{project.pk}/", {}),
        "project_edit": (
            "post",
            f"/console/donations/{project.pk}/",
            {**project_form, "slug": "flood-relief"},
        ),
        "project_close": ("post", f"/console/donations/{project.pk}/close/", {}),
    }


SUPER_ADMIN_ANSWERS = {"get": 200, "post": 302}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(cast, refund, project, console_as, role):
    """Only the super admin may use these screens; everyone else changes nothing."""
    for name, (method, url, data) in urls(cast, refund, project).items():
        before = state()
        response = getattr(console_as(person(cast, role)), method)(url, data)
        if role == "anonymous":
            assert response.status_code == 302, name
            assert response["Location"].startswith("/console/login/?next="), name
        elif role == "super_admin":
            assert response.status_code == SUPER_ADMIN_ANSWERS[method], (name, said(response))
            continue
        else:
            assert response.status_code == 403, (role, name)
            page = response.content.decode()
            assert "Not for this account" in page
            staff = role != "citizen"
            assert ("This screen is for the super admin." in page) is staff
        assert state() == before, (role, name)


def test_nav_links_are_for_the_super_admin_only(cast, console_as):
    assert (
        'href="/console/staff/"' in console_as(cast.super_admin).get("/console/").content.decode()
    )
    for user in (cast.ward_admin, cast.provider):
        page = console_as(user).get("/console/").content.decode()
        for url in (
            "/console/staff/",
            "/console/refunds/",
            "/console/audit/",
            "/console/donations/",
        ):
            assert f'href="{url}"' not in page


def test_an_unknown_id_is_a_404(cast, console_as):
    client = console_as(cast.super_admin)
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"/console/staff/{missing}/").status_code == 404
    assert client.get(f"/console/staff/{cast.citizen.pk}/").status_code == 404  # not staff
    assert client.get(f"/console/staff/{cast.super_admin.pk}/").status_code == 404
    assert client.post(f"/console/refunds/{missing}/approve/").status_code == 404
    assert client.get(f"/console/donations/{missing}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/console/staff/", "/console/refunds/{refund}/approve/", "/console/donations/"],
)
def test_csrf_is_enforced(cast, refund, url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.super_admin)
    before = state()
    assert client.post(url.format(refund=refund.pk), {"name": "x"}).status_code == 403
    assert state() == before


# ---- staff accounts -------------------------------------------------------------------------


def test_the_list_filters_by_search_role_and_active(cast, console_as):
    client = console_as(cast.super_admin)

    def listed(**params):
        return {account.name for account in client.get("/console/staff/", params).context["page"]}

    assert listed() == {"Ward Five Admin", "Ward Nine Admin", "Assigned Provider"}
    assert listed(search="nine") == {"Ward Nine Admin"}
    assert listed(search=cast.provider.phone[-6:]) == {"Assigned Provider"}
    assert listed(user_type="service_provider") == {"Assigned Provider"}
    cast.other_admin.is_active = False
    cast.other_admin.save()
    assert listed(is_active="false") == {"Ward Nine Admin"}
    page = client.get("/console/staff/").content.decode()
    assert "Service provider" in page
    assert "service_provider</td>" not in page


def test_a_super_admin_creates_a_ward_admin_with_wards(cast, console_as):
    response = console_as(cast.super_admin).post(
        "/console/staff/",
        {
            "phone": "01711 555 000",
            "name": "Ward Twelve Admin",
            "password": "a-long-pass-42",
            "user_type": "admin",
            "ward_numbers": "12, 3",
        },
    )
    account = User.objects.get(phone="+8801711555000")
    assert response["Location"] == f"/console/staff/{account.pk}/"
    assert (account.user_type, account.is_verified, account.name) == (
        "admin",
        True,
        "Ward Twelve Admin",
    )
    assert list(account.admin_permissions.values_list("permission_type", "ward_numbers")) == [
        ("complaints", ["3", "12"])
    ]
    assert (
        ActivityLog.objects.filter(action="users.staff_created", user=cast.super_admin).count() == 1
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"phone": "12345"},
            "Phone number: Enter a valid Bangladeshi mobile number, e.g. 01712345678.",
        ),
        ({"ward_numbers": "5, 999"}, "There is no ward 999 in this city corporation."),
        (
            {"user_type": "super_admin"},
            "Role: Select a valid choice. super_admin is not one of the available choices.",
        ),
        ({"password": "123"}, "This password is too short. It must contain at least 6 characters."),
    ],
)
def test_a_bad_new_account_is_refused_with_a_message(cast, console_as, data, message):
    before = state()
    body = {
        "phone": "01711555000",
        "name": "New",
        "password": "a-long-pass-42",
        "user_type": "admin",
        **data,
    }
    response = console_as(cast.super_admin).post("/console/staff/", body)
    assert response.status_code == 400
    assert message in said(response)
    assert state() == before


def test_a_phone_already_taken_is_refused(cast, console_as):
    before = state()
    response = console_as(cast.super_admin).post(
        "/console/staff/",
        {
            "phone": cast.citizen.phone,
            "name": "Dup",
            "password": "a-long-pass-42",
            "user_type": "admin",
        },
    )
    assert said(response) == ["An account with this phone number already exists."]
    assert state() == before


def test_the_permission_matrix_shows_labels_and_the_accounts_rows(cast, console_as):
    page = console_as(cast.super_admin).get(f"/console/staff/{cast.ward_admin.pk}/")
    html = page.content.decode()
    assert 'name="complaints.ward_numbers" value="5, 6"' in html
    assert 'name="complaints.can_update" checked' in html
    assert 'name="chat.can_read" aria-label' in html  # not held: unticked
    assert "Emergencies" in html
    assert ">emergency<" not in html


def test_changing_a_ward_admins_permission_changes_their_queue_at_once(
    cast, complaint, far_complaint, console_as
):
    ward_admin = console_as(cast.ward_admin)
    assert far_complaint.tracking_number not in ward_admin.get("/console/").content.decode()

    response = console_as(cast.super_admin).post(
        f"/console/staff/{cast.ward_admin.pk}/permissions/",
        {
            "complaints.resource_type": "complaint",
            "complaints.ward_numbers": "5, 6, 9",
            "complaints.can_read": "on",
            "complaints.can_update": "on",
            "chat.ward_numbers": "5",
            "chat.can_read": "on",
        },
    )
    assert said(response) == ["Permissions saved."]
    rows = AdminPermission.objects.filter(admin=cast.ward_admin).order_by("permission_type")
    assert list(rows.values_list("permission_type", "ward_numbers", "can_read", "can_update")) == [
        ("chat", ["5"], True, False),
        ("complaints", ["5", "6", "9"], True, True),
    ]
    queue = ward_admin.get("/console/").content.decode()
    assert far_complaint.tracking_number in queue
    assert complaint.tracking_number in queue
    assert ward_admin.get(f"/console/complaints/{far_complaint.pk}/").status_code == 200
    logged = ActivityLog.objects.get(action="users.permissions_changed")
    assert (logged.user, logged.resource_id) == (cast.super_admin, cast.ward_admin.pk)

    console_as(cast.super_admin).post(
        f"/console/staff/{cast.ward_admin.pk}/permissions/",
        {"complaints.ward_numbers": "9", "complaints.can_read": "on"},
    )
    queue = ward_admin.get("/console/").content.decode()
    assert far_complaint.tracking_number in queue
    assert complaint.tracking_number not in queue


def test_a_bad_ward_in_the_matrix_changes_nothing(cast, console_as):
    before = state()
    response = console_as(cast.super_admin).post(
        f"/console/staff/{cast.ward_admin.pk}/permissions/",
        {"complaints.ward_numbers": "5, 500", "complaints.can_read": "on"},
    )
    assert said(response) == ["There is no ward 500 in this city corporation."]
    assert state() == before


def test_editing_an_account_goes_through_the_api_service(cast, console_as):
    client = console_as(cast.super_admin)
    url = f"/console/staff/{cast.provider.pk}/edit/"
    done = client.post(
        url,
        {
            "name": "Road Crew 4",
            "email": "crew4@example.com",
            "ward_number": "07",
            "user_type": "admin",
        },
    )
    assert said(done) == ["The account is saved."]
    cast.provider.refresh_from_db()
    assert (cast.provider.name, cast.provider.email, cast.provider.ward_number) == (
        "Road Crew 4",
        "crew4@example.com",
        "7",
    )
    assert cast.provider.user_type == "admin"
    logged = ActivityLog.objects.get(action="users.updated", resource_id=cast.provider.pk)
    assert sorted(logged.details["fields"]) == ["email", "name", "user_type", "ward_number"]

    before = state()
    refused = client.post(
        f"/console/staff/{cast.ward_admin.pk}/edit/",
        {"name": "X", "email": "crew4@example.com", "user_type": "admin"},
    )
    assert said(refused) == ["This email address is already used by another account."]
    bad = client.post(url, {"name": "", "user_type": "citizen"})
    assert said(bad) == [
        "Name: This field is required.",
        "Role: Select a valid choice. citizen is not one of the available choices.",
    ]
    assert state() == before


def test_deactivate_and_reactivate(cast, console_as):
    client = console_as(cast.super_admin)
    url = f"/console/staff/{cast.provider.pk}/active/"
    provider = console_as(cast.provider)
    assert provider.get("/console/").status_code == 200

    assert said(client.post(url, {"is_active": "false"})) == [
        "The account is deactivated; its sessions have ended."
    ]
    cast.provider.refresh_from_db()
    assert cast.provider.is_active is False
    assert provider.get("/console/").status_code == 302  # signed out
    assert said(client.post(url, {"is_active": "true"})) == ["The account is active again."]
    cast.provider.refresh_from_db()
    assert cast.provider.is_active is True
    assert provider.get("/console/").status_code == 302  # the old session stays ended
    assert console_as(cast.provider).get("/console/").status_code == 200  # a new one works
    assert list(
        ActivityLog.objects.filter(resource_id=cast.provider.pk)
        .values_list("action", flat=True)
        .order_by("created_at")
    ) == ["users.deactivated", "users.updated"]
    before = state()
    assert said(client.post(url, {"is_active": "maybe"}))[0].startswith("Select a valid choice.")
    assert state() == before


# ---- refunds --------------------------------------------------------------------------------


def test_refunds_list_waiting_first_with_labels(cast, console_as, refund, paid):
    decided = Refund.objects.create(
        payment=paid,
        requested_by=cast.citizen,
        amount=Decimal("1"),
        reason="old",
        status="rejected",
    )
    Refund.objects.filter(pk=decided.pk).update(created_at=refund.created_at.replace(year=2030))
    page = console_as(cast.super_admin).get("/console/refunds/")
    assert [r.pk for r in page.context["page"]] == [refund.pk, decided.pk]
    html = page.content.decode()
    assert "Waste collection fee" in html
    assert "waste_collection_fee" not in html
    assert paid.transaction_id in html
    assert cast.citizen.phone in html
    assert "Approve and refund 150.00 ৳" in html
    assert "Paid twice by mistake" in html


def test_approving_a_refund_pays_back_through_the_provider(cast, console_as, refund, paid):
    response = console_as(cast.super_admin).post(f"/console/refunds/{refund.pk}/approve/")
    assert said(response) == ["Refunded: the money is on its way."]
    refund.refresh_from_db()
    paid.refresh_from_db()
    assert (refund.status, refund.decided_by) == ("completed", cast.super_admin)
    assert (paid.status, paid.refunded_amount) == ("refunded", Decimal("150.00"))
    again = console_as(cast.super_admin).post(f"/console/refunds/{refund.pk}/approve/")
    assert said(again) == ["This refund has already been decided."]
    assert ActivityLog.objects.filter(action="payments.refund_approved").count() == 1


def test_rejecting_needs_a_reason(cast, console_as, refund):
    client = console_as(cast.super_admin)
    before = state()
    assert said(client.post(f"/console/refunds/{refund.pk}/reject/", {"reason": ""})) == [
        "Reason: This field is required."
    ]
    assert state() == before
    done = client.post(f"/console/refunds/{refund.pk}/reject/", {"reason": "Service was used"})
    assert said(done) == ["The refund request is rejected; the citizen is told."]
    refund.refresh_from_db()
    assert (refund.status, refund.failure_reason) == ("rejected", "Service was used")


# ---- audit trail ----------------------------------------------------------------------------


def _row(action, actor, when, **details):
    """An audit row written at ``when`` (rows are append-only: the time is set as it is made)."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        return activity_record(action=action, actor=actor, details=details)


def test_the_audit_trail_filters_and_shows_labels_not_secrets(cast, console_as):
    late_night = datetime(2026, 3, 1, 23, 30, tzinfo=DHAKA)  # 1 March in Dhaka and in UTC
    first = _row(ActivityAction.LOGIN, cast.ward_admin, late_night, channel="console")
    second = _row(
        ActivityAction.PERMISSIONS_CHANGED,
        cast.super_admin,
        datetime(2026, 3, 2, 0, 30, tzinfo=DHAKA),  # 2 March in Dhaka, 1 March in UTC
        before=[
            {"permission_type": "chat", "ward_numbers": ["5"], "can_read": True},
            {"permission_type": "complaints", "ward_numbers": ["5"], "can_read": True},
        ],
        after=[
            {"permission_type": "chat", "ward_numbers": ["5"], "can_read": True},
            {
                "permission_type": "complaints",
                "ward_numbers": ["5", "9"],
                "can_read": True,
                "can_update": True,
            },
        ],
        api_key="cc_live_secret",
    )
    client = console_as(cast.super_admin)

    def shown(**params):
        return [row.pk for row in client.get("/console/audit/", params).context["page"]]

    assert shown()[:2] == [second.pk, first.pk]  # newest first
    assert shown(action="auth.login") == [first.pk]
    assert shown(actor="Ward Five") == [first.pk]
    assert shown(actor=cast.super_admin.phone[-5:], date_from="2026-03-01") == [second.pk]
    assert shown(date_from="2026-03-02", date_to="2026-03-02") == [second.pk]
    assert shown(date_from="2026-03-01", date_to="2026-03-01") == [first.pk]
    html = client.get("/console/audit/", {"date_from": "2026-03-01"}).content.decode()
    assert "Staff permissions changed" in html
    assert "Signed in" in html
    # Only the permission row that changed, by its labels.
    assert "<dt>Before</dt><dd>Complaints — wards 5 — Read</dd>" in html
    assert "<dt>After</dt><dd>Complaints — wards 5, 9 — Read, Update</dd>" in html
    assert "Chat — " not in html
    assert "cc_live_secret" not in html
    assert "<dt>Api key</dt><dd>••••••</dd>" in html
    assert '<option value="auth.login">Signed in</option>' in html


def test_the_audit_trail_names_people_and_labels_codes_in_one_query(cast, console_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.complaints.tests.factories import ComplaintFactory

    when = datetime(2026, 3, 1, 12, 0, tzinfo=DHAKA)
    complaint = ComplaintFactory(ward_number="5")

    def assigned(count):
        for _index in range(count):
            with mock.patch("django.utils.timezone.now", return_value=when):
                activity_record(
                    action=ActivityAction.COMPLAINT_ASSIGNED,
                    actor=cast.ward_admin,
                    resource=complaint,
                    details={"assigned_to": str(cast.provider.pk)},
                )
                activity_record(
                    action=ActivityAction.COMPLAINT_STATUS_CHANGED,
                    actor=cast.ward_admin,
                    resource=complaint,
                    details={"from": "submitted", "to": "in_progress"},
                )

    client = console_as(cast.super_admin)
    assigned(2)
    with CaptureQueriesContext(connection) as few:
        html = client.get("/console/audit/").content.decode()
    assert "<dt>Assigned to</dt><dd>Assigned Provider</dd>" in html
    assert str(cast.provider.pk) not in html
    assert "<dt>From</dt><dd>Submitted</dd><dt>To</dt><dd>In progress</dd>" in html
    assert ">in_progress<" not in html
    assert 'data-action="complaints.assigned"' in html  # the code only as a data attribute
    assert ">complaints.assigned<" not in html
    assigned(8)
    with CaptureQueriesContext(connection) as many:
        client.get("/console/audit/")
    assert len(many) == len(few)


def test_an_audit_action_no_longer_in_the_enum_is_still_readable():
    from django.utils import translation

    from apps.console.audit_details import action_label

    with translation.override("en"):
        assert action_label("auth.login") == "Signed in"
        assert action_label("legacy.thing_done") == "Legacy thing done"


def test_a_bad_audit_filter_is_reported(cast, console_as):
    response = console_as(cast.super_admin).get("/console/audit/", {"date_from": "yesterday"})
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()


def test_the_api_activity_log_reads_through_the_same_selector(cast, api_as):
    _row(ActivityAction.LOGIN, cast.ward_admin, datetime(2026, 3, 1, 9, tzinfo=DHAKA))
    listed = api_as(cast.super_admin).get(f"/api/v1/admin-users/{cast.ward_admin.pk}/activity-log/")
    assert [row["action_display"] for row in listed.json()["results"]] == ["সাইন ইন করেছেন"]


# ---- donation projects ----------------------------------------------------------------------


def test_projects_show_raised_against_target(cast, console_as, project):
    page = console_as(cast.super_admin).get("/console/donations/")
    [shown] = page.context["projects"]
    assert (shown.raised, shown.goal_amount, shown.donor_count) == (
        Decimal("0.00"),
        Decimal("5000.00"),
        0,
    )
    assert "5000.00 ৳" in page.content.decode()


def test_create_edit_and_close_a_project(cast, console_as):
    client = console_as(cast.super_admin)
    form = {
        "slug": "tree-planting",
        "name_bn": "বৃক্ষরোপণ",
        "name_en": "Tree planting",
        "goal_amount": "20000",
        "min_amount": "20",
        "sort_order": "1",
        "is_active": "on",
    }
    assert said(client.post("/console/donations/", form)) == ["Project created."]
    project = DonationProject.objects.get(slug="tree-planting")
    assert (project.goal_amount, project.min_amount, project.is_active) == (
        Decimal("20000"),
        Decimal("20"),
        True,
    )

    edited = client.post(f"/console/donations/{project.pk}/", {**form, "goal_amount": "25000"})
    assert said(edited) == ["Project saved."]
    project.refresh_from_db()
    assert project.goal_amount == Decimal("25000")

    assert said(client.post(f"/console/donations/{project.pk}/close/")) == [
        "The project no longer takes donations."
    ]
    project.refresh_from_db()
    assert project.is_active is False
    assert list(
        ActivityLog.objects.filter(resource_id=project.pk)
        .order_by("created_at")
        .values_list("action", "details")
    ) == [
        ("donations.project_created", {"slug": "tree-planting"}),
        ("donations.project_updated", {"slug": "tree-planting", "fields": ["goal_amount"]}),
        ("donations.project_closed", {"slug": "tree-planting"}),
    ]
    trail = client.get("/console/audit/", {"resource_type": "donationproject"})
    assert len(trail.context["page"]) == 3
    html = trail.content.decode()
    assert "Donation project closed" in html
    assert '<td data-label="Record">donation project' in html
    assert "<dt>Fields</dt><dd>goal</dd>" in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"slug": "flood-relief"}, "Code: Donation project with this Code already exists."),
        (
            {"min_amount": "0"},
            "Smallest donation (BDT): Ensure this value is greater than or equal to 0.01.",
        ),
        ({"ends_on": "someday"}, "Open until: Enter a valid date."),
        ({"goal_amount": "lots"}, "Target (BDT): Enter a number."),
        ({"name_en": ""}, "Name (English): This field is required."),
    ],
)
def test_a_bad_project_is_refused_with_a_message(cast, console_as, project, change, message):
    before = state()
    form = {
        "slug": "new-one",
        "name_bn": "নতুন",
        "name_en": "New",
        "min_amount": "10",
        "sort_order": "0",
        **change,
    }
    response = console_as(cast.super_admin).post("/console/donations/", form)
    assert response.status_code == 400
    assert any(text.startswith(message) for text in said(response)), said(response)
    assert state() == before


def test_details_name_fields_and_models_and_hide_secrets():
    with translation.override("en"):
        assert resource_label("refund") == "refund"
        assert resource_label("gone") == "gone"
        lines = details_lines(
            {"fields": ["name", "vanished"], "otp_code": "1234", "nested": {"refresh_token": "x"}},
            resource_type="user",
        )
    assert lines == [  # known keys first in their own order, then the rest by name
        ("Fields", ["name, vanished"]),
        ("Nested.Refresh token", ["••••••"]),
        ("Otp code", ["••••••"]),
    ]
