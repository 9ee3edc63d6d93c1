"""Demo complaints `seed_demo` files once, so the staff console has work on a fresh `make run`."""

from __future__ import annotations

from apps.users.models import User

from .enums import Category, Priority
from .models import Complaint
from .services import complaint_assign, complaint_create

DEMO_CITIZEN = "+8801700000010"
DEMO_COMPLAINTS = [
    {
        "title": "রাস্তার মোড়ে ময়লার স্তূপ",
        "description": "তিন দিন ধরে ময়লা তোলা হয়নি, দুর্গন্ধে হাঁটা যাচ্ছে না।",
        "category": Category.WASTE,
        "priority": Priority.HIGH,
        "location": "রোড ৪, সবুজবাগ",
        "ward_number": "5",
        "latitude": "23.73915",
        "longitude": "90.43120",
    },
    {
        "title": "ড্রেনের ঢাকনা ভাঙা",
        "description": "স্কুলের সামনের ড্রেনের ঢাকনা ভেঙে গেছে; শিশুরা পড়ে যেতে পারে।",
        "category": Category.ROADS,
        "priority": Priority.MEDIUM,
        "location": "স্কুল রোড, ওয়ার্ড ৫",
        "ward_number": "5",
        "latitude": "23.73790",
        "longitude": "90.42885",
    },
    {
        "title": "রাস্তার বাতি জ্বলে না",
        "description": "আহমদবাগ মসজিদের গলির তিনটি বাতি এক সপ্তাহ ধরে নষ্ট; রাতে অন্ধকার।",
        "category": Category.ELECTRICITY,
        "priority": Priority.MEDIUM,
        "location": "আহমদবাগ মসজিদ গলি",
        "ward_number": "5",
        "latitude": "23.74010",
        "longitude": "90.43305",
    },
]
# The demo ward admin hands the last one to the demo service provider, so "My work" has a job.
DEMO_WARD_ADMIN = "+8801700000002"
DEMO_PROVIDER = "+8801700000003"


def demo_complaints_load() -> list[Complaint]:
    """File the demo complaints through the service, once: nothing if the demo citizen is
    missing or has filed anything already."""
    citizen = User.objects.filter(phone=DEMO_CITIZEN).first()
    if citizen is None or Complaint.objects.filter(user=citizen).exists():
        return []
    complaints = [complaint_create(user=citizen, data=dict(data)) for data in DEMO_COMPLAINTS]
    admin = User.objects.filter(phone=DEMO_WARD_ADMIN).first()
    provider = User.objects.filter(phone=DEMO_PROVIDER).first()
    if admin is not None and provider is not None:
        complaints[-1] = complaint_assign(
            complaint=complaints[-1], actor=admin, assignee_id=provider.pk
        )
    return complaints
