"""The output plans (core.serializers.OutputPlanMixin) answer exactly what DRF's field-by-field
to_representation answers: the same bytes from every endpoint that uses them, and the same
values, types and key order from every serializer, in both languages and time zones."""

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from apps.chat.models import ChatMessage, ChatRoom
from apps.chat.serializers import ChatMessageSerializer, ChatRoomSerializer
from apps.chat.tests.factories import ChatMessageFactory, ChatRoomFactory
from apps.complaints.enums import Priority, Status
from apps.complaints.models import Complaint, ComplaintImage, ComplaintUpdate
from apps.complaints.serializers import ComplaintDetailSerializer, ComplaintSerializer
from apps.complaints.tests.factories import ComplaintFactory
from apps.emergency.enums import EmergencyStatus
from apps.emergency.models import EmergencyRequest, EmergencyUpdate
from apps.emergency.serializers import EmergencyDetailSerializer, EmergencySerializer
from apps.emergency.tests.factories import EmergencyFactory
from apps.notices.models import Notice
from apps.notices.serializers import NoticeSerializer
from apps.notices.tests.factories import NoticeFactory
from apps.notifications.models import Notification
from apps.notifications.serializers import NotificationSerializer
from apps.notifications.tests.factories import NotificationFactory
from apps.payments.models import Payment
from apps.payments.serializers import PaymentSerializer
from apps.users.tests.factories import UserFactory
from core.serializers import OutputPlanMixin
from core.testing import drf_representation

pytestmark = pytest.mark.django_db

LANGUAGES = ["bn", "en"]
_numbers = itertools.count(1)


@pytest.fixture
def city(db):
    """Rows with and without what a row may lack: an assignee, photos, a rating, coordinates,
    updates, a last message, a file, wards, an attachment, an expiry."""
    now = timezone.now()
    citizen = UserFactory(name="রহিম উদ্দিন", ward_number="5")
    provider = UserFactory(user_type="service_provider", name="Karim Provider")
    admin = UserFactory(user_type="super_admin", is_staff=True, is_superuser=True)
    ComplaintFactory(user=citizen, title="ড্রেন বন্ধ", latitude=None, longitude=None)
    full = ComplaintFactory(
        user=citizen,
        assigned_to=provider,
        priority=Priority.HIGH,
        status=Status.RESOLVED,
        latitude=Decimal("23.81030000"),
        longitude=Decimal("90.41250000"),
        rating=4,
        feedback="ভালো কাজ \u2028 হয়েছে",
        rated_at=now,
        resolved_at=now - timedelta(minutes=5),
    )
    for n in range(2):
        ComplaintImage.objects.create(
            complaint=full, image=f"complaints/x/{n}.jpg", thumbnail=f"complaints/x/t{n}.jpg",
            image_name="ছবি.jpg" if n else None, file_size=10 + n, width=800, height=600,
        )  # fmt: skip
    ComplaintUpdate.objects.create(
        complaint=full, updated_by=provider, old_status=None, new_status=Status.SUBMITTED
    )
    ComplaintUpdate.objects.create(
        complaint=full, updated_by=provider, old_status=Status.SUBMITTED,
        new_status=Status.RESOLVED, comment="পরিষ্কার করা হয়েছে", photo="complaints/x/p.jpg",
        photo_thumbnail="complaints/x/pt.jpg",
    )  # fmt: skip
    quiet = ChatRoomFactory(citizen=citizen)
    busy = ChatRoomFactory(citizen=citizen, complaint=full, assigned_to=provider, subject=None)
    ChatMessageFactory(room=busy)
    last = ChatMessageFactory(
        room=busy, sender=provider, message="", message_type="file", file="chat/x/a.pdf",
        file_name="রসিদ.pdf", file_size=2048, is_read=True, read_at=now,
    )  # fmt: skip
    ChatRoom.objects.filter(pk=busy.pk).update(last_message=last, last_message_at=now)
    ChatRoom.objects.filter(pk=quiet.pk).update(is_closed=True, closed_at=now)
    NoticeFactory(created_by=admin, priority="high", is_urgent=True, target_wards=["5", "12"])
    NoticeFactory(
        attachment="notices/x/a.pdf", attachment_name="নোটিশ.pdf", attachment_size=99,
        expires_at=now + timedelta(days=1),
    )  # fmt: skip
    NoticeFactory(expires_at=now - timedelta(minutes=1))
    EmergencyFactory(user=citizen, latitude=None, longitude=None)
    urgent = EmergencyFactory(
        user=citizen, assigned_to=provider, latitude=Decimal("23.7"), longitude=Decimal("90.4")
    )
    EmergencyUpdate.objects.create(
        emergency=urgent, updated_by=admin, old_status=EmergencyStatus.SUBMITTED,
        new_status=EmergencyStatus.IN_PROGRESS, assigned_to=provider, comment="দল রওনা হয়েছে",
    )  # fmt: skip
    NotificationFactory(user=citizen, data={"complaint_id": str(full.pk), "n": [1, 2.5, None]})
    NotificationFactory(user=citizen, is_read=True, read_at=now, title="অভিযোগ সমাধান হয়েছে")
    _payment(citizen, status="completed", completed_at=now)
    _payment(citizen, status="failed", failure_reason="ব্যালেন্স নেই", gateway_trx_id=None)
    return {
        "citizen": citizen, "provider": provider, "admin": admin, "complaint": full,
        "emergency": urgent,
    }  # fmt: skip


