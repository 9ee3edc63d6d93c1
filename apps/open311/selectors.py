"""Reads for Open311: API keys by their secret, and the public view of complaints as requests.

Every complaint is public here by design (GeoReport publishes service requests), but only the
fields the serializer shows are loaded: nothing that names or reaches the citizen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from apps.complaints.models import Complaint
from core.exceptions import NotFound

from .keys import api_key_digest
from .models import Open311ApiKey

# Spec: "a span of 90 days or first 1000 requests returned, whichever is smallest".
MAX_REQUESTS = 1000

# Exactly the columns Open311ServiceRequestSerializer reads, loaded as plain rows: a list holds up
# to 1,000, and building a model instance for each cost more than the query.
_PUBLIC_FIELDS = (
    "tracking_number",
    "status",
    "category",
    "ward_number",
    "latitude",
    "longitude",
    "created_at",
    "updated_at",
)


@dataclass(frozen=True)
class RequestFilters:
    """Validated GET requests filters; ``ids`` overrides everything else, as the spec says.

    ``latest`` says no date was sent: the window is the 90 days up to now (the feed's default).
    """

    ids: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    latest: bool = False

    @property
    def whole_feed(self) -> bool:
        """Nothing asked for but the newest requests: the same answer for every reader."""
        return self.latest and not (self.categories or self.statuses)


def open311_api_key_find(*, raw: str) -> Open311ApiKey | None:
    """The key whose secret is ``raw`` (active or not), with its integration account."""
    return (
        Open311ApiKey.objects.select_related("owner").filter(key_hash=api_key_digest(raw)).first()
    )


def _public_complaints() -> QuerySet:
    """Rows with the columns' names as attributes (what the serializer reads from a complaint)."""
    return Complaint.objects.values_list(*_PUBLIC_FIELDS, named=True)


def open311_request_list(*, filters: RequestFilters) -> list[tuple]:
    """Newest first, at most MAX_REQUESTS."""
    complaints = _public_complaints()
    if filters.ids:
        complaints = complaints.filter(tracking_number__in=filters.ids)
    else:
        if filters.categories:
            complaints = complaints.filter(category__in=filters.categories)
        if filters.statuses:
            complaints = complaints.filter(status__in=filters.statuses)
        if filters.start is not None:
            complaints = complaints.filter(created_at__gte=filters.start)
        if filters.end is not None:
            complaints = complaints.filter(created_at__lte=filters.end)
    return list(complaints.order_by("-created_at")[:MAX_REQUESTS])


def open311_request_get(*, service_request_id: str) -> tuple:
    try:
        return _public_complaints().get(tracking_number=service_request_id.strip().upper())
    except Complaint.DoesNotExist as exc:
        raise NotFound(
            _("There is no service request %(id)s.") % {"id": service_request_id}
        ) from exc
