"""OpenAPI examples of /payments/: a citizen pays the waste collection fee with bKash.

Provider references (bKash's paymentID and trxID, its payment page) have the provider's shape;
clients treat them as opaque.
"""

from drf_spectacular.utils import OpenApiExample

from apps.users.examples import CITIZEN_ID, CITIZEN_PHONE, SUPER_ADMIN_ID

PAYMENT_ID = "694dce40-bacb-4626-b55a-78bd00162929"
TRANSACTION_ID = "CCP202503141A7C3E9F20B4"
BKASH_PAYMENT_ID = "TR0011Lm8Qv4X1741926460"
BKASH_PAGE = f"https://payment.bkash.com/?paymentId={BKASH_PAYMENT_ID}&hash=f3K9qZ2mW7xR"
REFUND_ID = "f2f86109-cdb4-4074-b44a-babaa2719bec"
REFUND_REASON = "এই মাসের বর্জ্য সংগ্রহ ফি দুবার কেটে নেওয়া হয়েছে।"
REJECTION_REASON = "একই মাসের দুটি আলাদা হোল্ডিংয়ের ফি, দ্বিগুণ কাটা হয়নি।"

COMPLETED = {
    "id": PAYMENT_ID,
    "transaction_id": TRANSACTION_ID,
    "service_type": "waste_collection_fee",
    "amount": "150.00",
    "payment_method": "bkash",
    "phone_number": CITIZEN_PHONE,
    "status": "completed",
    "gateway": "bkash",
    "gateway_transaction_id": BKASH_PAYMENT_ID,
    "gateway_trx_id": "CCE40KQ9XH",
    "failure_reason": None,
    "refunded_amount": "0.00",
    "receipt_available": True,
    "created_at": "2025-03-14T10:27:40.215836+06:00",
    "updated_at": "2025-03-14T10:29:02.774105+06:00",
    "completed_at": "2025-03-14T10:29:02.774105+06:00",
}
REQUESTED_REFUND = {
    "id": REFUND_ID,
    "payment": PAYMENT_ID,
    "amount": "150.00",
    "reason": REFUND_REASON,
    "status": "requested",
    "provider_refund_id": None,
    "failure_reason": None,
    "requested_by": CITIZEN_ID,
    "decided_by": None,
    "created_at": "2025-03-16T09:40:18.503627+06:00",
    "completed_at": None,
}

PROCESS = OpenApiExample(
    "Waste collection fee by bKash",
    value={
        "service_type": "waste_collection_fee",
        "amount": "150.00",
        "payment_method": "bkash",
        "phone_number": "01712345678",
    },
    request_only=True,
)
STARTED = OpenApiExample(
    "Open payment_url",
    description="`bkash_url` is sent too (the same page) when the provider is bKash.",
    value={
        "payment_id": PAYMENT_ID,
        "transaction_id": TRANSACTION_ID,
        "payment_url": BKASH_PAGE,
        "bkash_url": BKASH_PAGE,
        "status": "processing",
    },
    response_only=True,
    status_codes=[201],
)

VERIFY = OpenApiExample("By payment id", value={"payment_id": PAYMENT_ID}, request_only=True)
VERIFIED = OpenApiExample(
    "Completed at the provider", value=COMPLETED, response_only=True, status_codes=[200]
)

REFUND = OpenApiExample(
    "The payer asks for the fee back",
    description="Leave out `amount` to ask for everything not yet refunded.",
    value={"payment_id": PAYMENT_ID, "reason": REFUND_REASON, "amount": "150.00"},
    request_only=True,
)
REFUND_REQUESTED = OpenApiExample(
    "Waiting for a super admin",
    value=REQUESTED_REFUND,
    response_only=True,
    status_codes=[201],
)

REFUND_REJECT = OpenApiExample(
    "Reject with a reason",
    description="Only `reject` reads a body; `approve` needs none.",
    value={"reason": REJECTION_REASON},
    request_only=True,
)
REFUND_APPROVED = OpenApiExample(
    "Approved and refunded",
    value={
        **REQUESTED_REFUND,
        "status": "completed",
        "provider_refund_id": "71RFD7Q2KX",
        "decided_by": SUPER_ADMIN_ID,
        "completed_at": "2025-03-16T14:05:33.218940+06:00",
    },
    response_only=True,
    status_codes=[200],
)
REFUND_REJECTED = OpenApiExample(
    "Rejected",
    value={
        **REQUESTED_REFUND,
        "status": "rejected",
        "failure_reason": REJECTION_REASON,
        "decided_by": SUPER_ADMIN_ID,
    },
    response_only=True,
    status_codes=[200],
)
