"""Every dashboard figure worked out again in plain Python over the objects a test created.

Exact arithmetic throughout (Fraction), rounded half up to hundredths only at the end, and the
answer written as the API renders it (two-place strings), so tests compare whole JSON bodies.
``wards=None`` means the whole city (a super admin).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from rest_framework.fields import DateTimeField

STATUSES = [
    ("জমা দেওয়া হয়েছে", "submitted"),
    ("প্রক্রিয়াধীন", "in_progress"),
    ("সমাধান হয়েছে", "resolved"),
    ("বাতিল", "cancelled"),
]
CATEGORIES = [
    ("পরিচ্ছন্নতা", "cleanliness"),
    ("বর্জ্য ব্যবস্থাপনা", "waste"),
    ("পানি সরবরাহ", "water"),
    ("রাস্তাঘাট", "roads"),
    ("বিদ্যুৎ", "electricity"),
    ("অন্যান্য", "other"),
]
RESOLVED = "সমাধান হয়েছে"
USER_TYPES = ["citizen", "admin", "super_admin", "service_provider"]
METHODS = ["bkash", "nagad", "rocket", "upay", "card", "bank"]
HOUR = Fraction(3600)


def two_places(value: Fraction | None) -> str | None:
    """Half up to hundredths (values here are never negative), as the API writes it."""
    if value is None:
        return None
    hundredths = math.floor(value * 100 + Fraction(1, 2))
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def hours(duration: timedelta) -> Fraction:
    return Fraction(duration // timedelta(microseconds=1), 1_000_000) / HOUR


def dhaka_month_start(now: datetime) -> datetime:
    return now.astimezone(ZoneInfo("Asia/Dhaka")).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )


def in_scope(complaints, wards):
    return [c for c in complaints if wards is None or c.ward_number in wards]


def service_hours(complaint) -> Fraction:
    return hours(complaint.resolved_at - complaint.created_at)


def resolved(complaints):
    return [c for c in complaints if c.status == RESOLVED and c.resolved_at is not None]


# ---------------------------------------------------------------------------------------------
def complaint_stats(complaints, wards=None) -> dict:
    mine = in_scope(complaints, wards)
    return {
        "total": len(mine),
        "by_status": [
            {"status": value, "code": code, "count": sum(c.status == value for c in mine)}
            for value, code in STATUSES
        ],
    }


def categories(complaints, wards=None) -> list[dict]:
    mine = in_scope(complaints, wards)
    counts = [sum(c.category == value for c in mine) for value, _code in CATEGORIES]
    total = sum(counts)
    if total:
        exact = [Fraction(100 * n, total) for n in counts]
        units = [math.floor(share * 100) for share in exact]  # hundredths, rounded down
        order = sorted(range(len(counts)), key=lambda i: (-(exact[i] * 100 - units[i]), i))
        for i in order[: 10000 - sum(units)]:
            units[i] += 1
    else:
        units = [0] * len(counts)
    rows = [
        {"category": value, "code": code, "count": n, "percentage": f"{u // 100}.{u % 100:02d}"}
        for (value, code), n, u in zip(CATEGORIES, counts, units, strict=True)
    ]
    return sorted(rows, key=lambda row: -row["count"])


def satisfaction(complaints, wards=None) -> dict:
    ratings = [c.rating for c in in_scope(complaints, wards) if c.rating is not None]
    return {
        "average_rating": two_places(Fraction(sum(ratings), len(ratings))) if ratings else None,
        "rated_count": len(ratings),
        "distribution": [{"rating": n, "count": ratings.count(n)} for n in range(1, 6)],
    }


def service_time(complaints, wards=None) -> dict:
    spans = sorted(service_hours(c) for c in resolved(in_scope(complaints, wards)))
    if not spans:
        return {"mean_hours": None, "median_hours": None, "resolved_count": 0}
    middle = len(spans) // 2
    median = spans[middle] if len(spans) % 2 else (spans[middle - 1] + spans[middle]) / 2
    return {
        "mean_hours": two_places(sum(spans) / len(spans)),
        "median_hours": two_places(median),
        "resolved_count": len(spans),
    }


def ward_performance(complaints, wards=None, limit=None) -> list[dict]:
    mine = [c for c in in_scope(complaints, wards) if c.ward_number]
    rows = []
    for ward in sorted({c.ward_number for c in mine}):
        here = [c for c in mine if c.ward_number == ward]
        done = resolved(here)
        mean = sum(service_hours(c) for c in done) / len(done) if done else None
        rate = Fraction(len(done), len(here))
        rows.append((rate, mean, ward, len(here), len(done)))
    rows.sort(key=lambda r: (-r[0], r[1] is None, r[1] or 0, len(r[2]), r[2]))
    answer = [
        {
            "ward_number": ward,
            "total": total,
            "resolved": done,
            "resolution_rate": two_places(rate * 100),
            "avg_service_hours": two_places(mean),
        }
        for rate, mean, ward, total, done in rows
    ]
    return answer[:limit] if limit is not None else answer


def recent_complaints(complaints, now, wards=None) -> dict:
    """All but ``since`` (the moment of the request), which a test checks on its own."""
    recent = [c for c in in_scope(complaints, wards) if c.created_at >= now - timedelta(hours=1)]
    recent.sort(key=lambda c: (c.created_at, c.tracking_number), reverse=True)
    codes = dict(CATEGORIES) | dict(STATUSES)
    return {
        "count": len(recent),
        "complaints": [
            {
                "id": str(c.pk),
                "tracking_number": c.tracking_number,
                "category": c.category,
                "category_code": codes[c.category],
                "priority": c.priority,
                "status": c.status,
                "status_code": codes[c.status],
                "ward_number": c.ward_number,
                "created_at": DateTimeField().to_representation(c.created_at),
            }
            for c in recent[:20]
        ],
    }


def user_stats(users, now, wards=None) -> dict:
    if wards is not None:
        users = [u for u in users if u.user_type == "citizen" and u.ward_number in wards]
    start = dhaka_month_start(now)
    by_type = {kind: sum(u.user_type == kind for u in users) for kind in USER_TYPES}
    return {
        "total": len(users),
        "by_user_type": [{"user_type": kind, "count": by_type[kind]} for kind in USER_TYPES],
        "total_users": by_type["citizen"],
        "total_admins": by_type["admin"],
        "total_super_admins": by_type["super_admin"],
        "total_service_providers": by_type["service_provider"],
        "verified_users": sum(u.is_verified for u in users),
        "active_users": sum(u.is_active for u in users),
        "new_this_month": sum(u.created_at >= start for u in users),
    }


def _money(amount) -> str:
    return two_places(Fraction(amount))


def financial(payments, donations, now, wards=None) -> dict:
    mine = [p for p in payments if wards is None or p.user.ward_number in wards]
    done = [p for p in mine if p.status == "completed"]
    start = dhaka_month_start(now)
    month = [p for p in done if p.completed_at >= start]
    open_ = [p for p in mine if p.status in ("pending", "processing")]

    def kept(rows):
        return sum((Fraction(p.amount - p.refunded_amount) for p in rows), Fraction(0))

    services = sorted({p.service_type for p in done})
    by_service = [
        {
            "service_type": s,
            "amount": _money(kept([p for p in done if p.service_type == s])),
            "count": sum(p.service_type == s for p in done),
        }
        for s in services
    ]
    by_service.sort(key=lambda row: (-Fraction(row["amount"]), row["service_type"]))
    gifts = [
        d
        for d in donations
        if d.status == "completed" and (wards is None or d.user.ward_number in wards)
    ]
    projects = []
    for project in {d.project for d in gifts}:
        theirs = [d for d in gifts if d.project == project]
        net = sum((Fraction(d.amount - d.payment.refunded_amount) for d in theirs), Fraction(0))
        projects.append(
            {
                "project_id": str(project.pk),
                "project": project.slug,
                "name_bn": project.name_bn,
                "name_en": project.name_en,
                "amount": _money(net),
                "count": len(theirs),
            }
        )
    projects.sort(key=lambda row: (-Fraction(row["amount"]), row["project"]))
    return {
        "currency": "BDT",
        "total_revenue": _money(kept(done)),
        "completed_count": len(done),
        "monthly_revenue": _money(kept(month)),
        "monthly_count": len(month),
        "revenue_by_method": [
            {
                "payment_method": m,
                "amount": _money(kept([p for p in done if p.payment_method == m])),
                "count": sum(p.payment_method == m for p in done),
            }
            for m in METHODS
        ],
        "revenue_by_service_type": by_service,
        "pending_amount": _money(sum((Fraction(p.amount) for p in open_), Fraction(0))),
        "pending_count": len(open_),
        "refunded_amount": _money(sum((Fraction(p.refunded_amount) for p in mine), Fraction(0))),
        "refunded_count": sum(p.refunded_amount > 0 for p in mine),
        "donations_total": _money(sum((Fraction(row["amount"]) for row in projects), Fraction(0))),
        "donations_by_project": projects,
    }


EMERGENCY_TYPES = [
    ("অগ্নিকাণ্ড", "fire"),
    ("চিকিৎসা জরুরি", "medical"),
    ("পুলিশ", "police"),
    ("প্রাকৃতিক দুর্যোগ", "disaster"),
    ("অন্যান্য", "other"),
]
EMERGENCY_OPEN = {"জমা দেওয়া হয়েছে", "প্রক্রিয়াধীন"}
MINUTE = Fraction(60)


def emergency_stats(emergencies, wards=None) -> dict:
    mine = in_scope(emergencies, wards)
    spans = sorted(
        Fraction(int((e.responded_at - e.created_at).total_seconds() * 1_000_000), 1_000_000)
        / MINUTE
        for e in mine
        if e.responded_at is not None
    )
    middle = len(spans) // 2
    median = (
        None
        if not spans
        else spans[middle]
        if len(spans) % 2
        else (spans[middle - 1] + spans[middle]) / 2
    )
    return {
        "total": len(mine),
        "open": sum(e.status in EMERGENCY_OPEN for e in mine),
        "unassigned_open": sum(
            e.status in EMERGENCY_OPEN and e.assigned_to_id is None for e in mine
        ),
        "escalated": sum(e.escalated_at is not None for e in mine),
        "responded": len(spans),
        "mean_response_minutes": two_places(sum(spans) / len(spans)) if spans else None,
        "median_response_minutes": two_places(median),
        "by_type": [
            {
                "emergency_type": value,
                "code": code,
                "count": sum(e.emergency_type == value for e in mine),
            }
            for value, code in EMERGENCY_TYPES
        ],
    }


def kpi(complaints, users, now, wards=None, emergencies=(), emergency_wards=None) -> dict:
    happy = satisfaction(complaints, wards)
    times = service_time(complaints, wards)
    return {
        "complaint_stats": complaint_stats(complaints, wards),
        "user_stats": user_stats(users, now, wards),
        "citizen_satisfaction": happy["average_rating"],
        "avg_service_time_hours": times["mean_hours"],
        "ward_performance": ward_performance(complaints, wards, limit=10),
        "satisfaction": happy,
        "service_time": times,
        "categories": categories(complaints, wards),
        "emergency_stats": emergency_stats(list(emergencies), emergency_wards),
    }


def home_stats(complaints, users) -> dict:
    def count(status):
        return sum(c.status == status for c in complaints)

    return {
        "total_complaints": len(complaints),
        "pending_complaints": count("জমা দেওয়া হয়েছে"),
        "in_progress_complaints": count("প্রক্রিয়াধীন"),
        "resolved_complaints": count(RESOLVED),
        "cancelled_complaints": count("বাতিল"),
        "total_citizens": sum(u.user_type == "citizen" and u.is_active for u in users),
    }
