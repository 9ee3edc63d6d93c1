"""The ward reference data: Dhaka South's 75 wards from data/dscc_wards.json (replaceable)."""

import json
from decimal import Decimal
from pathlib import Path

WARDS_FILE = Path(__file__).resolve().parent / "data" / "dscc_wards.json"


def wards_load(*, ward_model=None, path: Path = WARDS_FILE, city_corporation: str = "DSCC") -> int:
    """Create or update every ward in ``path``; returns how many. ``ward_model`` lets a migration
    pass its historical model."""
    if ward_model is None:
        from .models import Ward as ward_model
    rows = json.loads(Path(path).read_text(encoding="utf-8"))
    for row in rows:
        ward_model.objects.update_or_create(
            city_corporation=city_corporation,
            number=str(row["number"]),
            defaults={
                "name_en": row["name_en"],
                "name_bn": row["name_bn"],
                "zone": row.get("zone"),
                "latitude": Decimal(str(row["latitude"])),
                "longitude": Decimal(str(row["longitude"])),
            },
        )
    return len(rows)
