"""OpenAPI examples of /donations/: a citizen gives to the canal clean-up through Nagad."""

from drf_spectacular.utils import OpenApiExample

GIVE = OpenApiExample(
    "500 taka to the canal clean-up",
    description="`project` is the project's slug or id.",
    value={
        "project": "canal-cleanup",
        "amount": "500.00",
        "payment_method": "nagad",
        "phone_number": "01712345678",
        "message": "আমাদের ওয়ার্ডের খাল যেন আবার জলাবদ্ধ না হয়।",
    },
    request_only=True,
)
STARTED = OpenApiExample(
    "Open payment_url",
    description="The receipt is ready once the payment completes.",
    value={
        "donation_id": "a58ad902-a113-4f0b-968f-dc7d261d22e6",
        "receipt_number": "CCD-20250314-4F7A2C91BE",
        "payment_id": "3546b055-90dd-4077-94bd-a464451e869f",
        "transaction_id": "CCP20250314B5D20E7A9C31",
        "payment_url": (
            "https://api.mynagad.com/check-out/MDMxNDEwNDgxNS42ODMwMDIwMDcwMDAwMjguQ0NQMjAyNTAzMT"
            "RCNUQyMEU3QTlDMzEuNWYxZThjMmEwN2Q5NGIzNg=="
        ),
        "status": "processing",
    },
    response_only=True,
    status_codes=[201],
)
