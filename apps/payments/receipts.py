"""The PDF receipt of a completed fee payment: one A5 page, Bengali first with English beside it."""

from __future__ import annotations

from core.pdf import receipt_build, taka, when_text
from core.phone import mask_phone

from .models import Payment

# The wallets' own names in Bengali and English (printed side by side whatever the language).
METHOD_NAMES = {
    "bkash": ("বিকাশ", "bKash"),
    "nagad": ("নগদ", "Nagad"),
    "rocket": ("রকেট", "Rocket"),
    "upay": ("উপায়", "Upay"),
}


def method_names(method: str) -> str:
    bn, en = METHOD_NAMES.get(method, (method, method))
    return f"{bn} ({en})"


def payment_receipt_pdf(payment: Payment, *, service_bn: str, service_en: str) -> bytes:
    """Render a completed payment's receipt (invariant output: the same bytes every time until a
    refund changes it). The service's names are the caller's to look up."""
    rows = [
        ("লেনদেন নম্বর", "Transaction", payment.transaction_id),
        ("তারিখ", "Date", when_text(payment.completed_at)),
        ("সেবা", "Service", f"{service_bn} / {service_en}"),
        ("মোবাইল", "Mobile", mask_phone(payment.phone_number)),
        (
            "পরিমাণ",
            "Amount",
            f"{taka(payment.amount, bengali=True)} ({taka(payment.amount, bengali=False)})",
        ),
        ("পরিশোধের মাধ্যম", "Paid with", method_names(payment.payment_method)),
        ("প্রদানকারীর লেনদেন", "Provider ref.", payment.gateway_trx_id or ""),
    ]
    if payment.refunded_amount:
        rows.insert(
            5,
            (
                "ফেরত দেওয়া হয়েছে",
                "Refunded",
                f"{taka(payment.refunded_amount, bengali=True)} "
                f"({taka(payment.refunded_amount, bengali=False)})",
            ),
        )
    return receipt_build(
        heading="পরিশোধের রসিদ / Payment receipt",
        rows=rows,
        closing="সিটি কর্পোরেশনের সেবা ব্যবহারের জন্য ধন্যবাদ। Thank you for using city services.",
        doc_title=f"Payment receipt {payment.transaction_id}",
    )
