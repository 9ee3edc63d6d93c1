"""An audit row's ``details`` as lines a person reads: permission rows by their labels, a
before/after pair reduced to what changed, nested keys joined with dots, secrets hidden, people
by their names, statuses, roles and report kinds by their labels (never the stored codes)."""

import uuid
from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.complaints.enums import STATUS_CODES as COMPLAINT_STATUS_CODES
from apps.complaints.enums import Status as ComplaintStatus
from apps.dashboard.models import ReportFormat, ReportType
from apps.emergency.enums import STATUS_CODES as EMERGENCY_STATUS_CODES
from apps.emergency.enums import EmergencyStatus
from apps.payments.models import PaymentStatus
from apps.users.models import ActivityAction, User, UserType
from apps.users.policy import PERMISSION_FLAG_LABELS, PERMISSION_TYPE_LABELS

# Detail keys whose values are never shown, whatever a future audit row carries.
SECRET_MARKERS = ("password", "secret", "token", "otp_code", "api_key", "signature")
HIDDEN = "••••••"
# Keys many rows share, named for people; others are shown as they are stored.
KEY_LABELS = {
    "before": gettext_lazy("Before"),
    "after": gettext_lazy("After"),
    "fields": gettext_lazy("Fields"),
    "from": gettext_lazy("From"),
    "to": gettext_lazy("To"),
    "assigned_to": gettext_lazy("Assigned to"),
    "user_type": gettext_lazy("Role"),
    "ward_number": gettext_lazy("Ward"),
    "target_wards": gettext_lazy("Wards"),
    "permissions": gettext_lazy("Permissions"),
    "report_type": gettext_lazy("Period"),
    "format": gettext_lazy("Format"),
    "amount": gettext_lazy("Amount"),
    "reason": gettext_lazy("Reason"),
}
# The order keys are read in: KEY_LABELS' own (before/after, from/to…), then the rest by name —
# PostgreSQL's jsonb keeps no key order, so the row's own order cannot be the reader's.
_KEY_RANK = {name: rank for rank, name in enumerate(KEY_LABELS)}


def _in_reading_order(details: dict) -> list:
    return sorted(
        details.items(), key=lambda item: (_KEY_RANK.get(item[0], len(_KEY_RANK)), str(item[0]))
    )


# Keys whose values are user ids: shown as the person's name.
PERSON_KEYS = frozenset({"assigned_to"})
# Status codes per resource (the API's codes, as the services record them) → their labels.
STATUS_LABELS = {
    "complaint": {
        code: ComplaintStatus(value).label for value, code in COMPLAINT_STATUS_CODES.items()
    },
    "emergencyrequest": {
        code: EmergencyStatus(value).label for value, code in EMERGENCY_STATUS_CODES.items()
    },
    "payment": dict(PaymentStatus.choices),
}
VALUE_LABELS = {
    "user_type": dict(UserType.choices),
    "report_type": dict(ReportType.choices),
    "format": dict(ReportFormat.choices),
}


def action_label(code: str) -> str:
    """ActivityAction's label; a code no longer in the enum is made readable, not shown raw."""
    try:
        return str(ActivityAction(code).label)
    except ValueError:
        return code.replace(".", " ").replace("_", " ").capitalize()


def _person_ids(details, key: str = "") -> set[uuid.UUID]:
    if isinstance(details, dict):
        return set().union(*(_person_ids(value, name) for name, value in details.items()))
    if isinstance(details, list):
        return set().union(*(_person_ids(item, key) for item in details))
    if key in PERSON_KEYS and details:
        try:
            return {uuid.UUID(str(details))}
        except ValueError:
            return set()
    return set()


def people_names(rows) -> dict[str, str]:
    """The names of everyone a page of audit rows mentions by id, in one query."""
    ids = set().union(*(_person_ids(row.details) for row in rows))
    if not ids:
        return {}
    return {
        str(pk): name or _("Unnamed person")
        for pk, name in User.objects.filter(pk__in=ids).values_list("pk", "name")
    }


