"""Demo complaints `seed_demo` files once, so the staff console has work on a fresh `make run`."""

from __future__ import annotations

from apps.users.models import User

from .enums import Category, Priority
from .models import Complaint
from .services import complaint_create

DEMO_CITIZEN = "+8801700000010"
DEMO_COMPLAINTS = [
    {
        "title": "রাস্তার মোড়ে ময়লার স্তূপ",
        "description": "তিন দিন ধরে ময়লা তোলা হয়নি, দুর্গন্ধে হাঁটা যাচ্ছে না।",
        "category": Category.WASTE,
        "priority": Priority.HIGH,
        "location": "রোড ৪, ধানমন্ডি",
        "ward_number": "5",
    },
    {
        "title": "ড্রেনের ঢাকনা ভাঙা",
        "description": "স্কুলের সামনের ড্রেনের ঢাকনা ভেঙে গেছে; শিশুরা পড়ে যেতে পারে।",
        "category": Category.ROADS,
        "priority": Priority.MEDIUM,
        "location": "স্কুল রোড, ওয়ার্ড ৫",
        "ward_number": "5",
    },
]


def demo_complaints_load() -> list[Complaint]:
    """File the demo complaints through the service, once: nothing if the demo citizen is
    missing or has filed anything already."""
    citizen = User.objects.filter(phone=DEMO_CITIZEN).first()
    if citizen is None or Complaint.objects.filter(user=citizen).exists():
        return []
    return [complaint_create(user=citizen, data=dict(data)) for data in DEMO_COMPLAINTS]
