"""End-to-end tests of /admin-users/: staff accounts, permission sets, activity trail, audit."""

from datetime import timedelta
from types import SimpleNamespace
from unittest import mock
from uuid import uuid4

import pytest
from django.utils import timezone

from apps.authentication.services import tokens_for_user
from apps.users import admin_services
from apps.users.models import ActivityLog, AdminPermission, User
from apps.users.policy import permitted_wards
from apps.users.tests.factories import DEFAULT_PASSWORD, AdminPermissionFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/admin-users/"
STRONG_PASSWORD = "Ward-office-2026"
ACCOUNT_KEYS = {
    "id",
    "phone",
    "name",
    "email",
    "nid",
    "address",
    "ward_number",
    "user_type",
    "user_type_display",
    "is_verified",
    "language",
    "profile_picture_url",
    "created_at",
    "is_active",
    "last_login",
    "updated_at",
    "permissions",
}
PERMISSION_KEYS = {
    "id",
    "permission_type",
    "resource_type",
    "ward_numbers",
    "can_create",
    "can_read",
    "can_update",
    "can_delete",
    "created_at",
    "updated_at",
}


def detail_url(user) -> str:
    return f"/api/v1/admin-users/{user.pk}/"


def permissions_url(user) -> str:
    return f"/api/v1/admin-users/{user.pk}/permissions/"


def activity_url(user) -> str:
    return f"/api/v1/admin-users/{user.pk}/activity-log/"


def state() -> dict:
    """Every stored user, permission row and audit row, to prove a refusal changed nothing."""
    return {
        "users": list(User.objects.order_by("pk").values()),
        "permissions": list(AdminPermission.objects.order_by("pk").values()),
        "activity": list(ActivityLog.objects.order_by("pk").values()),
    }


def permission_rows(user) -> list[tuple]:
    return list(
        AdminPermission.objects.filter(admin=user)
        .order_by("permission_type")
        .values_list(
            "permission_type",
            "resource_type",
            "ward_numbers",
            "can_create",
            "can_read",
            "can_update",
            "can_delete",
        )
    )


def new_account(**overrides) -> dict:
    return {
        "phone": "01812345678",
        "name": "Nasrin Akter",
        "password": STRONG_PASSWORD,
        "user_type": "admin",
        **overrides,
    }


def permission(permission_type="complaints", ward_numbers=("1",), **flags) -> dict:
    return {"permission_type": permission_type, "ward_numbers": list(ward_numbers), **flags}


@pytest.fixture
def office(db):
    """One person of every role, plus the staff accounts a super admin manages."""
    ward_admin = UserFactory(user_type="admin", name="Ward Admin One", ward_number="1")
    AdminPermissionFactory(admin=ward_admin, ward_numbers=["1", "2"])
    AdminPermissionFactory(
        admin=ward_admin, permission_type="users", resource_type=None, ward_numbers=["1"]
    )
    return SimpleNamespace(
        citizen=UserFactory(ward_number="1", name="Rahima Begum"),
        service_provider=UserFactory(
            user_type="service_provider", name="Clean Co", ward_number="2"
        ),
        ward_admin=ward_admin,
        other_admin=UserFactory(user_type="admin", name="Ward Admin Two", ward_number="3"),
        super_admin=UserFactory(
            user_type="super_admin", is_staff=True, is_superuser=True, name="Head Office"
        ),
    )


@pytest.fixture
def client_for(api, api_as, office):
    def make(role: str):
        return api if role == "anonymous" else api_as(getattr(office, role))

    return make


@pytest.fixture
def boss(client_for):
    return client_for("super_admin")


# --- the permission matrix: every endpoint, every role ------------------------------------------
ENDPOINTS = {
    "list": ("get", lambda t: LIST_URL, None, 200),
    "create": ("post", lambda t: LIST_URL, new_account(), 201),
    "detail": ("get", detail_url, None, 200),
    "put": ("put", detail_url, {"name": "Renamed", "user_type": "service_provider"}, 200),
    "patch": ("patch", detail_url, {"name": "Renamed"}, 200),
    "deactivate": ("delete", detail_url, None, 204),
    "permissions": ("get", permissions_url, None, 200),
    "replace_permissions": ("put", permissions_url, {"permissions": [permission()]}, 200),
    "activity_log": ("get", activity_url, None, 200),
}
WRITES = {"create", "put", "patch", "deactivate", "replace_permissions"}


