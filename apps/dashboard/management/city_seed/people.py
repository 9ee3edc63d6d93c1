"""Seeded people: super admins, ward admins (with complaint and payment permissions for their
wards), service providers and citizens over the wards, each with a phone in the seed range."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from apps.users.models import AdminPermission, Language, User, UserType

from .base import UNUSABLE_PASSWORD, Run, WeightedChoice, aware, insert, seed_phone
from .content import FIRST_NAMES, LAST_NAMES


@dataclass
class Citizen:
    id: object
    phone: str
    name: str
    ward: str
    joined: float  # epoch seconds


@dataclass
class People:
    super_admins: list = field(default_factory=list)
    admins_by_ward: dict[str, list] = field(default_factory=dict)
    providers_by_ward: dict[str, list] = field(default_factory=dict)
    citizens: list[Citizen] = field(default_factory=list)  # by joining time
    joined: list[float] = field(default_factory=list)  # the citizens' joining times, in order
    ward_choice: WeightedChoice | None = None

    def citizen_before(self, run: Run, ts: float) -> Citizen:
        """A citizen who had joined by ``ts`` (one of the earliest if nobody had)."""
        joined = bisect.bisect_right(self.joined, ts)
        return self.citizens[run.rng.randrange(max(joined, min(10, len(self.citizens))))]

    def staff_of_ward(self, run: Run, ward: str) -> object:
        """A ward admin of ``ward``, or a super admin where the ward has none."""
        admins = self.admins_by_ward.get(ward)
        return run.rng.choice(admins) if admins else run.rng.choice(self.super_admins)

    def worker_of_ward(self, run: Run, ward: str) -> object:
        """Who a complaint in ``ward`` is assigned to: mostly a provider working there."""
        providers = self.providers_by_ward.get(ward)
        if providers and run.chance(0.85):
            return run.rng.choice(providers)
        return self.staff_of_ward(run, ward)


def _name(run: Run) -> str:
    return f"{run.rng.choice(FIRST_NAMES)} {run.rng.choice(LAST_NAMES)}"


def _nid(run: Run) -> str:
    digits = run.rng.choice((10, 13, 17))
    return str(run.rng.randrange(10 ** (digits - 1), 10**digits))


def people_seed(run: Run) -> People:
    """Insert every seeded user and the ward admins' permissions; return who is who."""
    rng, sizes, wards = run.rng, run.sizes, run.wards
    # Some wards are far busier than others (population, markets): a fixed weight per ward.
    ward_choice = WeightedChoice([(w.number, rng.lognormvariate(0, 0.5)) for w in wards])
    ward_names = {w.number: w.name_bn for w in wards}
    people = People(ward_choice=ward_choice)
    users: list[dict] = []
    permissions: list[dict] = []
    launch = run.start_ts
    first_month = launch + 30 * 86400

    def add(user_type: str, ward: str | None, joined: float) -> dict:
        number = len(users) + 1
        created = aware(joined)
        user = {
            "id": run.uuid(),
            "phone": seed_phone(number),
            "name": _name(run),
            "email": f"seed{number}@cleancare.invalid" if run.chance(0.3) else None,
            "nid": _nid(run) if run.chance(0.4) else None,
            "address": (
                f"বাড়ি {rng.randint(1, 120)}, রোড {rng.randint(1, 30)}, {ward_names[ward]}"
                if ward and run.chance(0.6)
                else None
            ),
            "ward_number": ward,
            "user_type": user_type,
            "language": Language.ENGLISH if run.chance(0.12) else Language.BENGALI,
            "is_active": run.chance(0.99) or user_type != UserType.CITIZEN,
            "is_verified": run.chance(0.93) or user_type != UserType.CITIZEN,
            "is_staff": user_type == UserType.SUPER_ADMIN,
            "is_superuser": user_type == UserType.SUPER_ADMIN,
            "password": UNUSABLE_PASSWORD,
            "created_at": created,
            "updated_at": created,
        }
        users.append(user)
        return user

    for _ in range(sizes.super_admins):
        people.super_admins.append(add(UserType.SUPER_ADMIN, None, launch)["id"])
    ward_numbers = [w.number for w in wards]
    for index in range(sizes.ward_admins):
        ward = ward_numbers[index % len(ward_numbers)]
        admin = add(UserType.ADMIN, ward, rng.uniform(launch, first_month))
        covered = [ward]
        if run.chance(0.3):  # some admins also cover the next ward
            covered.append(ward_numbers[(index + 1) % len(ward_numbers)])
        for number in covered:
            people.admins_by_ward.setdefault(number, []).append(admin["id"])
        # What the demo ward admin gets: work on complaints, read the ward's payments.
        for permission_type, resource_type, can_update in (
            ("complaints", "complaint", True),
            ("payments", "payment", False),
        ):
            permissions.append(
                {
                    "id": run.uuid(),
                    "admin_id": admin["id"],
                    "permission_type": permission_type,
                    "resource_type": resource_type,
                    "ward_numbers": covered,
                    "can_read": True,
                    "can_update": can_update,
                    "created_at": admin["created_at"],
                    "updated_at": admin["created_at"],
                }
            )
    for index in range(sizes.providers):
        ward = ward_numbers[index % len(ward_numbers)]
        provider = add(UserType.SERVICE_PROVIDER, ward, rng.uniform(launch, first_month))
        people.providers_by_ward.setdefault(ward, []).append(provider["id"])

    # A fifth of the citizens signed up in the launch month; the rest as the app spread.
    early = round(sizes.citizens * 0.2)
    joined = sorted(
        [rng.uniform(launch, first_month) for _ in range(early)]
        + run.times(sizes.citizens - early, start=launch)
    )
    for ts in joined:
        user = add(UserType.CITIZEN, ward_choice(rng), ts)
        people.citizens.append(
            Citizen(user["id"], user["phone"], user["name"], user["ward_number"], ts)
        )
    people.joined = [citizen.joined for citizen in people.citizens]

    run.counts["users"] = insert(User, users)
    run.counts["admin permissions"] = insert(AdminPermission, permissions)
    return people