def _value_text(name: str, value, *, resource_type, people: dict) -> str:
    """One stored value as a person reads it."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name in PERSON_KEYS:
        return people.get(str(value), _("A removed account"))
    if name in ("from", "to") and resource_type in STATUS_LABELS:
        return str(STATUS_LABELS[resource_type].get(value, value))
    if name in VALUE_LABELS:
        return str(VALUE_LABELS[name].get(value, value))
    return str(value)


def _key_label(name) -> str:
    label = KEY_LABELS.get(name)
    if label is not None:
        return str(label)
    return str(name).replace("_", " ").capitalize() if isinstance(name, str) else str(name)


@cache
def _models_by_name() -> dict:
    return {model._meta.model_name: model for model in apps.get_models()}


def resource_label(resource_type: str | None) -> str:
    """The model's own name in the reader's language: refund → "টাকা ফেরত"."""
    model = _models_by_name().get(resource_type or "")
    return str(model._meta.verbose_name) if model is not None else (resource_type or "—")


def _field_labels(names: list, resource_type: str | None) -> list[str]:
    """goal_amount of a donation project → "goal": the fields' own names."""
    model = _models_by_name().get(resource_type or "")
    labels = []
    for name in names:
        try:
            labels.append(str(model._meta.get_field(name).verbose_name))
        except (AttributeError, FieldDoesNotExist):  # no such model or field: as stored
            labels.append(str(name))
    return labels


def _is_secret(key: str) -> bool:
    return any(marker in key.lower() for marker in SECRET_MARKERS)


def _permission_line(row: dict) -> str:
    """complaints 1, 2 read+update → "Complaints — wards 1, 2 — Read, Update"."""
    label = PERMISSION_TYPE_LABELS.get(row["permission_type"], row["permission_type"])
    wards = ", ".join(str(ward) for ward in row.get("ward_numbers") or []) or "—"
    rights = [str(text) for flag, text in PERMISSION_FLAG_LABELS.items() if row.get(flag)]
    return _("%(work)s — wards %(wards)s — %(rights)s") % {
        "work": label,
        "wards": wards,
        "rights": ", ".join(rights) or "—",
    }


def _is_permission_list(value) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, dict) and "permission_type" in item for item in value
    )


def _changed_only(details: dict) -> dict:
    """Permission sets before and after: the rows that stayed the same are left out."""
    before, after = details.get("before"), details.get("after")
    if not (_is_permission_list(before) and _is_permission_list(after)):
        return details
    return {
        **details,
        "before": [row for row in before if row not in after],
        "after": [row for row in after if row not in before],
    }


def details_lines(
    details, key: str = "", *, resource_type=None, people=None, name: str = ""
) -> list[tuple[str, list[str]]]:
    """(key, lines) pairs for the template; ``resource_type`` names the fields a row lists and
    reads its status codes, ``people`` (people_names) names the user ids."""
    people = people or {}
    if (key and _is_secret(key)) or (name and _is_secret(name)):
        return [(key, [HIDDEN])]
    if isinstance(details, dict):
        pairs = []
        for child, value in _in_reading_order(_changed_only(details)):
            if child == "fields" and isinstance(value, list):
                value = _field_labels(value, resource_type)
            label = _key_label(child)
            pairs.extend(
                details_lines(
                    value,
                    f"{key}.{label}" if key else label,
                    resource_type=resource_type,
                    people=people,
                    name=str(child),
                )
            )
        return pairs
    if _is_permission_list(details):
        return [(key, [_permission_line(row) for row in details] or ["—"])]
    if isinstance(details, list) and any(isinstance(item, dict) for item in details):
        pairs = []
        for index, item in enumerate(details, start=1):
            pairs.extend(
                details_lines(item, f"{key}.{index}", resource_type=resource_type, people=people)
            )
        return pairs
    read = {"resource_type": resource_type, "people": people}
    if isinstance(details, list):
        return [(key, [", ".join(_value_text(name, item, **read) for item in details) or "—"])]
    return [(key, [_value_text(name, details, **read)])]
