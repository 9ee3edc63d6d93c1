"""Demo donation projects for `seed_demo` (embedded mode and test cities only)."""

from decimal import Decimal

from .models import DonationProject

DEMO_PROJECTS = [
    {
        "slug": "tree-planting",
        "name_bn": "বৃক্ষরোপণ কর্মসূচি",
        "name_en": "Tree planting drive",
        "description_bn": "ওয়ার্ডের রাস্তা ও খোলা জায়গায় দশ হাজার চারা রোপণ ও পরিচর্যা।",
        "description_en": "Planting and caring for ten thousand saplings along ward roads.",
        "goal_amount": Decimal("500000.00"),
        "sort_order": 1,
    },
    {
        "slug": "canal-cleanup",
        "name_bn": "খাল পরিষ্কার অভিযান",
        "name_en": "Canal clean-up campaign",
        "description_bn": "জলাবদ্ধতা কমাতে শহরের খাল থেকে বর্জ্য অপসারণ।",
        "description_en": "Clearing waste from the city's canals to ease waterlogging.",
        "goal_amount": Decimal("1000000.00"),
        "sort_order": 2,
    },
    {
        "slug": "flood-relief",
        "name_bn": "বন্যা ত্রাণ তহবিল",
        "name_en": "Flood relief fund",
        "description_bn": "বন্যাকবলিত পরিবারের জন্য খাবার, পানি ও আশ্রয়।",
        "description_en": "Food, water and shelter for families hit by floods.",
        "goal_amount": None,
        "sort_order": 3,
    },
]


def demo_projects_load() -> list[DonationProject]:
    """Create the demo projects, or bring them back to their demo text (idempotent)."""
    return [
        DonationProject.objects.update_or_create(
            slug=fields["slug"], defaults={**fields, "is_active": True}
        )[0]
        for fields in DEMO_PROJECTS
    ]
