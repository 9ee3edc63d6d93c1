"""OpenAPI examples of /waste/sts/: ward 5's admin adds the Matuail STS, raises its capacity, and
its weighbridge reports a load past 80 % of it."""

from drf_spectacular.utils import OpenApiExample

from apps.users.examples import WARD_ADMIN_NAME

STATION_ID = "5a8f3c1e-2b7d-4e96-a1c4-8d0f6b2e9c37"
READING_ID = "c2e71b94-6f3a-4d58-9b0e-1a7c5d3f8e26"
NAME = "মাতুয়াইল এসটিএস"

_FIELDS = {
    "name": NAME,
    "ward_number": "5",
    "capacity_tons": "40.00",
    "latitude": "23.71520000",
    "longitude": "90.45210000",
}
STATION = {
    "id": STATION_ID,
    **_FIELDS,
    "current_load_tons": None,
    "utilization_percent": None,
    "last_reading_at": None,
}

STATION_CREATE = OpenApiExample("Matuail STS in ward 5", value=_FIELDS, request_only=True)
STATION_CREATED = OpenApiExample(
    "Added (no reading yet)", value=STATION, response_only=True, status_codes=[201]
)
STATION_PATCH = OpenApiExample(
    "A larger floor", value={"capacity_tons": "50.00"}, request_only=True
)
STATION_PATCHED = OpenApiExample(
    "Changed",
    value={
        **STATION,
        "capacity_tons": "50.00",
        "current_load_tons": "31.50",
        "utilization_percent": "63.00",
        "last_reading_at": "2025-03-15T07:40:00+06:00",
    },
    response_only=True,
    status_codes=[200],
)

READING_CREATE = OpenApiExample(
    "Weighed by staff now", value={"load_tons": "42.25"}, request_only=True
)
READING_BY_DEVICE = OpenApiExample(
    "Sent by the weighbridge",
    description="With the header `X-Device-Key: sts_…` instead of a bearer token; `at` is the "
    "weighbridge's own clock.",
    value={"load_tons": "42.25", "at": "2025-03-15T18:05:00+06:00"},
    request_only=True,
)
READING_CREATED = OpenApiExample(
    "Recorded: 84.50 % of 50 tons, the ward's staff are told",
    value={
        "id": READING_ID,
        "station_id": STATION_ID,
        "load_tons": "42.25",
        "at": "2025-03-15T18:05:00+06:00",
        "utilization_percent": "84.50",
        "source": "staff",
        "recorded_by_name": WARD_ADMIN_NAME,
        "device_name": None,
        "created_at": "2025-03-15T18:05:02.418230+06:00",
    },
    response_only=True,
    status_codes=[201],
)