def call(client, endpoint: str, target):
    method, url, body, _status = ENDPOINTS[endpoint]
    return getattr(client, method)(url(target), body, format="json")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("citizen", 403, "permission_denied"),
        ("service_provider", 403, "permission_denied"),
        ("ward_admin", 403, "permission_denied"),
    ],
)
def test_admin_users_is_closed_to_all_but_super_admins(
    client_for, office, endpoint, role, status, code
):
    client = client_for(role)
    before = state()

    response = call(client, endpoint, office.other_admin)

    assert response.status_code == status
    assert response.json()["code"] == code
    assert state() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_super_admin_reaches_every_endpoint_and_each_write_is_audited(boss, office, endpoint):
    response = call(boss, endpoint, office.other_admin)

    assert response.status_code == ENDPOINTS[endpoint][3]
    rows = ActivityLog.objects.all()
    if endpoint in WRITES:
        assert rows.count() == 1
        row = rows.get()
        assert (row.user, row.resource_type) == (office.super_admin, "user")
    else:
        assert not rows.exists()


@pytest.mark.parametrize("endpoint", sorted(set(ENDPOINTS) - {"list", "create"}))
@pytest.mark.parametrize("target", ["citizen", "super_admin", "unknown"])
def test_accounts_that_are_not_staff_are_unknown_here(boss, office, endpoint, target):
    user = SimpleNamespace(pk=uuid4()) if target == "unknown" else getattr(office, target)
    before = state()

    response = call(boss, endpoint, user)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert state() == before


# --- list ---------------------------------------------------------------------------------------
def ids(response) -> set[str]:
    return {row["id"] for row in response.json()["results"]}


def test_list_holds_only_ward_admins_and_service_providers(boss, office):
    response = boss.get(LIST_URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert ids(response) == {
        str(office.ward_admin.pk),
        str(office.other_admin.pk),
        str(office.service_provider.pk),
    }
    row = next(r for r in body["results"] if r["id"] == str(office.ward_admin.pk))
    assert set(row) == ACCOUNT_KEYS
    assert [(p["permission_type"], p["ward_numbers"]) for p in row["permissions"]] == [
        ("complaints", ["1", "2"]),
        ("users", ["1"]),
    ]
    assert set(row["permissions"][0]) == PERMISSION_KEYS


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"user_type": "admin"}, {"ward_admin", "other_admin", "deactivated"}),
        ({"user_type": "service_provider"}, {"service_provider"}),
        ({"ward_number": "3"}, {"other_admin"}),
        ({"search": "clean"}, {"service_provider"}),
        ({"search": "Ward Admin"}, {"ward_admin", "other_admin"}),
        ({"is_active": "false"}, {"deactivated"}),
        ({"is_active": "true", "user_type": "admin"}, {"ward_admin", "other_admin"}),
    ],
)
def test_list_filters(boss, office, params, expected):
    office.deactivated = UserFactory(user_type="admin", is_active=False, name="Gone")

    response = boss.get(LIST_URL, params)

    assert response.status_code == 200
    assert ids(response) == {str(getattr(office, name).pk) for name in expected}


def test_list_searches_phone_numbers(boss, office):
    response = boss.get(LIST_URL, {"search": office.service_provider.phone[-6:]})

    assert ids(response) == {str(office.service_provider.pk)}


@pytest.mark.parametrize("user_type", ["citizen", "super_admin", "nobody"])
def test_list_by_a_type_that_is_not_managed_here_is_400(boss, user_type):
    response = boss.get(LIST_URL, {"user_type": user_type})

    assert response.status_code == 400
    assert list(response.json()["details"]) == ["user_type"]


def test_list_is_paginated_newest_first(api_as, super_admin):
    boss = api_as(super_admin)
    staff = [UserFactory(user_type="admin") for _ in range(3)]
    for age, user in enumerate(reversed(staff)):
        User.objects.filter(pk=user.pk).update(created_at=timezone.now() - timedelta(days=age))

    first = boss.get(LIST_URL, {"page_size": 2}).json()
    second = boss.get(LIST_URL, {"page_size": 2, "page": 2}).json()

    assert first["count"] == 3
    assert [r["id"] for r in first["results"] + second["results"]] == [
        str(u.pk) for u in reversed(staff)
    ]
    assert second["next"] is None


