"""What a report prints, format-free: the summary and one table per section, headings in Bengali
and English. The PDF and the XLSX both render these, so they always show the same numbers.

Cells keep their Python types: ``int`` counts, ``Decimal`` money / hours / percentages, ``None``
for "no value", ``str`` for labels; each renderer formats them its own way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation

from apps.complaints.enums import Category, Status
from apps.emergency.enums import EmergencyType
from apps.payments.models import PayableService, PaymentMethod
from apps.users.models import UserType

from ..models import Report, ReportType
from .periods import DHAKA

Cell = str | int | Decimal | None

REPORT_TYPE_NAMES = {
    ReportType.DAILY: ("দৈনিক", "Daily"),
    ReportType.WEEKLY: ("সাপ্তাহিক", "Weekly"),
    ReportType.MONTHLY: ("মাসিক", "Monthly"),
    ReportType.QUARTERLY: ("ত্রৈমাসিক", "Quarterly"),
    ReportType.YEARLY: ("বার্ষিক", "Yearly"),
}
METHOD_NAMES = {
    "bkash": "বিকাশ",
    "nagad": "নগদ",
    "rocket": "রকেট",
    "upay": "উপায়",
    "card": "কার্ড",
    "bank": "ব্যাংক",
}
USER_TYPE_NAMES = {
    UserType.CITIZEN: "নাগরিক",
    UserType.ADMIN: "ওয়ার্ড অ্যাডমিন",
    UserType.SUPER_ADMIN: "সুপার অ্যাডমিন",
    UserType.SERVICE_PROVIDER: "সেবা প্রদানকারী",
}
DONATION_SERVICE = ("দান", "Donation")
WHOLE_CITY = ("সমগ্র সিটি", "Whole city")
TOTAL = "মোট / Total"


@dataclass
class Section:
    """One table: ``sheet`` names its XLSX sheet (English, ≤ 31 characters)."""

    sheet: str
    title_bn: str
    title_en: str
    columns: list[str]
    rows: list[list[Cell]]
    total: list[Cell] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.title_bn} / {self.title_en}"


def english(label) -> str:
    with translation.override("en"):
        return str(label)


def scope_text(scope: list[str] | None) -> str:
    if scope is None:
        return " / ".join(WHOLE_CITY)
    if not scope:
        return "কোনো ওয়ার্ড নয় / No wards"
    wards = sorted(scope, key=lambda ward: (len(ward), ward))
    return "ওয়ার্ড / Wards " + ", ".join(wards)


def day_text(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def summary_rows(report: Report, figures: dict, *, generated: datetime) -> list[tuple[str, Cell]]:
    type_bn, type_en = REPORT_TYPE_NAMES[report.report_type]
    money = figures["financial"]
    return [
        ("সিটি কর্পোরেশন / City corporation", settings.CITY_CORPORATION_NAME_BN),
        ("ইংরেজি নাম / Name in English", settings.CITY_CORPORATION_NAME_EN),
        ("প্রতিবেদনের ধরন / Report type", f"{type_bn} / {type_en}"),
        ("শুরু / Period start", day_text(report.period_start)),
        ("শেষ / Period end", day_text(report.period_end)),
        ("সময় অঞ্চল / Time zone", "Asia/Dhaka"),
        ("এলাকা / Scope", scope_text(report.scope)),
        ("আর্থিক হিসাবের এলাকা / Money scope", scope_text(report.payments_scope)),
        ("জরুরি সেবার এলাকা / Emergency scope", scope_text(report.emergency_scope)),
        ("তৈরির সময় / Generated", f"{timezone.localtime(generated, DHAKA):%d/%m/%Y %H:%M}"),
        ("মোট অভিযোগ / Complaints filed", figures["complaint_stats"]["total"]),
        ("জরুরি অনুরোধ / Emergencies raised", figures["emergencies"]["total"]),
        ("নতুন অ্যাকাউন্ট / New accounts", figures["user_stats"]["total"]),
        ("মোট আয় (টাকা) / Revenue (BDT)", money["total_revenue"]),
        ("মোট দান (টাকা) / Donations (BDT)", money["donations_total"]),
    ]


def _service_names(codes: list[str]) -> dict[str, tuple[str, str]]:
    names = {
        service.code: (service.name_bn, service.name_en)
        for service in PayableService.objects.filter(code__in=codes)
    }
    names.setdefault("donation", DONATION_SERVICE)
    return names


def report_sections(figures: dict) -> list[Section]:
    stats = figures["complaint_stats"]
    satisfaction = figures["satisfaction"]
    times = figures["service_time"]
    money = figures["financial"]
    users = figures["user_stats"]
    emergencies = figures["emergencies"]
    services = money["revenue_by_service_type"]
    service_names = _service_names([s["service_type"] for s in services])
    return [
        Section(
            "Complaints by status", "অবস্থা অনুযায়ী অভিযোগ", "Complaints by status",
            ["অবস্থা / Status", "Code", "সংখ্যা / Count"],
            [[f"{s['status']} / {english(Status(s['status']).label)}", s["code"], s["count"]]
             for s in stats["by_status"]],
            total=[TOTAL, "", stats["total"]],
        ),
        Section(
            "Categories", "ধরন অনুযায়ী অভিযোগ", "Complaints by category",
            ["ধরন / Category", "Code", "সংখ্যা / Count", "শতাংশ / Share %"],
            [[f"{c['category']} / {english(Category(c['category']).label)}", c["code"],
              c["count"], c["percentage"]] for c in figures["categories"]],
            total=[TOTAL, "", stats["total"], sum((c["percentage"] for c in figures["categories"]),
                                                   Decimal("0.00"))],
        ),
        Section(
            "Ward ranking", "ওয়ার্ড র‍্যাঙ্কিং (শীর্ষ ১৫)", "Ward ranking (top 15)",
            ["ক্রম / Rank", "ওয়ার্ড / Ward", "মোট / Total", "সমাধান / Resolved",
             "সমাধানের হার % / Resolution rate %", "গড় ঘণ্টা / Mean hours"],
            [[rank, w["ward_number"], w["total"], w["resolved"], w["resolution_rate"],
              w["avg_service_hours"]] for rank, w in enumerate(figures["ward_performance"], 1)],
            notes=["সমাধানের হার, তারপর গড় সেবা-সময় অনুযায়ী। "
                   "Ranked by resolution rate, then mean service time."],
        ),
        Section(
            "Satisfaction", "নাগরিক সন্তুষ্টি", "Citizen satisfaction",
            ["পরিমাপ / Measure", "মান / Value"],
            [["গড় রেটিং / Average rating (1-5)", satisfaction["average_rating"]],
             ["রেটিং পাওয়া অভিযোগ / Rated complaints", satisfaction["rated_count"]],
             *[[f"রেটিং {r['rating']} / Rating {r['rating']}", r["count"]]
               for r in satisfaction["distribution"]]],
        ),
        Section(
            "Service time", "সেবা প্রদানের সময়", "Service time",
            ["পরিমাপ / Measure", "মান / Value"],
            [["গড় ঘণ্টা / Mean hours", times["mean_hours"]],
             ["মধ্যমা ঘণ্টা / Median hours", times["median_hours"]],
             ["সমাধান হওয়া অভিযোগ / Resolved complaints", times["resolved_count"]]],
            notes=["এই সময়ে দাখিল হয়ে এখন সমাধান হওয়া অভিযোগ। "
                   "Complaints filed in the period and resolved now."],
        ),
        Section(
            "Emergencies", "জরুরি অনুরোধ", "Emergencies",
            ["পরিমাপ / Measure", "মান / Value"],
            [["মোট / Raised", emergencies["total"]],
             ["খোলা / Still open", emergencies["open"]],
             ["কেউ নেয়নি / Open, nobody assigned", emergencies["unassigned_open"]],
             ["সুপার অ্যাডমিনকে জানানো / Escalated", emergencies["escalated"]],
             ["সাড়া পেয়েছে / Responded to", emergencies["responded"]],
             ["গড় সাড়া, মিনিট / Mean response, minutes", emergencies["mean_response_minutes"]],
             ["মধ্যমা সাড়া, মিনিট / Median response, minutes",
              emergencies["median_response_minutes"]],
             *[[f"{t['emergency_type']} / {english(EmergencyType(t['emergency_type']).label)}",
                t["count"]] for t in emergencies["by_type"]]],
            notes=["সাড়া: অনুরোধ থেকে কর্মীর প্রথম পদক্ষেপ পর্যন্ত। "
                   "Response: from the request to the first staff action."],
        ),
        Section(
            "Revenue by method", "মাধ্যম অনুযায়ী আয়", "Revenue by payment method",
            ["মাধ্যম / Method", "Code", "সংখ্যা / Count", "টাকা / Amount (BDT)"],
            [[f"{METHOD_NAMES.get(m['payment_method'], '')} / "
              f"{english(PaymentMethod(m['payment_method']).label)}",
              m["payment_method"], m["count"], m["amount"]] for m in money["revenue_by_method"]],
            total=[TOTAL, "", money["completed_count"], money["total_revenue"]],
            notes=["এই সময়ে সম্পন্ন পরিশোধ, ফেরত বাদে। "
                   "Payments completed in the period, net of refunds."],
        ),
        Section(
            "Revenue by service", "সেবা অনুযায়ী আয়", "Revenue by service type",
            ["সেবা / Service", "Code", "সংখ্যা / Count", "টাকা / Amount (BDT)"],
            [[" / ".join(service_names.get(s["service_type"], (s["service_type"],))),
              s["service_type"], s["count"], s["amount"]] for s in services],
            total=[TOTAL, "", money["completed_count"], money["total_revenue"]],
        ),
        Section(
            "Refunds and open money", "ফেরত ও অপরিশোধিত অর্থ", "Refunds and open payments",
            ["পরিমাপ / Measure", "সংখ্যা / Count", "টাকা / Amount (BDT)"],
            [["ফেরত / Refunded", money["refunded_count"], money["refunded_amount"]],
             ["অপেক্ষমাণ / Pending or processing", money["pending_count"],
              money["pending_amount"]]],
            notes=["ফেরত: এই সময়ে সম্পন্ন পরিশোধের; অপেক্ষমাণ: এই সময়ে শুরু হওয়া। "
                   "Refunds of payments completed in the period; open payments started in it."],
        ),
        Section(
            "Donations", "প্রকল্প অনুযায়ী দান", "Donations by project",
            ["প্রকল্প / Project", "Code", "সংখ্যা / Count", "টাকা / Amount (BDT)"],
            [[f"{d['name_bn']} / {d['name_en']}", d["project"], d["count"], d["amount"]]
             for d in money["donations_by_project"]],
            total=[TOTAL, "", sum(d["count"] for d in money["donations_by_project"]),
                   money["donations_total"]],
        ),
        _stations_section(figures["stations"]),
        Section(
            "New users", "নতুন অ্যাকাউন্ট", "New accounts by type",
            ["ধরন / Type", "Code", "সংখ্যা / Count"],
            [[f"{USER_TYPE_NAMES[UserType(u['user_type'])]} / "
              f"{english(UserType(u['user_type']).label)}", u["user_type"], u["count"]]
             for u in users["by_user_type"]],
            total=[TOTAL, "", users["total"]],
        ),
    ]  # fmt: skip


def _stations_section(stations: list[dict]) -> Section:
    return Section(
        "Transfer stations", "সেকেন্ডারি ট্রান্সফার স্টেশন (এসটিএস)",
        "Secondary transfer stations (STS)",
        ["স্টেশন / Station", "ওয়ার্ড / Ward", "ধারণক্ষমতা টন / Capacity t",
         "রিডিং / Readings", "সর্বোচ্চ টন / Peak t", "সর্বোচ্চ % / Peak %",
         "শেষে টন / Closing t", "শেষে % / Closing %"],
        [[s["name"], s["ward_number"], s["capacity_tons"], s["readings"], s["peak_load_tons"],
          s["peak_percent"], s["closing_load_tons"], s["closing_percent"]] for s in stations],
        notes=["সর্বোচ্চ: এই সময়ের রিডিংগুলোর; শেষে: সময় শেষের আগের শেষ রিডিং। "
               "Peak: of the readings in the period; closing: the last reading before its end."],
    )  # fmt: skip
