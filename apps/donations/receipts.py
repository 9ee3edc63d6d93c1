"""The PDF receipt of a completed donation: one A5 page, Bengali first with English beside it."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from core.pdf import bengali_digits, document_build, para, style, taka
from core.phone import mask_phone

from .models import Donation

# The wallets' own names in Bengali and English (printed side by side whatever the language).
METHOD_NAMES = {
    "bkash": ("বিকাশ", "bKash"),
    "nagad": ("নগদ", "Nagad"),
    "rocket": ("রকেট", "Rocket"),
    "upay": ("উপায়", "Upay"),
}


def receipt_pdf(donation: Donation) -> bytes:
    """Render ``donation``'s receipt. Names are the ones kept when it was made and the output is
    invariant, so a receipt comes out byte for byte the same until part of it is refunded."""
    title = style("title", size=15, alignment=1)
    subtitle = style("subtitle", size=11, alignment=1, textColor=colors.HexColor("#1b5e20"))
    label = style("label", size=8.5, textColor=colors.HexColor("#444444"))
    value = style("value", size=9.5)
    small = style("small", size=8, alignment=1, textColor=colors.HexColor("#555555"))

    completed = timezone.localtime(donation.completed_at)
    payment = donation.payment
    rows = [
        ("রসিদ নম্বর", "Receipt no.", donation.receipt_number),
        (
            "তারিখ",
            "Date",
            f"{bengali_digits(completed.strftime('%d/%m/%Y %H:%M'))} ({completed:%d %b %Y %H:%M})",
        ),
        ("দাতা", "Donor", donation.donor_name or mask_phone(payment.phone_number)),
        ("মোবাইল", "Mobile", mask_phone(payment.phone_number)),
        ("প্রকল্প", "Project", f"{donation.project_name} / {donation.project_name_en}"),
        (
            "পরিমাণ",
            "Amount",
            f"{taka(donation.amount, bengali=True)} ({taka(donation.amount, bengali=False)})",
        ),
        (
            "পরিশোধের মাধ্যম",
            "Paid with",
            "{} ({})".format(*METHOD_NAMES.get(donation.payment_method, ("", ""))),
        ),
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
    table = Table(
        [[para(f"{bn} / {en}", label), para(text, value)] for bn, en, text in rows],
        colWidths=[34 * mm, None],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -2), 0.25, colors.HexColor("#cccccc")),
                ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#1b5e20")),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story = [
        para("ক্লিন কেয়ার বাংলাদেশ", title, bold=True),
        para(
            f"Clean Care Bangladesh — {settings.CITY_CORPORATION_NAME_BN} / "
            f"{settings.CITY_CORPORATION_NAME_EN}",
            small,
        ),
        Spacer(1, 4 * mm),
        para("দানের রসিদ / Donation receipt", subtitle, bold=True),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 6 * mm),
        para("আপনার দানের জন্য আন্তরিক ধন্যবাদ। Thank you for your donation.", small),
        para(
            "এই রসিদটি কম্পিউটারে তৈরি, স্বাক্ষরের প্রয়োজন নেই। "
            "This receipt is computer generated and needs no signature.",
            small,
        ),
    ]
    return document_build(
        story,
        pagesize=A5,
        title=f"Donation receipt {donation.receipt_number}",
        margins=12 * mm,
    )
