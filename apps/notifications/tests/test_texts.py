"""People read labels, never codes: every notification the system sends, rendered in Bengali and
in English, holds no internal code and no unfilled placeholder (issue 8.8).

Each text is produced by the service that really sends it. A kind found in the source but not
produced here fails the test, so a new notification cannot go unchecked.
"""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings

from apps.chat import services as chat
from apps.complaints.enums import Category, Priority, Status
from apps.complaints.services import complaint_assign, complaint_change_status, complaint_create
from apps.donations import services as donations
from apps.donations.models import Donation, DonationProject, DonationStatus
from apps.notices import services as notices
from apps.notifications.models import Notification
from apps.notifications.services import notification_send_test
from apps.payments.models import Payment, PaymentStatus, Refund, RefundStatus
from apps.payments.services import refunds, settling
from apps.users.models import UserType
from apps.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # trade_licence_fee, in_progress, …
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")


def kinds_in_the_source() -> set[str]:
    """Every ``kind=`` a service passes to notification_send (f-strings by their prefix)."""
    found = set()
    for path in (ROOT / "apps").rglob("*.py"):
        if "tests" in path.parts:
            continue
        for kind in re.findall(r'kind=f?"([a-z_]+\.[a-z_{}.]*)"', path.read_text()):
            found.add(kind.split("{")[0])
    return found


def send_every_notification(language: str) -> None:
    citizen = UserFactory(language=language)
    admin = UserFactory(user_type=UserType.SUPER_ADMIN, language=language)
    provider = UserFactory(user_type=UserType.SERVICE_PROVIDER, language=language)

    complaint = complaint_create(
        user=citizen,
        data={
            "title": "রাস্তায় গর্ত",
            "description": "বড় গর্ত",
            "category": Category.WASTE,
            "priority": Priority.HIGH,
            "location": "Road 4, Dhanmondi",
            "ward_number": "5",
        },
    )
    complaint_change_status(
        complaint=complaint, actor=admin, new_status=Status.IN_PROGRESS, comment="কাজ চলছে"
    )
    complaint_assign(complaint=complaint, actor=admin, assignee_id=provider.pk)

    for status in (PaymentStatus.COMPLETED, PaymentStatus.FAILED):
        payment = Payment(
            user=citizen,
            service_type="trade_licence_fee",
            amount=Decimal("1250.00"),
            status=status,
            transaction_id=f"CCP20261203{status[:4].upper()}",
        )
        settling._notify(payment)
    for status in (RefundStatus.COMPLETED, RefundStatus.FAILED, RefundStatus.REJECTED):
        refunds._refund_notify(Refund(amount=Decimal("100.00"), status=status), payment)

    project = DonationProject(slug="flood-relief", name_bn="বন্যা ত্রাণ তহবিল", name_en="Flood relief")
    for status in (DonationStatus.COMPLETED, DonationStatus.FAILED):
        donation = Donation(
            user=citizen,
            project=project,
            amount=Decimal("20000.00"),  # above the thank-you threshold
            status=status,
            receipt_number=f"CCD-20261203-{status[:4].upper()}",
        )
        donations._tell_donor(donation)

    from apps.users.tests.factories import AdminPermissionFactory

    ward_chat = UserFactory(user_type=UserType.ADMIN, language=language)
    AdminPermissionFactory(admin=ward_chat, permission_type="chat", ward_numbers=["5"])
    room, _created = chat.room_open(citizen=citizen, complaint_id=complaint.pk)
    asking = chat.message_send(room=room, sender=citizen, text="কেউ আছেন?")
    chat.message_notify_offline(message_id=asking.pk, starts_wait=True)  # nobody holds the room
    chat.room_assign(room=room, actor=admin, assignee_id=provider.pk)
    text = chat.message_send(room=room, sender=provider, text="আমরা আজ বিকেলে আসছি।")
    chat.message_notify_offline(message_id=text.pk)  # after commit, in a task, when sent
    chat.room_mark_read(room=room, reader=citizen)
    photo = chat.message_send(
        room=room, sender=provider, text="", message_type="image", file=_photo()
    )
    chat.message_notify_offline(message_id=photo.pk)

    _emergencies(citizen, language)
    notice = notices.notice_create(
        actor=admin,
        data={
            "title": "পানি সরবরাহ বন্ধ",
            "content": "আজ বিকেল ৪টা পর্যন্ত পানি থাকবে না।",
            "category": "পানি সরবরাহ",
            "is_urgent": True,
            "target_wards": ["5"],
        },
    )
    notices.notice_urgent_push(notice_id=notice.pk, user_ids=[str(citizen.pk)])  # a task, when sent

    _city_services(citizen, language)
    notification_send_test(user=citizen)