def _payment(user, **fields) -> Payment:
    number = next(_numbers)
    fields.setdefault("gateway_trx_id", f"TRXOP{number}")
    return Payment.objects.create(
        user=user, service_type="holding_tax", amount=Decimal("1250.50"), payment_method="bkash",
        phone_number=user.phone, transaction_id=f"CCPOP{number:07d}", gateway="bkash", **fields,
    )  # fmt: skip


def _answers_alike(client, path, language):
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    planned = client.get(path, **headers)
    with drf_representation():
        by_fields = client.get(path, **headers)
    assert planned.status_code == by_fields.status_code == 200
    assert planned.content == by_fields.content
    return planned.json()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["citizen", "provider", "admin"])
def test_complaint_lists_answer_the_same_bytes(city, api_as, role, language):
    body = _answers_alike(api_as(city[role]), "/api/v1/complaints/", language)
    assert body["results"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_complaint_detail_answers_the_same_bytes(city, api_as, language):
    path = f"/api/v1/complaints/{city['complaint'].pk}/"
    body = _answers_alike(api_as(city["citizen"]), path, language)
    assert len(body["images"]) == 2
    assert len(body["updates"]) == 2


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["citizen", "admin"])
def test_chat_answers_the_same_bytes(city, api_as, role, language):
    client = api_as(city[role])
    rooms = _answers_alike(client, "/api/v1/chat/rooms/", language)["results"]
    assert len(rooms) == 2
    for room in rooms:
        _answers_alike(client, f"/api/v1/chat/rooms/{room['id']}/", language)
        _answers_alike(client, f"/api/v1/chat/rooms/{room['id']}/messages/", language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["citizen", "admin"])
def test_notices_answer_the_same_bytes(city, api_as, role, language):
    client = api_as(city[role])
    notices = _answers_alike(client, "/api/v1/notices/", language)["results"]
    assert notices
    for notice in notices:
        _answers_alike(client, f"/api/v1/notices/{notice['id']}/", language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["citizen", "admin"])