# --- create -------------------------------------------------------------------------------------
def test_create_with_ward_numbers_gives_the_default_complaints_permission(api, boss, office):
    response = boss.post(
        LIST_URL,
        new_account(
            phone="+880 1812-345678",
            email="Nasrin@Example.com",
            ward_number="০৭",
            ward_numbers=["১২", "3", 7],
        ),
        format="json",
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="console/1.0",
    )

    assert response.status_code == 201
    body = response.json()
    account = User.objects.get(phone="+8801812345678")
    assert set(body) == ACCOUNT_KEYS
    assert (body["id"], body["phone"], body["name"], body["email"]) == (
        str(account.pk),
        "+8801812345678",
        "Nasrin Akter",
        "Nasrin@example.com",
    )
    assert (body["user_type"], body["ward_number"], body["is_active"], body["is_verified"]) == (
        "admin",
        "7",
        True,
        True,
    )
    assert permission_rows(account) == [
        ("complaints", "complaint", ["3", "7", "12"], False, True, True, False)
    ]
    assert [p["ward_numbers"] for p in body["permissions"]] == [["3", "7", "12"]]
    assert (account.is_staff, account.is_superuser) == (False, False)
    assert permitted_wards(account, resource="complaints", action="update") == {"3", "7", "12"}
    login = api.post(
        "/api/v1/auth/login/",
        {"phone": "01812345678", "password": STRONG_PASSWORD},
        format="json",
    )
    assert login.status_code == 200

    row = ActivityLog.objects.get(action="users.staff_created")
    assert (row.user, row.resource_type, row.resource_id) == (
        office.super_admin,
        "user",
        account.pk,
    )
    assert (row.ip_address, row.user_agent) == ("203.0.113.7", "console/1.0")
    assert row.details == {
        "user_type": "admin",
        "ward_number": "7",
        "email_given": True,
        "permissions": [
            {
                "permission_type": "complaints",
                "resource_type": "complaint",
                "ward_numbers": ["3", "7", "12"],
                "can_create": False,
                "can_read": True,
                "can_update": True,
                "can_delete": False,
            }
        ],
    }
    assert STRONG_PASSWORD not in str(row.details)


def test_create_a_service_provider_without_wards_has_no_permissions(boss):
    response = boss.post(LIST_URL, new_account(user_type="service_provider"), format="json")

    assert response.status_code == 201
    account = User.objects.get(pk=response.json()["id"])
    assert account.user_type == "service_provider"
    assert response.json()["permissions"] == []
    assert not AdminPermission.objects.filter(admin=account).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"user_type": "citizen"}, "user_type", "validation_error"),
        ({"user_type": "super_admin"}, "user_type", "validation_error"),
        ({"user_type": "mayor"}, "user_type", "validation_error"),
        ({"phone": "0181234"}, "phone", "validation_error"),
        ({"phone": "01712000001"}, "phone", "phone_taken"),
        ({"email": "TAKEN@example.com"}, "email", "email_taken"),
        ({"email": "not-an-email"}, "email", "validation_error"),
        ({"password": "12345678"}, "password", "validation_error"),
        ({"password": "short"}, "password", "validation_error"),
        ({"name": "   "}, "name", "validation_error"),
        ({"ward_number": "99"}, "ward_number", "validation_error"),
        ({"ward_numbers": ["1", "99"]}, "ward_numbers", "validation_error"),
        ({"ward_numbers": ["5", "০৫"]}, "ward_numbers", "validation_error"),
        ({"ward_numbers": [""]}, "ward_numbers.0", "validation_error"),
        ({"ward_numbers": "5"}, "ward_numbers", "validation_error"),
    ],
)
def test_a_bad_create_is_400_and_writes_nothing(boss, office, overrides, field, code):
    UserFactory(phone="+8801712000001", email="taken@example.com")
    before = state()

    response = boss.post(LIST_URL, new_account(**overrides), format="json")

    assert response.status_code == 400
    body = response.json()
    assert (body["code"], list(body["details"])) == (code, [field])
    assert body["error"]
    assert state() == before


@pytest.mark.parametrize("missing", ["phone", "name", "password", "user_type"])
def test_create_without_a_required_field_is_400(boss, office, missing):
    payload = new_account()
    del payload[missing]
    before = state()

    response = boss.post(LIST_URL, payload, format="json")

    assert response.status_code == 400
    assert list(response.json()["details"]) == [missing]
    assert state() == before


