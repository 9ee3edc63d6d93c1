"""What Open311 clients see of our complaint categories: the six services and the status mapping.

Dependency-free apart from the complaint enums, so views, selectors and tests share one table.
Service names and descriptions are English and stable (clients cache them until the changeset
moves); the keywords carry the Bengali names so a Bengali search still finds the service.
"""

from __future__ import annotations

from dataclasses import dataclass

from apps.complaints.enums import CATEGORY_CODES, OPEN_STATUSES, Category, Status

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# Bump when the service list or a service definition changes (clients refresh their caches).
CHANGESET = "2026-11-22T00:00:00+06:00"
AGENCY = "Dhaka South City Corporation"
CONTACT = (
    "Dhaka South City Corporation (Clean Care Bangladesh). For help with this API, "
    "contact the corporation's IT office."
)
KEY_SERVICE = (
    "Reading needs no key. To file reports, ask the corporation's IT office for an API key; "
    "operators issue keys in the admin site under Open311 > API keys."
)
FORMATS = ("text/xml", "application/json")

OPEN, CLOSED = "open", "closed"
# submitted/in progress are still being worked on; resolved and cancelled are done with.
STATUS_OPEN311 = {status: OPEN if status in OPEN_STATUSES else CLOSED for status in Status.values}


@dataclass(frozen=True)
class Service:
    code: str
    category: str
    name: str
    description: str
    group: str
    keywords: tuple[str, ...]

    def as_open311(self) -> dict:
        return {
            "service_code": self.code,
            "service_name": self.name,
            "description": self.description,
            "metadata": False,
            "type": "realtime",
            "keywords": ", ".join(self.keywords),
            "group": self.group,
        }

    def definition(self) -> dict:
        return {"service_code": self.code, "attributes": []}


def _service(category: str, name: str, description: str, group: str, *keywords: str) -> Service:
    return Service(
        code=CATEGORY_CODES[category],
        category=category,
        name=name,
        description=description,
        group=group,
        keywords=(category, *keywords),
    )


SERVICES: tuple[Service, ...] = (
    _service(
        Category.CLEANLINESS,
        "Cleanliness",
        "Dirty streets, drains, public toilets or open spaces that need cleaning.",
        "sanitation",
        "ময়লা",
        "নোংরা",
        "ড্রেন",
        "cleanliness",
        "street cleaning",
        "drain",
        "public toilet",
    ),
    _service(
        Category.WASTE,
        "Waste management",
        "Garbage not collected, overflowing bins or illegal dumping.",
        "sanitation",
        "আবর্জনা",
        "ডাস্টবিন",
        "waste",
        "garbage",
        "bin",
        "dumping",
    ),
    _service(
        Category.WATER,
        "Water supply",
        "No water, leaking pipes, dirty water or waterlogging.",
        "utilities",
        "পানি",
        "জলাবদ্ধতা",
        "water",
        "leak",
        "waterlogging",
    ),
    _service(
        Category.ROADS,
        "Roads",
        "Potholes, broken footpaths, damaged roads or missing manhole covers.",
        "streets",
        "রাস্তা",
        "গর্ত",
        "ফুটপাত",
        "roads",
        "pothole",
        "footpath",
        "manhole",
    ),
    _service(
        Category.ELECTRICITY,
        "Electricity",
        "Street lights out, exposed wires or other electrical hazards in public places.",
        "utilities",
        "স্ট্রিট লাইট",
        "বাতি",
        "electricity",
        "street light",
        "wire",
    ),
    _service(
        Category.OTHER,
        "Other",
        "Any other city-service problem that fits none of the categories above.",
        "other",
        "other",
    ),
)
SERVICES_BY_CODE = {service.code: service for service in SERVICES}
SERVICES_BY_CATEGORY = {service.category: service for service in SERVICES}
