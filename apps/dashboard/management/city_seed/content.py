"""What seeded rows say and how often: Bengali names and complaint texts, and the mixes drawn from.

Stored enumeration values come from the models' own choices, never retyped here.
"""

from decimal import Decimal

from apps.complaints.enums import Category, Priority
from apps.payments.models import PaymentMethod

FIRST_NAMES = [
    "রহিম", "করিম", "নাসরিন", "ফাতেমা", "আবদুল", "সালমা", "জাহিদ", "তানভীর", "শারমিন", "রুবিনা",
    "মাহমুদ", "আয়েশা", "হাসান", "সুমাইয়া", "রাকিব", "মরিয়ম", "ইমরান", "নুসরাত", "সাকিব", "তাসলিমা",
    "মোস্তফা", "শাহানা", "আরিফ", "লাইলা", "কামরুল", "জান্নাতুল", "মিজানুর", "রোকসানা", "সোহেল", "নাজমা",
]  # fmt: skip
LAST_NAMES = [
    "আহমেদ", "হোসেন", "ইসলাম", "রহমান", "আক্তার", "উদ্দিন", "চৌধুরী", "খান", "সরকার", "মিয়া",
    "বেগম", "হক", "তালুকদার", "ভূঁইয়া", "মজুমদার", "শেখ", "সিদ্দিকী", "পাটোয়ারী",
]  # fmt: skip

# Category shares of filed complaints, and what citizens write under each.
CATEGORY_WEIGHTS = {
    Category.WASTE: 28,
    Category.CLEANLINESS: 22,
    Category.ROADS: 18,
    Category.WATER: 14,
    Category.ELECTRICITY: 10,
    Category.OTHER: 8,
}
TITLES = {
    Category.CLEANLINESS: [
        "রাস্তায় ময়লা জমে আছে",
        "ড্রেন পরিষ্কার করা হয়নি",
        "ফুটপাতে আবর্জনার স্তূপ",
        "পাবলিক টয়লেট অপরিষ্কার",
    ],
    Category.WASTE: [
        "বর্জ্য সংগ্রহের গাড়ি আসেনি",
        "ডাস্টবিন উপচে পড়ছে",
        "খোলা জায়গায় বর্জ্য ফেলা হচ্ছে",
        "বাজারের বর্জ্য সরানো হয়নি",
    ],
    Category.WATER: [
        "তিন দিন ধরে পানি নেই",
        "পানির পাইপ ফেটে গেছে",
        "ময়লা পানি আসছে",
        "পানির চাপ খুব কম",
    ],
    Category.ROADS: [
        "রাস্তায় বড় গর্ত",
        "বৃষ্টির পর জলাবদ্ধতা",
        "ফুটপাত ভাঙা",
        "ম্যানহোলের ঢাকনা নেই",
    ],
    Category.ELECTRICITY: [
        "রাস্তার বাতি জ্বলছে না",
        "বৈদ্যুতিক খুঁটি হেলে পড়েছে",
        "ঝুলন্ত তার বিপজ্জনক",
    ],
    Category.OTHER: [
        "মশার উপদ্রব বেড়েছে",
        "ফুটপাত অবৈধ দখলে",
        "বেওয়ারিশ কুকুরের উপদ্রব",
        "রাতে শব্দ দূষণ",
    ],
}
DESCRIPTION_TAILS = [
    "এলাকার মানুষ খুব কষ্টে আছে।",
    "গত সপ্তাহেও জানানো হয়েছিল, কোনো ব্যবস্থা নেওয়া হয়নি।",
    "শিশু ও বয়স্কদের চলাচলে সমস্যা হচ্ছে।",
    "দ্রুত ব্যবস্থা নেওয়ার অনুরোধ করছি।",
    "ছবি তুলে রাখা আছে, প্রয়োজনে দেখাতে পারব।",
]
# Priority shares per category: water and electricity faults are urgent more often.
PRIORITY_WEIGHTS = {
    Category.WATER: {Priority.HIGH: 35, Priority.MEDIUM: 50, Priority.LOW: 15},
    Category.ELECTRICITY: {Priority.HIGH: 35, Priority.MEDIUM: 45, Priority.LOW: 20},
}
PRIORITY_WEIGHTS_DEFAULT = {Priority.HIGH: 18, Priority.MEDIUM: 55, Priority.LOW: 27}
# Median hours from work starting to the fix, by priority (log-normal around it).
RESOLUTION_MEDIAN_HOURS = {Priority.HIGH: 16.0, Priority.MEDIUM: 44.0, Priority.LOW: 90.0}

