"""Reads of complaints, always through the viewer's scope (policy.complaints_visible_to)."""

from __future__ import annotations

import re
import uuid

import django_filters
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from apps.users.models import User
from core.exceptions import NotFound
from core.filters import AliasChoiceFilter, BoundedIsoDateTimeFilter, WardFilter
from core.indexes import Inlined
from core.queries import shown_with
from core.rls import as_system

from .enums import (
    CATEGORY_CODES,
    OPEN_STATUSES,
    PRIORITY_CODES,
    PRIORITY_RANK,
    STATUS_CODES,
    STATUS_RANK,
    Category,
    Priority,
    Status,
)
from .models import PREFETCHED_PHOTOS, Complaint, ComplaintUpdate, rank
from .policy import complaints_visible_to


class ComplaintFilter(django_filters.FilterSet):
    status = AliasChoiceFilter(values=Status.values, codes=STATUS_CODES)
    category = AliasChoiceFilter(values=Category.values, codes=CATEGORY_CODES)
    priority = AliasChoiceFilter(values=Priority.values, codes=PRIORITY_CODES)
    ward_number = WardFilter()
    assigned_to = django_filters.UUIDFilter(field_name="assigned_to_id")
    created_after = BoundedIsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = BoundedIsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Complaint
        fields = ["status", "category", "priority", "ward_number", "assigned_to"]


# Newest first; the primary key breaks ties so pages (and keyset cursors) never repeat a row.
LIST_ORDER = ("-created_at", "-id")


def photos_prefetch() -> Prefetch:
    """A page's photos in one query, kept on each complaint as a plain list (Complaint.photos):
    Django's own prefetch builds a related manager and a queryset for every row, an eighth of
    a list's time."""
    return Prefetch("images", to_attr=PREFETCHED_PHOTOS)


def complaint_list(*, viewer: User, ward: str | None = None) -> QuerySet[Complaint]:
    """Visible complaints with what the list shows loaded in a fixed number of queries;
    ``ward``: the ward a filter will narrow them to (policy.complaints_visible_to)."""
    return (
        complaints_visible_to(viewer, ward=ward)
        .select_related("user", "assigned_to")
        .prefetch_related(photos_prefetch())
        .order_by(*LIST_ORDER)
    )


# Of the people a list row names, what it shows (core.queries.shown_with).
PEOPLE_SHOWN = ("user__name", "assigned_to__name")


def complaint_rows(*, viewer: User, ward: str | None = None) -> QuerySet[Complaint]:
    """complaint_list as the API's list answers it: loading what ComplaintSerializer reads,
    every column of the complaint and, of the citizen and the assignee, their names."""
    return shown_with(complaint_list(viewer=viewer, ward=ward), *PEOPLE_SHOWN)


# What ``ordering=priority`` and ``ordering=status`` sort by: urgency and workflow rank (an index
# of models.py reads each in list order).
RANKS = {"priority_rank": ("priority", PRIORITY_RANK), "status_rank": ("status", STATUS_RANK)}


def complaints_ranked(complaints: QuerySet[Complaint], ordering) -> QuerySet[Complaint]:
    """``complaints`` with the ranks ``ordering`` sorts by annotated, and only those: each is a
    CASE that Django compiles for every query and PostgreSQL computes for every row, written
    with literals so that a prepared statement's plan still walks its index (Inlined)."""
    names = {term.lstrip("-") for term in ordering}
    ranks = {name: Inlined(rank(*RANKS[name])) for name in RANKS if name in names}
    return complaints.annotate(**ranks) if ranks else complaints