def test_a_create_that_fails_half_way_leaves_nothing_behind(boss, office, monkeypatch):
    def audit_down(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(admin_services, "activity_record", audit_down)
    before = state()

    response = boss.post(LIST_URL, new_account(ward_numbers=["1"]), format="json")

    assert response.status_code == 500
    assert state() == before


# --- edit and deactivate ------------------------------------------------------------------------
def test_patch_edits_a_staff_account_and_logs_the_fields(boss, office):
    response = boss.patch(
        detail_url(office.other_admin),
        {"name": "Ward Admin 2", "email": "two@example.com", "ward_number": "০৪"},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["email"], body["ward_number"], body["user_type"]) == (
        "Ward Admin 2",
        "two@example.com",
        "4",
        "admin",
    )
    row = ActivityLog.objects.get()
    assert (row.action, row.user, row.resource_id) == (
        "users.updated",
        office.super_admin,
        office.other_admin.pk,
    )
    assert row.details == {"fields": ["name", "email", "ward_number"]}


def test_put_replaces_name_email_and_ward(boss, office):
    User.objects.filter(pk=office.other_admin.pk).update(email="old@example.com")

    response = boss.put(detail_url(office.other_admin), {"name": "Only Name"}, format="json")

    assert response.status_code == 200
    office.other_admin.refresh_from_db()
    assert (office.other_admin.name, office.other_admin.email, office.other_admin.ward_number) == (
        "Only Name",
        None,
        None,
    )
    assert office.other_admin.user_type == "admin"


def test_put_without_a_name_is_400(boss, office):
    before = state()

    response = boss.put(detail_url(office.other_admin), {"ward_number": "3"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["details"]) == ["name"]
    assert state() == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"user_type": "citizen"}, "user_type"),
        ({"user_type": "super_admin"}, "user_type"),
        ({"ward_number": "99"}, "ward_number"),
        ({"email": "TAKEN@example.com"}, "email"),
        ({"is_active": "maybe"}, "is_active"),
    ],
)
def test_a_bad_edit_is_400_and_changes_nothing(boss, office, payload, field):
    UserFactory(email="taken@example.com")
    before = state()

    response = boss.patch(detail_url(office.other_admin), payload, format="json")

    assert response.status_code == 400
    assert list(response.json()["details"]) == [field]
    assert state() == before


def test_edit_refuses_fields_it_does_not_manage(boss, office):
    response = boss.patch(
        detail_url(office.other_admin),
        {"phone": "01899999999", "nid": "1234567890", "is_verified": False, "password": "x"},
        format="json",
    )

    assert response.status_code == 400
    assert sorted(response.json()["details"]) == ["is_verified", "nid", "password", "phone"]
    office.other_admin.refresh_from_db()
    assert (office.other_admin.nid, office.other_admin.is_verified) == (None, True)
    assert office.other_admin.check_password(DEFAULT_PASSWORD)
    assert not ActivityLog.objects.exists()  # nothing changed, nothing to audit


