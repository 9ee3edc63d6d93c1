"""The city services people pay for. Fees are city policy: operators set them in Django admin;
these rows start with bounds only (no fixed fee), so nothing here invents a price."""

from decimal import Decimal

from django.db import migrations

SERVICES = [
    ("waste_collection_fee", "বর্জ্য সংগ্রহ ফি", "Waste collection fee", "1", "5000"),
    ("holding_tax", "হোল্ডিং ট্যাক্স", "Holding tax", "1", "500000"),
    ("trade_licence_fee", "ট্রেড লাইসেন্স ফি", "Trade licence fee", "1", "200000"),
    ("birth_death_certificate", "জন্ম ও মৃত্যু নিবন্ধন সনদ ফি", "Birth and death certificate fee", "1", "5000"),
    ("market_shop_rent", "মার্কেটের দোকান ভাড়া", "Market shop rent", "1", "200000"),
    ("community_centre_booking", "কমিউনিটি সেন্টার ভাড়া", "Community centre booking", "1", "200000"),
]


def seed(apps, schema_editor):
    PayableService = apps.get_model("payments", "PayableService")
    for order, (code, name_bn, name_en, low, high) in enumerate(SERVICES):
        PayableService.objects.get_or_create(
            code=code,
            defaults={
                "name_bn": name_bn,
                "name_en": name_en,
                "min_amount": Decimal(low),
                "max_amount": Decimal(high),
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("payments", "0002_updated_at_trigger")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
