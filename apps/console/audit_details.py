"""An audit row's ``details`` as lines a person reads: permission rows by their labels, a
before/after pair reduced to what changed, nested keys joined with dots, secrets hidden."""

from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
}


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


def details_lines(details, key: str = "", *, resource_type=None) -> list[tuple[str, list[str]]]:
    """(key, lines) pairs for the template; ``resource_type`` names the fields a row lists."""
    if key and _is_secret(key):
        return [(key, [HIDDEN])]
    if isinstance(details, dict):
        pairs = []
        for name, value in _changed_only(details).items():
            if name == "fields" and isinstance(value, list):
                value = _field_labels(value, resource_type)
            label = str(KEY_LABELS.get(name, name))
            pairs.extend(details_lines(value, f"{key}.{label}" if key else label))
        return pairs
    if _is_permission_list(details):
        return [(key, [_permission_line(row) for row in details] or ["—"])]
    if isinstance(details, list) and any(isinstance(item, dict) for item in details):
        pairs = []
        for index, item in enumerate(details, start=1):
            pairs.extend(details_lines(item, f"{key}.{index}"))
        return pairs
    if isinstance(details, list):
        return [(key, [", ".join(str(item) for item in details) or "—"])]
    return [(key, ["—" if details is None else str(details)])]
