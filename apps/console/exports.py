"""Exports of the console: the complaint queue as CSV rows, labels in the reader's language."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.complaints.enums import STATUS_CODES, Category, Priority, Status

BOM = "\ufeff"


class _Line:
    """csv.writer writes into this and the row is handed on at once (no buffer of the file)."""

    def write(self, text: str) -> str:
        return text


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def complaints_csv_rows(complaints: Iterable) -> Iterator[str]:
    """A header and one line per complaint: tracking number, title, status (label and code),
    category, priority, ward, location, assignee and the Dhaka times. No phone numbers."""
    writer = csv.writer(_Line())
    yield BOM + writer.writerow(
        [
            _("Tracking number"), _("Title"), _("Status"), _("Status code"), _("Category"),
            _("Priority"), _("Ward"), _("Location"), _("Assigned to"), _("Filed"),
            _("Updated"), _("Resolved"),
        ]
    )  # fmt: skip
    for complaint in complaints.iterator(chunk_size=1000):
        assignee = complaint.assigned_to
        yield writer.writerow(
            [
                complaint.tracking_number, complaint.title, Status(complaint.status).label,
                STATUS_CODES[complaint.status], Category(complaint.category).label,
                Priority(complaint.priority).label, complaint.ward_number or "",
                complaint.location, (assignee.name or assignee.phone) if assignee else "",
                _when(complaint.created_at), _when(complaint.updated_at),
                _when(complaint.resolved_at),
            ]
        )  # fmt: skip
