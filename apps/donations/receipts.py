"""The PDF receipt of a completed donation: one A5 page, Bengali first with English beside it."""

from __future__ import annotations

from apps.payments.receipts import method_names
from core.pdf import receipt_build, taka, when_text
from core.phone import mask_phone

from .models import Donation


def receipt_pdf(donation: Donation) -> bytes:
    """Render ``donation``'s receipt. Names are the ones kept when it was made and the output is
    invariant, so a receipt comes out byte for byte the same until part of it is refunded."""
    payment = donation.payment
    rows = [
        ("রসিদ নম্বর", "Receipt no.", donation.receipt_number),
        ("তারিখ", "Date", when_text(donation.completed_at)),
        ("দাতা", "Donor", donation.donor_name or mask_phone(payment.phone_number)),
        ("মোবাইল", "Mobile", mask_phone(payment.phone_number)),
        ("প্রকল্প", "Project", f"{donation.project_name} / {donation.project_name_en}"),
        (
            "পরিমাণ",
            "Amount",
            f"{taka(donation.amount, bengali=True)} ({taka(donation.amount, bengali=False)})",
        ),
        ("পরিশোধের মাধ্যম", "Paid with", method_names(donation.payment_method)),
        ("লেনদেন নম্বর", "Transaction", donation.transaction_id or ""),
        ("প্রদানকারীর লেনদেন", "Provider ref.", payment.gateway_trx_id or ""),
    ]
    if payment.refunded_amount:
        kept = donation.amount - payment.refunded_amount
        rows.insert(
            6,
            (
                "ফেরত দেওয়া হয়েছে",
                "Refunded",
                f"{taka(payment.refunded_amount, bengali=True)} "
                f"({taka(payment.refunded_amount, bengali=False)}); "
                f"দান {taka(kept, bengali=True)} (gift {taka(kept, bengali=False)})",
            ),
        )
    if donation.message:
        rows.append(("বার্তা", "Message", donation.message[:300]))
    return receipt_build(
        heading="দানের রসিদ / Donation receipt",
        rows=rows,
        closing="আপনার দানের জন্য আন্তরিক ধন্যবাদ। Thank you for your donation.",
        doc_title=f"Donation receipt {donation.receipt_number}",
    )