def test_a_role_change_keeps_the_permission_rows_and_ends_sessions(api, boss, office):
    refresh = tokens_for_user(office.ward_admin)["refresh"]

    response = boss.patch(
        detail_url(office.ward_admin), {"user_type": "service_provider"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["user_type"] == "service_provider"
    assert len(response.json()["permissions"]) == 2
    assert api.post("/api/v1/auth/refresh/", {"refresh": refresh}, format="json").status_code == 401


def test_delete_deactivates_keeps_the_row_and_ends_every_session(api, boss, office):
    sessions = [tokens_for_user(office.other_admin), tokens_for_user(office.other_admin)]

    response = boss.delete(
        detail_url(office.other_admin), REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT="console"
    )

    assert response.status_code == 204
    assert response.content == b""
    account = User.objects.get(pk=office.other_admin.pk)
    assert account.is_active is False
    for session in sessions:
        refreshed = api.post(
            "/api/v1/auth/refresh/", {"refresh": session["refresh"]}, format="json"
        )
        assert refreshed.status_code == 401
    login = api.post(
        "/api/v1/auth/login/", {"phone": account.phone, "password": DEFAULT_PASSWORD}, format="json"
    )
    assert login.status_code == 401
    row = ActivityLog.objects.get(action="users.deactivated")
    assert (row.user, row.resource_type, row.resource_id) == (
        office.super_admin,
        "user",
        account.pk,
    )
    assert (row.ip_address, row.user_agent) == ("198.51.100.4", "console")

    again = boss.delete(detail_url(office.other_admin))
    assert again.status_code == 204
    assert ActivityLog.objects.filter(user=office.super_admin).count() == 1  # already off


def test_a_deactivated_account_can_be_switched_back_on(boss, office):
    boss.delete(detail_url(office.other_admin))

    response = boss.patch(detail_url(office.other_admin), {"is_active": True}, format="json")

    assert response.status_code == 200
    assert response.json()["is_active"] is True


def test_a_super_admin_cannot_deactivate_themself_here(boss, office):
    response = boss.delete(detail_url(office.super_admin))

    assert response.status_code == 404
    office.super_admin.refresh_from_db()
    assert office.super_admin.is_active is True


# --- permissions --------------------------------------------------------------------------------
def test_get_permissions_lists_the_rows(boss, office):
    response = boss.get(permissions_url(office.ward_admin))

    assert response.status_code == 200
    rows = response.json()["permissions"]
    assert [
        (r["permission_type"], r["resource_type"], r["ward_numbers"], r["can_update"]) for r in rows
    ] == [("complaints", "complaint", ["1", "2"], True), ("users", None, ["1"], True)]
    assert set(rows[0]) == PERMISSION_KEYS


def test_put_permissions_replaces_the_whole_set(boss, office):
    old = list(AdminPermission.objects.filter(admin=office.ward_admin).values_list("pk", flat=True))

    response = boss.put(
        permissions_url(office.ward_admin),
        {
            "permissions": [
                permission("payments", ["১০", "9"], can_read=True),
                permission(
                    "complaints",
                    ["3"],
                    resource_type="complaint",
                    can_create=True,
                    can_update=True,
                    can_delete=True,
                ),
            ]
        },
        format="json",
    )

    assert response.status_code == 200
    assert permission_rows(office.ward_admin) == [
        ("complaints", "complaint", ["3"], True, True, True, True),
        ("payments", None, ["9", "10"], False, True, False, False),
    ]
    assert not AdminPermission.objects.filter(pk__in=old).exists()
    assert [(r["permission_type"], r["ward_numbers"]) for r in response.json()["permissions"]] == [
        ("complaints", ["3"]),
        ("payments", ["9", "10"]),
    ]
    assert permitted_wards(office.ward_admin, resource="complaints", action="update") == {"3"}
    assert permitted_wards(office.ward_admin, resource="users") == set()

    row = ActivityLog.objects.get()
    assert (row.action, row.user, row.resource_id) == (
        "users.permissions_changed",
        office.super_admin,
        office.ward_admin.pk,
    )
    assert [(p["permission_type"], p["ward_numbers"]) for p in row.details["before"]] == [
        ("complaints", ["1", "2"]),
        ("users", ["1"]),
    ]
    assert row.details["after"] == [
        {
            "permission_type": "complaints",
            "resource_type": "complaint",
            "ward_numbers": ["3"],
            "can_create": True,
            "can_read": True,
            "can_update": True,
            "can_delete": True,
        },
        {
            "permission_type": "payments",
            "resource_type": None,
            "ward_numbers": ["9", "10"],
            "can_create": False,
            "can_read": True,
            "can_update": False,
            "can_delete": False,
        },
    ]


@pytest.mark.parametrize(
    ("bad_row", "field"),
    [
        (permission("parking"), "permissions.1.permission_type"),
        (permission("complaints"), "permissions.1.permission_type"),  # listed twice
        (permission("payments", ["99"]), "permissions.1.ward_numbers"),
        (permission("payments", ["Motijheel"]), "permissions.1.ward_numbers"),
        (permission("payments", ["4", "04"]), "permissions.1.ward_numbers"),
        (permission("payments", [""]), "permissions.1.ward_numbers.0"),
        ({"ward_numbers": ["1"]}, "permissions.1.permission_type"),
        ({"permission_type": "payments"}, "permissions.1.ward_numbers"),
        (permission("payments", can_update="sometimes"), "permissions.1.can_update"),
        (permission("payments", resource_type="x" * 51), "permissions.1.resource_type"),
    ],
)
def test_a_bad_row_refuses_the_whole_set_and_keeps_the_old_one(boss, office, bad_row, field):
    before = state()

    response = boss.put(
        permissions_url(office.ward_admin),
        {"permissions": [permission("complaints", ["5"]), bad_row]},
        format="json",
    )

    assert response.status_code == 400
    body = response.json()
    assert (body["code"], list(body["details"])) == ("validation_error", [field])
    assert state() == before


def test_every_bad_row_is_reported_at_once(boss, office):
    response = boss.put(
        permissions_url(office.ward_admin),
        {"permissions": [permission("complaints", ["99"]), permission("users", ["1", "1"])]},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["details"]) == {
        "permissions.0.ward_numbers",
        "permissions.1.ward_numbers",
    }


@pytest.mark.parametrize("body", [{}, {"permissions": "all"}, {"permissions": [["complaints"]]}])
def test_a_malformed_permission_set_is_400(boss, office, body):
    before = state()

    response = boss.put(permissions_url(office.ward_admin), body, format="json")

    assert response.status_code == 400
    assert state() == before


def test_put_of_the_same_set_changes_and_records_nothing(boss, office):
    before = state()

    response = boss.put(
        permissions_url(office.ward_admin),
        {
            "permissions": [
                permission("users", ["1"], can_update=True),
                permission("complaints", ["2", "1"], resource_type="complaint", can_update=True),
            ]
        },
        format="json",
    )

    assert response.status_code == 200
    assert state() == before


def test_put_of_an_empty_set_revokes_everything(boss, office):
    response = boss.put(permissions_url(office.ward_admin), {"permissions": []}, format="json")

    assert response.status_code == 200
    assert response.json() == {"permissions": []}
    assert permission_rows(office.ward_admin) == []
    assert permitted_wards(office.ward_admin, resource="complaints") == set()
    assert ActivityLog.objects.get().details["after"] == []


# --- activity log -------------------------------------------------------------------------------
@pytest.fixture
def trail(office):
    """Three rows by the ward admin at known times, and one by somebody else.

    The times are set at insert (rows cannot be updated: on PostgreSQL a trigger refuses it).
    """
    now = timezone.now()
    rows = {}
    for name, action, resource_type, age in [
        ("old_login", "auth.login", "user", 30),
        ("update", "complaints.status_changed", "complaint", 20),
        ("new_login", "auth.login", "user", 10),
    ]:
        with mock.patch("django.utils.timezone.now", return_value=now - timedelta(minutes=age)):
            rows[name] = ActivityLog.objects.create(
                user=office.ward_admin, action=action, resource_type=resource_type
            )
    ActivityLog.objects.create(user=office.other_admin, action="auth.login")
    return SimpleNamespace(now=now, **rows)


def test_activity_log_is_the_accounts_own_trail_newest_first(boss, office, trail):
    response = boss.get(activity_url(office.ward_admin))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [r["id"] for r in body["results"]] == [
        str(trail.new_login.pk),
        str(trail.update.pk),
        str(trail.old_login.pk),
    ]
    assert set(body["results"][0]) == {
        "id",
        "action",
        "action_display",
        "resource_type",
        "resource_id",
        "ip_address",
        "user_agent",
        "details",
        "created_at",
    }
    assert body["results"][1]["action_display"] == "অভিযোগের অবস্থা বদলানো হয়েছে"


def test_activity_log_speaks_english_when_asked(boss, office, trail):
    response = boss.get(activity_url(office.ward_admin), HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["results"][0]["action_display"] == "Signed in"


def test_activity_log_is_paginated(boss, office, trail):
    second = boss.get(activity_url(office.ward_admin), {"page_size": 2, "page": 2}).json()

    assert (second["count"], [r["id"] for r in second["results"]]) == (
        3,
        [str(trail.old_login.pk)],
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"action": "auth.login"}, ["new_login", "old_login"]),
        ({"resource_type": "complaint"}, ["update"]),
        ({"created_after": -25}, ["new_login", "update"]),
        ({"created_before": -15}, ["update", "old_login"]),
        ({"created_after": -25, "created_before": -15}, ["update"]),
        ({"created_after": -20, "created_before": -10}, ["update"]),  # from inclusive, to not
        ({"action": "auth.login", "created_after": -25}, ["new_login"]),
    ],
)
def test_activity_log_filters(boss, office, trail, params, expected):
    query = {
        key: (trail.now + timedelta(minutes=value)).isoformat()
        if key.startswith("created")
        else value
        for key, value in params.items()
    }

    response = boss.get(activity_url(office.ward_admin), query)

    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [
        str(getattr(trail, name).pk) for name in expected
    ]