def _city_services(citizen, language):
    """Waste schedules, special collections, transfer stations and the calendar (issue 12)."""
    import uuid
    from datetime import date, datetime, timedelta

    from django.utils import timezone

    from apps.city_calendar import services as city_calendar
    from apps.city_calendar.models import Event
    from apps.users.tests.factories import AdminPermissionFactory
    from apps.waste_management import services as waste
    from apps.waste_management import station_services as stations
    from apps.waste_management.enums import PaymentState, SpecialStatus
    from apps.waste_management.models import (
        SpecialCollectionRequest,
        StationReading,
        TransferStation,
    )

    schedule = {"waste_type": "household", "day_of_week": 0, "start": "07:00", "end": "09:00"}
    for change in ("created", "updated", "removed"):
        waste.schedule_change_notify(
            ward_number="5",
            change_id=str(uuid.uuid4()),
            change=change,
            schedule=schedule,
            user_ids=[str(citizen.pk)],
        )

    special = SpecialCollectionRequest.objects.create(
        citizen=citizen,
        ward_number="5",
        waste_type="bulky",
        description="একটি পুরনো সোফা",
        address="House 12, Road 4",
        preferred_date=date.today() + timedelta(days=2),
        fee=Decimal("500.00"),
        payment_state=PaymentState.PENDING,
    )
    for state in (PaymentState.PAID, PaymentState.FAILED):
        special.payment_state = state
        waste._tell_payment(special)
    special.staff_comment = "সকাল ১০টায় গাড়ি যাবে"
    special.scheduled_date = date.today() + timedelta(days=3)
    for status in (SpecialStatus.SCHEDULED, SpecialStatus.COLLECTED, SpecialStatus.REJECTED):
        special.status = status
        waste._tell_citizen(special, moved=True)

    keeper = UserFactory(user_type=UserType.ADMIN, language=language)
    AdminPermissionFactory(admin=keeper, permission_type="waste", ward_numbers=["5"])
    station = TransferStation.objects.create(
        name="মাতুয়াইল এসটিএস", ward_number="5", capacity_tons=Decimal("40.00")
    )
    station.current_load_tons = Decimal("40.00")
    reading = StationReading.objects.create(station=station, load_tons=Decimal("40.00"))
    for percent, level in ((Decimal("85.00"), 80), (Decimal("100.00"), 100)):
        stations._warn(station, reading, percent=percent, level=level)

    start = timezone.make_aware(
        datetime.combine(date.today() + timedelta(days=1), datetime.min.time())
    )
    for all_day in (True, False):
        event = Event(
            title="খাল পরিষ্কার অভিযান",
            title_en="Canal cleanup",
            event_type="cleanup",
            start=start + timedelta(hours=8),
            end=start + timedelta(hours=11),
            all_day=all_day,
            location="সবুজবাগ খাল",
            ward_number="5",
        )
        city_calendar._remind(event, citizen)


def _emergencies(citizen, language):
    from datetime import timedelta

    from apps.emergency import services as emergency
    from apps.users.tests.factories import AdminPermissionFactory

    duty = UserFactory(user_type=UserType.ADMIN, language=language)
    AdminPermissionFactory(admin=duty, permission_type="emergency", ward_numbers=["5"])
    data = {"emergency_type": "অগ্নিকাণ্ড", "description": "আগুন", "location": "Road 4, Basabo"}
    nearby = emergency.emergency_create(user=citizen, data={**data, "ward_number": "5"})
    emergency.emergency_escalate(emergency_id=nearby.pk, now=nearby.created_at + timedelta(hours=1))
    emergency.emergency_assign(emergency=nearby, actor=duty, assignee_id=duty.pk)
    provider = UserFactory(user_type=UserType.SERVICE_PROVIDER, language=language)
    emergency.emergency_assign(emergency=nearby, actor=duty, assignee_id=provider.pk)
    emergency.emergency_change_status(
        emergency=nearby, actor=duty, new_status="প্রক্রিয়াধীন", comment="দমকল রওনা দিয়েছে"
    )
    far = {**data, "latitude": "24.11000000", "longitude": "90.42670000"}
    emergency.emergency_create(user=citizen, data=far)  # nobody near: super admins told at once


def _photo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.complaints.tests.factories import photo_bytes

    return SimpleUploadedFile("drain.jpg", photo_bytes(), content_type="image/jpeg")


@pytest.mark.parametrize("language", ["bn", "en"])
def test_every_notification_reads_as_words_in_both_languages(language):
    from apps.payments.models import PayableService

    PayableService.objects.update_or_create(
        code="trade_licence_fee",
        defaults={"name_bn": "ট্রেড লাইসেন্স ফি", "name_en": "Trade licence fee"},
    )
    with override_settings(DONATION_THANK_YOU_ABOVE=Decimal("10000")):
        send_every_notification(language)

    sent = list(Notification.objects.all())
    produced = {n.kind for n in sent}
    assert {
        kind for kind in kinds_in_the_source() if not any(k.startswith(kind) for k in produced)
    } == set()
    for notification in sent:
        text = f"{notification.title}\n{notification.body}"
        assert not SNAKE_CASE.findall(text), (notification.kind, text)
        assert not PLACEHOLDER.findall(text), (notification.kind, text)
    payment_texts = [n.body for n in sent if n.kind == "payment.completed"]
    expected = "ট্রেড লাইসেন্স ফি" if language == "bn" else "Trade licence fee"
    assert expected in payment_texts[0]