def complaint_work_list(*, viewer: User) -> QuerySet[Complaint]:
    """The complaints assigned to ``viewer`` within their scope (the API's ``?assigned_to=`` on
    complaint_list): open ones first, oldest first, so the longest wait is done first."""
    return (
        complaint_list(viewer=viewer)
        .filter(assigned_to=viewer)
        .annotate(
            closed=Case(
                When(status__in=OPEN_STATUSES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("closed", "created_at")
    )


SEARCH_FIELDS = ("title", "description", "tracking_number")
# CC, the Dhaka date and the day's sequence (tracking.tracking_number_next), in any case; ASCII
# digits only, at most as long as the column (20).
WHOLE_TRACKING_NUMBER = re.compile(r"CC[0-9]{12,18}", re.IGNORECASE)


def complaint_search(complaints: QuerySet[Complaint], text: str) -> QuerySet[Complaint]:
    """Complaints whose title, description or tracking number contains ``text`` (any case); a
    whole tracking number finds its complaint (complaint_search_tracking_number)."""
    text = text.strip()
    if not text:
        return complaints
    if WHOLE_TRACKING_NUMBER.fullmatch(text):
        return complaint_search_tracking_number(complaints, text)
    terms = Q()
    for field in SEARCH_FIELDS:
        terms |= Q(**{f"{field}__icontains": text})
    return complaints.filter(terms)


def complaint_search_tracking_number(
    complaints: QuerySet[Complaint], number: str
) -> QuerySet[Complaint]:
    """The complaint a whole tracking number names, read through its unique index.

    Searching the three columns for it would read every row's text in the viewer's scope: the
    number is rarely written anywhere else, so nothing stops the walk early, and for the city's
    oldest complaint a super admin's search read a million rows (2 s of PostgreSQL, past the
    statement timeout under load). A complaint that only mentions the number in its text is not
    found this way; a part of a number still searches the text.
    """
    return complaints.filter(tracking_number=number.upper())


def complaint_get(*, viewer: User, complaint_id) -> Complaint:
    try:
        return (
            complaint_list(viewer=viewer)
            .prefetch_related("updates__updated_by")
            .get(pk=complaint_id)
        )
    except (Complaint.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def complaint_shown(*, viewer: User, complaint_id) -> Complaint:
    """One complaint as its detail answer shows it (complaint_rows, and the status moves with
    their authors' names joined in the same query); 404 outside the viewer's scope. For the
    services, which write and notify, complaint_get loads whole rows."""
    updates = shown_with(
        ComplaintUpdate.objects.select_related("updated_by"), "updated_by__name"
    ).order_by("created_at")
    try:
        return (
            complaint_rows(viewer=viewer)
            .prefetch_related(Prefetch("updates", queryset=updates))
            .get(pk=complaint_id)
        )
    except (Complaint.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def complaint_history(*, complaint: Complaint) -> QuerySet[ComplaintUpdate]:
    """Status moves of a complaint the viewer already may see, oldest first."""
    return complaint.updates.select_related("updated_by").order_by("created_at")


def complaint_after_write(complaint_id) -> Complaint:
    """Reload a complaint its actor has just changed, to answer them even if the change took it
    out of their view (a provider who hands work on still gets the result of the hand-over):
    read as the system, past row-level security, with everything the answer shows loaded."""
    with as_system():
        return (
            Complaint.objects.select_related("user", "assigned_to")
            .prefetch_related(photos_prefetch(), "updates__updated_by")
            .get(pk=complaint_id)
        )


def complaint_by_tracking_number(tracking_number: str) -> Complaint:
    """Anyone may look a complaint up by its tracking number (the view shows no personal data)."""
    try:
        return Complaint.objects.prefetch_related("updates").get(
            tracking_number=tracking_number.strip().upper()
        )
    except Complaint.DoesNotExist as exc:
        raise NotFound() from exc


def complaint_statistics(*, viewer: User) -> dict:
    """Totals by status, category and priority over the viewer's complaints (zeros included).

    The flat ``*_complaints`` keys and ``category_statistics`` are seed 001's shape, which the
    Flutter client reads; they are derived from the same counts so the two views never disagree.
    """
    codes = {"status": STATUS_CODES, "category": CATEGORY_CODES, "priority": PRIORITY_CODES}
    aggregates = {"total": Count("id")}
    for field, mapping in codes.items():
        for value, code in mapping.items():  # aliases must be ASCII: use the English codes
            aggregates[f"{field}_{code}"] = Count("id", filter=Q(**{field: value}))
    counts = complaints_visible_to(viewer).aggregate(**aggregates)

    def breakdown(field, enum):
        return [
            {
                field: value,
                "code": codes[field][value],
                "label": str(enum(value).label),
                "count": counts[f"{field}_{codes[field][value]}"],
            }
            for value in enum.values
        ]

    by_category = breakdown("category", Category)
    return {
        "total": counts["total"],
        "by_status": breakdown("status", Status),
        "by_category": by_category,
        "by_priority": breakdown("priority", Priority),
        "total_complaints": counts["total"],
        "pending_complaints": counts["status_submitted"],
        "in_progress_complaints": counts["status_in_progress"],
        "resolved_complaints": counts["status_resolved"],
        "category_statistics": [
            {"category": row["category"], "count": row["count"]} for row in by_category
        ],
    }


def complaint_visible(*, viewer: User, complaint_id) -> bool:
    """Whether the complaint is (still) in the viewer's scope, e.g. after assigning it away."""
    return complaint_list(viewer=viewer).filter(pk=complaint_id).exists()


def complaints_chosen(*, viewer: User, ids) -> QuerySet[Complaint]:
    """Of the ticked ids, the complaints in the viewer's scope (malformed ids are ignored)."""
    valid = []
    for value in ids:
        try:
            valid.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return complaint_list(viewer=viewer).filter(pk__in=valid)


def complaint_export_list(complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """``complaints`` as the CSV export reads them: only the assignee joined."""
    return complaints.select_related(None).select_related("assigned_to")