def test_activity_log_with_a_bad_date_is_400(boss, office):
    response = boss.get(activity_url(office.ward_admin), {"created_after": "yesterday"})

    assert response.status_code == 400
    assert list(response.json()["details"]) == ["created_after"]


def test_each_write_leaves_one_audit_row_in_order(boss, office):
    boss.post(LIST_URL, new_account(ward_numbers=["1"]), format="json")
    account = User.objects.get(phone="+8801812345678")
    boss.patch(detail_url(account), {"name": "Renamed"}, format="json")
    boss.put(
        permissions_url(account), {"permissions": [permission("notices", ["2"])]}, format="json"
    )
    boss.delete(detail_url(account))

    rows = ActivityLog.objects.filter(user=office.super_admin).order_by("created_at")
    assert [(r.action, r.resource_id) for r in rows] == [
        ("users.staff_created", account.pk),
        ("users.updated", account.pk),
        ("users.permissions_changed", account.pk),
        ("users.deactivated", account.pk),
    ]
    assert all(STRONG_PASSWORD not in str(r.details) for r in rows)


# --- Django admin keeps the audit trail read-only -----------------------------------------------
def test_django_admin_cannot_change_or_delete_activity_rows(client, office):
    client.force_login(office.super_admin)
    row = ActivityLog.objects.create(user=office.citizen, action="auth.login")
    before = state()

    change = client.post(f"/admin/users/activitylog/{row.pk}/change/", {"action": "edited"})
    delete = client.post(f"/admin/users/activitylog/{row.pk}/delete/", {"post": "yes"})
    bulk = client.post(
        "/admin/users/activitylog/",
        {"action": "delete_selected", "_selected_action": [str(row.pk)], "post": "yes"},
    )
    view = client.get(f"/admin/users/activitylog/{row.pk}/change/")

    assert (change.status_code, delete.status_code) == (403, 403)
    assert bulk.status_code in (200, 302)
    assert view.status_code == 200
    assert b'name="_save"' not in view.content
    assert state() == before