def test_emergencies_answer_the_same_bytes(city, api_as, role, language):
    client = api_as(city[role])
    assert _answers_alike(client, "/api/v1/emergency/", language)["results"]
    detail = _answers_alike(client, f"/api/v1/emergency/{city['emergency'].pk}/", language)
    assert detail["history"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_notifications_and_payments_answer_the_same_bytes(city, api_as, language):
    client = api_as(city["citizen"])
    assert len(_answers_alike(client, "/api/v1/notifications/", language)["results"]) == 2
    payments = _answers_alike(client, "/api/v1/payments/history/", language)["results"]
    assert len(payments) == 2
    for payment in payments:
        _answers_alike(client, f"/api/v1/payments/{payment['id']}/", language)


def _same_values(serializer_class, rows, context):
    """The same values of the same types in the same order (repr shows all three)."""
    planned = serializer_class(rows, many=True, context=context).data
    with drf_representation():
        by_fields = serializer_class(rows, many=True, context=context).data
    assert repr(planned) == repr(by_fields)


@pytest.mark.parametrize("zone", ["Asia/Dhaka", "UTC"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_planned_serializer_gives_drf_values(city, zone, language):
    context = {"request": APIRequestFactory().get("/")}
    complaints = list(Complaint.objects.prefetch_related("images", "updates__updated_by"))
    rooms = list(ChatRoom.objects.select_related("citizen", "assigned_to", "last_message__sender"))
    for room in rooms:
        room.unread_count = 1
    emergencies = list(
        EmergencyRequest.objects.select_related("user", "assigned_to").prefetch_related(
            "updates__updated_by", "updates__assigned_to"
        )
    )
    cases = [
        (ComplaintSerializer, complaints),
        (ComplaintDetailSerializer, complaints),
        (ChatRoomSerializer, rooms),
        (ChatMessageSerializer, list(ChatMessage.objects.select_related("sender"))),
        (NoticeSerializer, list(Notice.objects.prefetch_related("wards"))),
        (EmergencySerializer, emergencies),
        (EmergencyDetailSerializer, emergencies),
        (NotificationSerializer, list(Notification.objects.all())),
        (PaymentSerializer, list(Payment.objects.all())),
    ]
    with timezone.override(zone), translation.override(language):
        for serializer_class, rows in cases:
            _same_values(serializer_class, rows, context)
            _same_values(serializer_class, rows, {})  # no request: relative URLs


class _Unusual(OutputPlanMixin, serializers.ModelSerializer):
    """Fields the complaint serializers do not have: a required chain, a chain with a default,
    a skipped field, an explicit key field, a raw file (it needs the request)."""

    owner_phone = serializers.CharField(source="user.phone")
    assignee_phone = serializers.CharField(source="assigned_to.phone", default="nobody")
    absent = serializers.CharField(source="no_such_attribute", required=False)
    owner = serializers.PrimaryKeyRelatedField(source="user", read_only=True)
    first_image = serializers.FileField(source="images.first.image", default=None)
    shout = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "owner_phone", "assignee_phone", "absent", "owner", "assigned_to", "first_image",
            "shout", "created_at", "latitude", "rating",
        ]  # fmt: skip
        read_only_fields = fields

    def get_shout(self, complaint) -> str:
        return complaint.title.upper()


@pytest.mark.parametrize("zone", ["Asia/Dhaka", "UTC"])
def test_the_plan_keeps_drf_rules_for_unusual_fields(city, zone):
    rows = list(Complaint.objects.order_by("created_at"))
    with timezone.override(zone):
        _same_values(_Unusual, rows, {"request": APIRequestFactory().get("/")})
    data = _Unusual(rows, many=True, context={"request": APIRequestFactory().get("/")}).data
    assert [row["assignee_phone"] for row in data] == ["nobody", city["provider"].phone]
    assert "absent" not in data[0]
    assert data[1]["first_image"] == "http://testserver/media/complaints/x/0.jpg"


def test_a_naive_datetime_is_written_as_drf_writes_it(city):
    row = Complaint.objects.get(pk=city["complaint"].pk)
    row.created_at = timezone.make_naive(row.created_at)
    planned = _Unusual(row).data
    with drf_representation():
        assert repr(planned) == repr(_Unusual(row).data)
