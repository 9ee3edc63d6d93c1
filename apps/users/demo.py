"""The demo accounts `make run` loads, and the service that loads them."""

from dataclasses import dataclass, field

from django.db import transaction

from .models import User, UserType
from .services import admin_permission_grant, user_create


@dataclass(frozen=True)
class DemoAccount:
    phone: str
    name: str
    user_type: str
    ward_number: str | None = None
    # Wards where a ward admin holds the rights of DEMO_STAFF_RESOURCES.
    staff_wards: list[str] = field(default_factory=list)


# What the demo ward admin works on: (permission_type, resource_type, whether they also create
# and delete). They read and update everything in their wards; they publish and withdraw
# notices, keep the collection schedules, the ward's gallery and its calendar themselves.
DEMO_STAFF_RESOURCES = (
    ("complaints", "complaint", False),
    ("chat", "chat_room", False),
    ("notices", "notice", True),
    ("emergency", "emergency_request", False),
    ("waste", "waste", True),
    ("gallery", "gallery_image", True),
    ("calendar", "event", True),
)


DEMO_ACCOUNTS = [
    DemoAccount("+8801700000001", "সুপার অ্যাডমিন (Super Admin)", UserType.SUPER_ADMIN),
    DemoAccount(
        "+8801700000002",
        "ওয়ার্ড অ্যাডমিন (Ward Admin)",
        UserType.ADMIN,
        ward_number="1",
        staff_wards=[str(n) for n in range(1, 11)],
    ),
    DemoAccount("+8801700000003", "সেবা প্রদানকারী (Service Provider)", UserType.SERVICE_PROVIDER),
    DemoAccount("+8801700000010", "রহিম উদ্দিন (Citizen)", UserType.CITIZEN, ward_number="5"),
    DemoAccount("+8801700000011", "করিম আহমেদ (Citizen)", UserType.CITIZEN, ward_number="12"),
]


@transaction.atomic
def demo_accounts_load(*, password: str) -> list[tuple[DemoAccount, bool]]:
    """Create the demo accounts that are missing; leave the others exactly as people left them.

    `make run` calls this on every start, so a password, role or ward somebody changed (in the
    app, in Django admin) must survive a restart. A demo ward admin is only given the rights of
    resources it holds no row for yet (so a database from before a resource existed gains it,
    and a row somebody edited stays edited). Returns (account, created) pairs.
    """
    loaded = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(phone=account.phone).first()
        created = user is None
        if created:
            user = user_create(
                phone=account.phone,
                name=account.name,
                password=password,
                user_type=account.user_type,
                is_verified=True,
                ward_number=account.ward_number,
            )
        if account.staff_wards:
            _staff_rights_complete(user, account.staff_wards)
        loaded.append((account, created))
    return loaded


def _staff_rights_complete(user: User, wards: list[str]) -> None:
    held = set(user.admin_permissions.values_list("permission_type", flat=True))
    for permission_type, resource_type, authoring in DEMO_STAFF_RESOURCES:
        if permission_type not in held:
            admin_permission_grant(
                admin=user,
                permission_type=permission_type,
                resource_type=resource_type,
                ward_numbers=wards,
                can_create=authoring,
                can_read=True,
                can_update=True,
                can_delete=authoring,
            )
