"""`seed_demo` gives every ward a weekly household collection (marked demo) and the bulky-items
fee, once, without telling anyone."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.notifications.models import Notification
from apps.users.models import Ward
from apps.waste_management.demo import DEMO_NOTE
from apps.waste_management.models import CollectionSchedule, WasteFee

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_every_ward_gets_one_demo_collection_and_bulky_items_a_fee():
    output = seed()
    seed()
    wards = set(Ward.objects.values_list("number", flat=True))
    schedules = CollectionSchedule.objects.all()
    assert len(wards) > 0
    assert sorted(schedules.values_list("ward_number", flat=True)) == sorted(wards)
    assert {(s.waste_type, s.notes, s.is_active) for s in schedules} == {
        ("household", DEMO_NOTE, True)
    }
    assert "Demo" in DEMO_NOTE
    fee = WasteFee.objects.get()
    assert (fee.waste_type, str(fee.amount)) == ("bulky", "500.00")
    assert "weekly household collections" in output
    assert not Notification.objects.filter(kind__startswith="waste.").exists()