def change_account_in_django_admin(client, account, rows: list[dict]):
    """POST the Django admin change form of ``account`` with ``rows`` as new inline permissions."""
    data = {
        "phone": account.phone,
        "name": account.name,
        "language": account.language,
        "user_type": account.user_type,
        "is_verified": "on",
        "is_active": "on",
        "admin_permissions-TOTAL_FORMS": str(len(rows)),
        "admin_permissions-INITIAL_FORMS": "0",
        "admin_permissions-MIN_NUM_FORMS": "0",
        "admin_permissions-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"admin_permissions-{index}-{key}"] = value
    return client.post(f"/admin/users/user/{account.pk}/change/", data)


def test_django_admin_permission_rows_follow_the_api_rules_and_are_audited(client, office):
    client.force_login(office.super_admin)

    response = change_account_in_django_admin(
        client,
        office.other_admin,
        [{"permission_type": "payments", "ward_numbers": '["১০", "9"]', "can_read": "on"}],
    )

    assert response.status_code == 302
    assert permission_rows(office.other_admin) == [
        ("payments", None, ["9", "10"], False, True, False, False)
    ]
    row = ActivityLog.objects.get(action="users.permissions_changed")
    assert (row.user, row.resource_id) == (office.super_admin, office.other_admin.pk)
    assert (row.details["before"], row.details["via"]) == ([], "django-admin")
    assert row.details["after"][0]["ward_numbers"] == ["9", "10"]


@pytest.mark.parametrize(
    "bad_row",
    [
        {"permission_type": "parking", "ward_numbers": '["1"]'},
        {"permission_type": "payments", "ward_numbers": '["99"]'},
        {"permission_type": "payments", "ward_numbers": '["4", "04"]'},
        {"permission_type": "payments", "ward_numbers": '{"ward": "1"}'},
    ],
)
def test_django_admin_refuses_a_bad_permission_row(client, office, bad_row):
    client.force_login(office.super_admin)
    before = state()

    response = change_account_in_django_admin(client, office.other_admin, [bad_row])

    assert response.status_code == 200  # the form again, with the error
    assert response.context["inline_admin_formsets"][0].formset.errors[0]
    assert state() == before