STAFF_COMMENTS_STARTED = ["কাজ শুরু হয়েছে।", "দল পাঠানো হয়েছে।", "সরেজমিনে দেখা হচ্ছে।"]
STAFF_COMMENTS_RESOLVED = ["সমস্যার সমাধান করা হয়েছে।", "মেরামত সম্পন্ন।", "এলাকা পরিষ্কার করা হয়েছে।"]
STAFF_COMMENTS_CANCELLED = [
    "একই অভিযোগ আগে জমা হয়েছে।",
    "অভিযোগটি সিটি কর্পোরেশনের আওতার বাইরে।",
    "নাগরিক অভিযোগ প্রত্যাহার করেছেন।",
]
# Star ratings (5 … 1): fast fixes please people, slow ones much less.
RATING_WEIGHTS_FAST = [40, 30, 15, 8, 7]
RATING_WEIGHTS_SLOW = [12, 18, 25, 22, 23]
FEEDBACK = {
    5: ["খুব দ্রুত সমাধান হয়েছে, ধন্যবাদ।", "চমৎকার কাজ।"],
    4: ["ভালো কাজ, আরেকটু দ্রুত হলে ভালো হতো।"],
    3: ["কাজ হয়েছে, তবে দেরিতে।"],
    2: ["অনেক দেরি হয়েছে।", "কাজ পুরোপুরি হয়নি।"],
    1: ["সমস্যা এখনো আছে।", "কোনো কাজ হয়নি বললেই চলে।"],
}

# Payments: the four methods people can pay with (card and bank are reserved in the model and
# never produced by the payment services, so none are seeded), and the city's fee catalogue.
METHOD_WEIGHTS = {
    PaymentMethod.BKASH: 50,
    PaymentMethod.NAGAD: 30,
    PaymentMethod.ROCKET: 12,
    PaymentMethod.UPAY: 8,
}
# service code → (share, smallest amount, median amount, largest amount), BDT.
SERVICES = {
    "waste_collection_fee": (40, Decimal("100"), 300, Decimal("1500")),
    "holding_tax": (20, Decimal("500"), 4500, Decimal("60000")),
    "birth_death_certificate": (15, Decimal("50"), 100, Decimal("500")),
    "trade_licence_fee": (12, Decimal("500"), 3000, Decimal("25000")),
    "market_shop_rent": (8, Decimal("1500"), 6000, Decimal("20000")),
    "community_centre_booking": (5, Decimal("5000"), 15000, Decimal("60000")),
}
FAILURE_REASONS = [
    "Insufficient balance",
    "Wrong PIN",
    "Payer did not approve in time",
    "Declined by the provider",
]
REFUND_REASONS = ["ভুল পরিমাণ পরিশোধ", "একই বিল দুবার পরিশোধ", "সেবা বাতিল হয়েছে"]

# Donation projects of the seed (slugs get the seed prefix so --clear finds them).
DONATION_PROJECTS = [
    ("tree-planting", "বৃক্ষরোপণ কর্মসূচি", "Tree planting drive", Decimal("2000000"), True),
    ("canal-cleanup", "খাল পরিষ্কার অভিযান", "Canal clean-up campaign", Decimal("5000000"), True),
    ("flood-relief", "বন্যা ত্রাণ তহবিল", "Flood relief fund", None, True),
    ("winter-blankets", "শীতবস্ত্র বিতরণ", "Winter blankets", Decimal("800000"), False),
]
DONATION_PROJECT_WEIGHTS = [30, 25, 35, 10]
DONATION_MESSAGES = ["আল্লাহ সবাইকে ভালো রাখুন।", "শহরটা সুন্দর থাকুক।", "সামান্য সহযোগিতা।"]
