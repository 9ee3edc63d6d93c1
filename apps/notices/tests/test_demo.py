"""`seed_demo` publishes the seed's two sample notices once, through the service."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.notices.models import Notice
from apps.notifications.models import Notification

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_sample_notices_are_published_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = seed()
        again = seed()

    notices = {n.title: n for n in Notice.objects.all()}
    assert set(notices) == {"সিস্টেম রক্ষণাবেক্ষণ", "নতুন সেবা চালু"}
    maintenance, service = notices["সিস্টেম রক্ষণাবেক্ষণ"], notices["নতুন সেবা চালু"]
    assert (maintenance.category, maintenance.is_urgent) == ("সিস্টেম", True)
    assert (service.category, service.is_urgent) == ("সেবা", False)
    assert not maintenance.wards.exists()  # city-wide
    assert maintenance.created_by.phone == "+8801700000001"
    assert "Demo notices:" in output
    assert "Demo notices:" not in again
    # The urgent one reached the two demo citizens, once.
    told = Notification.objects.filter(kind="notice.urgent")
    assert sorted(told.values_list("user__phone", flat=True)) == ["+8801700000010",
                                                                  "+8801700000011"]  # fmt: skip
