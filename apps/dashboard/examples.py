"""OpenAPI examples of /dashboard/: a ward admin asks for last month's report."""

from drf_spectacular.utils import OpenApiExample

REPORT_REQUEST = OpenApiExample(
    "February as a PDF",
    description="Any day of the month picks the month.",
    value={"report_type": "monthly", "format": "pdf", "start": "2025-02-01"},
    request_only=True,
)
REPORT_ACCEPTED = OpenApiExample(
    "Queued",
    description="Follow it at reports/{report_id}/ until it is completed.",
    value={"report_id": "25cdfe6d-1773-4e00-bc86-4d19a70afcd0", "status": "pending"},
    response_only=True,
    status_codes=[202],
)
