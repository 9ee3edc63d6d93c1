"""Exports of the console: the complaint queue as CSV rows, labels in the reader's language."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.complaints.enums import STATUS_CODES, Category, Priority, Status

BOM = "\ufeff"
# A cell starting with one of these is read as a formula by spreadsheet programs (CSV injection):
# such a cell is written with a leading single quote, which shows it as plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Line:
    """csv.writer writes into this and the row is handed on at once (no buffer of the file)."""

    def write(self, text: str) -> str:
        return text


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _assignee(user) -> str:
    """Who does the work, by name: never their phone number."""
    if user is None:
        return ""
    return user.name or _("Unnamed staff member")


def complaints_csv_rows(complaints: Iterable) -> Iterator[str]:
    """A header and one line per complaint: tracking number, title, status (label and code),
    category, priority, ward, location, assignee and the Dhaka times. No phone numbers, and no
    cell a spreadsheet would run as a formula (titles and locations are citizens' text)."""
    writer = csv.writer(_Line())
    yield BOM + writer.writerow(
        [
            _("Tracking number"), _("Title"), _("Status"), _("Status code"), _("Category"),
            _("Priority"), _("Ward"), _("Location"), _("Assigned to"), _("Filed"),
            _("Updated"), _("Resolved"),
        ]
    )  # fmt: skip
    for complaint in complaints.iterator(chunk_size=1000):
        yield writer.writerow(
            _cell(value)
            for value in [
                complaint.tracking_number, complaint.title, Status(complaint.status).label,
                STATUS_CODES[complaint.status], Category(complaint.category).label,
                Priority(complaint.priority).label, complaint.ward_number or "",
                complaint.location, _assignee(complaint.assigned_to),
                _when(complaint.created_at), _when(complaint.updated_at),
                _when(complaint.resolved_at),
            ]
        )  # fmt: skip
