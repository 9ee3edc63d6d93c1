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
    complaint_wards: list[str] = field(default_factory=list)


DEMO_ACCOUNTS = [
    DemoAccount("+8801700000001", "সুপার অ্যাডমিন (Super Admin)", UserType.SUPER_ADMIN),
    DemoAccount(
        "+8801700000002",
        "ওয়ার্ড অ্যাডমিন (Ward Admin)",
        UserType.ADMIN,
        ward_number="1",
        complaint_wards=[str(n) for n in range(1, 11)],
    ),
    DemoAccount("+8801700000003", "সেবা প্রদানকারী (Service Provider)", UserType.SERVICE_PROVIDER),
    DemoAccount("+8801700000010", "রহিম উদ্দিন (Citizen)", UserType.CITIZEN, ward_number="5"),
    DemoAccount("+8801700000011", "করিম আহমেদ (Citizen)", UserType.CITIZEN, ward_number="12"),
]


@transaction.atomic
def demo_accounts_load(*, password: str) -> list[tuple[DemoAccount, bool]]:
    """Create the demo accounts that are missing; leave the others exactly as people left them.

    `make run` calls this on every start, so a password, role or ward somebody changed (in the
    app, in Django admin) must survive a restart. Returns (account, created) pairs.
    """
    loaded = []
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(phone=account.phone).exists():
            loaded.append((account, False))
            continue
        user = user_create(
            phone=account.phone,
            name=account.name,
            password=password,
            user_type=account.user_type,
            is_verified=True,
            ward_number=account.ward_number,
        )
        if account.complaint_wards:
            admin_permission_grant(
                admin=user,
                permission_type="complaints",
                resource_type="complaint",
                ward_numbers=account.complaint_wards,
                can_read=True,
                can_update=True,
            )
        loaded.append((account, True))
    return loaded
