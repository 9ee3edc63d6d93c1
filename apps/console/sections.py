"""The console's one registry of sections: which staff open which screen.

Every console view wears ``section_required(<name>)`` (views/access.py) with a name from
``SECTIONS``; the sections bar (templatetags/console_live.py) lists the sections whose ``opens``
holds for the viewer, so a link is shown exactly when its screen opens. The rules themselves
are the apps' (the users policy's ward rights, the API's role permissions), read here, not
repeated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.authentication.services.accounts import STAFF_TYPES
from apps.chat.policy import RESOURCE as CHAT
from apps.city_calendar.policy import manages_any as manages_calendar
from apps.emergency.policy import RESOURCE as EMERGENCY
from apps.gallery.policy import may_manage as manages_gallery
from apps.users.models import User, UserType
from apps.users.policy import permitted_wards
from apps.waste_management.policy import RESOURCE as WASTE


def _staff(user: User) -> bool:
    return user.user_type in STAFF_TYPES


def _desk(user: User) -> bool:
    """The API's ``IsWardAdminOrSuperAdmin``: ward admins and the super admin."""
    return user.user_type in (UserType.ADMIN, UserType.SUPER_ADMIN)


def _city(user: User) -> bool:
    return user.user_type == UserType.SUPER_ADMIN


def _uses(resource: str) -> Callable[[User], bool]:
    """Super admins and providers (who get what is handed to them) always; a ward admin with
    rights to read the resource in some ward."""

    def opens(user: User) -> bool:
        if user.user_type in (UserType.SUPER_ADMIN, UserType.SERVICE_PROVIDER):
            return True
        return user.user_type == UserType.ADMIN and bool(
            permitted_wards(user, resource=resource, action="read")
        )

    return opens


def _rights(resource: str) -> Callable[[User], bool]:
    """Super admins; a ward admin with rights to read the resource in some ward (providers are
    handed nothing here)."""

    def opens(user: User) -> bool:
        if user.user_type == UserType.SUPER_ADMIN:
            return True
        return user.user_type == UserType.ADMIN and bool(
            permitted_wards(user, resource=resource, action="read")
        )

    return opens


@dataclass(frozen=True)
class Section:
    name: str  # the URL name of the section's first screen (its link in the bar)
    label: Promise | None  # None: no link in the bar (reached from elsewhere)
    opens: Callable[[User], bool]  # besides being staff, which every section asks
    refusal: Promise  # what the refused page says to staff the section does not open for


FOR_DESK = _("This screen is for ward admins and the super admin.")
FOR_CITY = _("This screen is for the super admin.")
FOR_RIGHTS = _("Your account has no rights to this screen in any ward.")

# In the order of the sections bar.
SECTIONS: dict[str, Section] = {
    section.name: section
    for section in (
        Section("queue", _("Complaints"), _staff, FOR_DESK),
        Section("work", _("My work"), _staff, FOR_DESK),
        Section("emergencies", _("Emergencies"), _uses(EMERGENCY), FOR_RIGHTS),
        Section("chat", _("Chat"), _uses(CHAT), FOR_RIGHTS),
        Section("notices", _("Notices"), _desk, FOR_DESK),
        Section("gallery", _("Gallery"), manages_gallery, FOR_RIGHTS),
        Section("waste-schedules", _("Collection schedules"), _rights(WASTE), FOR_RIGHTS),
        Section("special-collections", _("Special collections"), _rights(WASTE), FOR_RIGHTS),
        Section("stations", _("Transfer stations"), _rights(WASTE), FOR_RIGHTS),
        Section("calendar", _("Calendar"), manages_calendar, FOR_RIGHTS),
        Section("dashboard", _("Dashboard"), _desk, FOR_DESK),
        Section("reports", _("Reports"), _desk, FOR_DESK),
        Section("staff", _("Staff"), _city, FOR_CITY),
        Section("refunds", _("Refunds"), _city, FOR_CITY),
        Section("audit", _("Audit trail"), _city, FOR_CITY),
        Section("donation-projects", _("Donation projects"), _city, FOR_CITY),
        Section("account", None, _staff, FOR_DESK),  # one's own password
    )
}


def section_opens(user: User, name: str) -> bool:
    return bool(user.is_authenticated and _staff(user) and SECTIONS[name].opens(user))


def sections_open_to(user: User) -> list[Section]:
    """The bar: every section with a link that opens for ``user``, in order."""
    return [
        section
        for section in SECTIONS.values()
        if section.label is not None and section_opens(user, section.name)
    ]
