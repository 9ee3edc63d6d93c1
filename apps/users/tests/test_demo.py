"""Tests of `manage.py seed_demo`: the five demo accounts, their password and ward permission."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.users.demo import DEMO_ACCOUNTS
from apps.users.models import AdminPermission, User

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "demo-pass-2026"
EXPECTED = {
    "+8801700000001": ("super_admin", None),
    "+8801700000002": ("admin", "1"),
    "+8801700000003": ("service_provider", None),
    "+8801700000010": ("citizen", "5"),
    "+8801700000011": ("citizen", "12"),
}


@pytest.fixture(autouse=True)
def _demo_password(settings):
    settings.DEMO_PASSWORD = DEMO_PASSWORD


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def assert_demo_accounts() -> None:
    users = {user.phone: user for user in User.objects.all()}
    assert set(users) == set(EXPECTED) == {account.phone for account in DEMO_ACCOUNTS}
    for phone, (user_type, ward) in EXPECTED.items():
        user = users[phone]
        assert (user.user_type, user.ward_number) == (user_type, ward), phone
        assert (user.is_verified, user.is_active) == (True, True), phone
        assert user.check_password(DEMO_PASSWORD), phone
    super_admin = users["+8801700000001"]
    assert (super_admin.is_staff, super_admin.is_superuser) == (True, True)
    assert not any(u.is_staff for phone, u in users.items() if phone != "+8801700000001")

    permissions = {p.permission_type: p for p in AdminPermission.objects.all()}
    assert set(permissions) == {
        "complaints", "chat", "notices", "emergency", "waste", "gallery", "calendar"
    }  # fmt: skip
    assert permissions["complaints"].resource_type == "complaint"
    for permission in permissions.values():
        authoring = permission.permission_type in ("notices", "waste", "gallery", "calendar")
        assert permission.admin == users["+8801700000002"]
        assert permission.ward_numbers == [str(n) for n in range(1, 11)]
        assert (
            permission.can_create,
            permission.can_read,
            permission.can_update,
            permission.can_delete,
        ) == (authoring, True, True, authoring)


def test_seed_demo_creates_the_five_demo_accounts():
    output = seed()

    assert_demo_accounts()
    assert output.count("[created]") == 5


def test_seed_demo_twice_creates_no_duplicates():
    seed()
    ids = set(User.objects.values_list("pk", flat=True))
    permission_ids = set(AdminPermission.objects.values_list("pk", flat=True))

    output = seed()

    assert_demo_accounts()
    assert set(User.objects.values_list("pk", flat=True)) == ids
    assert set(AdminPermission.objects.values_list("pk", flat=True)) == permission_ids
    assert output.count("[kept as it was]") == 5


def test_seed_demo_keeps_what_people_changed_and_adds_what_is_missing(settings):
    seed()
    citizen = User.objects.get(phone="+8801700000010")
    citizen.set_password("my-own-secret-77")
    citizen.save(update_fields=["password"])
    AdminPermission.objects.filter(permission_type="complaints").update(
        ward_numbers=["1"], can_update=False
    )
    AdminPermission.objects.filter(permission_type="chat").delete()  # as before chat existed
    User.objects.filter(phone="+8801700000011").delete()

    output = seed()

    assert User.objects.get(phone="+8801700000010").check_password("my-own-secret-77")
    permission = AdminPermission.objects.get(permission_type="complaints")
    assert (permission.ward_numbers, permission.can_update) == (["1"], False)
    assert AdminPermission.objects.filter(permission_type="chat").count() == 1
    assert User.objects.filter(phone="+8801700000011").exists()  # the missing one is back
    assert output.count("[created]") == 1


def test_seed_demo_opens_the_demo_conversation_once():
    from apps.chat.models import ChatMessage, ChatRoom

    seed()
    seed()

    room = ChatRoom.objects.get()
    assert room.citizen.phone == "+8801700000010"
    assert room.ward_number == "5"
    senders = list(room.messages.order_by("created_at").values_list("sender__phone", flat=True))
    assert senders == ["+8801700000010", "+8801700000002", "+8801700000010"]
    assert ChatMessage.objects.count() == 3


def test_seed_demo_files_the_demo_complaints_once():
    from apps.complaints.models import Complaint

    output = seed()
    seed()

    complaints = Complaint.objects.order_by("created_at")
    assert [c.user.phone for c in complaints] == ["+8801700000010"] * 3
    assert {c.ward_number for c in complaints} == {"5"}
    assert complaints[0].tracking_number in output
    # The demo ward admin handed the last one to the demo provider: "My work" has a job.
    assigned = [c.assigned_to.phone if c.assigned_to else None for c in complaints]
    assert assigned == [None, None, "+8801700000003"]


def test_seed_demo_refuses_where_the_sandbox_is_off(settings):
    from django.core.management.base import CommandError

    settings.SANDBOX_ENABLED = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not User.objects.exists()
