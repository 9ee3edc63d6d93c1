"""Urgent notices reach every citizen of their wards once, in batches, whatever runs twice."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from apps.notices import services, tasks
from apps.notices.models import Notice
from apps.notifications.models import DeviceToken, Notification
from apps.sandbox.models import SandboxPush, SandboxSms
from apps.users.models import User
from apps.users.tests.factories import UserFactory

from .conftest import frozen
from .factories import NoticeFactory

pytestmark = pytest.mark.django_db

NOTICES = "/api/v1/notices/"
URGENT = {
    "title": "জরুরি: পানি সরবরাহ বন্ধ",
    "content": "মেরামতের জন্য আজ সন্ধ্যা ৬টা পর্যন্ত ১২ নম্বর ওয়ার্ডে পানি সরবরাহ বন্ধ থাকবে।",
    "category": "পানি সরবরাহ",
    "priority": "urgent",
    "is_urgent": True,
    "target_wards": ["12"],
}


def citizens(count: int, *, ward: str, devices_each: int = 1, start: int = 0) -> list[User]:
    """``count`` verified citizens of ``ward``, each with ``devices_each`` phones (bulk: fast)."""
    people = User.objects.bulk_create(
        User(
            phone=f"+88017{61_000_000 + start + n}",  # clear of the sandbox's knobs
            name=f"নাগরিক {start + n}",
            ward_number=ward,
            is_verified=True,
            password="!",
        )
        for n in range(count)
    )
    DeviceToken.objects.bulk_create(
        DeviceToken(
            user=person,
            token=f"fcm-notice-{start + n:06d}-{d}",
            platform="android",
            last_seen_at=timezone.now(),
        )
        for n, person in enumerate(people)
        for d in range(devices_each)
    )
    return people


def pushed_tokens() -> list[str]:
    return list(SandboxPush.objects.values_list("token", flat=True))


def test_an_urgent_notice_to_1000_citizens_pushes_each_device_exactly_once(
    api_as, super_admin, settings, django_capture_on_commit_callbacks
):
    settings.NOTICE_URGENT_BATCH_SIZE = 500
    ward12 = citizens(1000, ward="12")
    two_phones = citizens(1, ward="12", devices_each=2, start=1000)
    elsewhere = citizens(5, ward="5", start=2000)

    response = api_as(super_admin).post(NOTICES, URGENT, format="json")
    assert response.status_code == 201, response.json()
    notice = Notice.objects.get(pk=response.json()["id"])
    assert notice.urgent_sent_at is not None

    devices = set(DeviceToken.objects.filter(user__in=[*ward12, *two_phones]).values_list(
        "token", flat=True
    ))  # fmt: skip
    assert len(devices) == 1002
    assert sorted(pushed_tokens()) == sorted(devices)
    told = Notification.objects.filter(kind="notice.urgent")
    assert told.count() == 1001
    assert not told.filter(user__in=elsewhere).exists()

    # The start runs again (a doubled task, a second sweep): the claim is taken, nothing moves.
    assert tasks.notice_urgent_start.delay(notice_id=str(notice.pk)).get() == 0
    assert tasks.notices_urgent_sweep.delay().get() == 0
    # Even a start that ran after a lost claim, and every batch run twice, tell nobody again.
    Notice.objects.filter(pk=notice.pk).update(urgent_sent_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.notices_urgent_sweep.delay().get() == 3  # 1001 citizens, 500 a batch
    ids = [str(pk) for pk in User.objects.filter(ward_number="12").values_list("pk", flat=True)]
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.notice_urgent_push.delay(notice_id=str(notice.pk), user_ids=ids).get() == 1001
    assert SandboxPush.objects.count() == 1002
    assert told.count() == 1001
    assert not SandboxSms.objects.exists()  # NOTICE_URGENT_SMS is off by default


def test_citizens_are_queued_in_batches_of_the_configured_size(settings):
    settings.NOTICE_URGENT_BATCH_SIZE = 3
    people = citizens(7, ward="12")
    UserFactory(ward_number="12", is_verified=False)
    UserFactory(ward_number="12", is_active=False)
    UserFactory(ward_number="12", user_type="admin")
    notice = NoticeFactory(is_urgent=True, target_wards=["12", "13"])

    with mock.patch.object(tasks.notice_urgent_push, "delay") as queued:
        assert services.notice_urgent_start(notice_id=notice.pk) == 3
        assert services.notice_urgent_start(notice_id=notice.pk) == 0

    batches = [call.kwargs["user_ids"] for call in queued.call_args_list]
    assert [len(batch) for batch in batches] == [3, 3, 1]
    assert sorted(pk for batch in batches for pk in batch) == sorted(str(p.pk) for p in people)
    assert {call.kwargs["notice_id"] for call in queued.call_args_list} == {str(notice.pk)}


def test_a_city_wide_urgent_notice_reaches_every_ward_and_texts_when_asked(
    api_as, super_admin, settings
):
    settings.NOTICE_URGENT_SMS = True
    people = [*citizens(2, ward="5"), *citizens(2, ward="40", start=10)]
    response = api_as(super_admin).post(NOTICES, {**URGENT, "target_wards": []}, format="json")
    assert response.status_code == 201
    assert len(pushed_tokens()) == 4
    texted = set(SandboxSms.objects.values_list("phone", flat=True))
    assert texted == {person.phone for person in people}
    texts = SandboxSms.objects.values_list("text", flat=True)
    assert all(URGENT["title"] in text for text in texts)


def test_a_scheduled_urgent_notice_is_pushed_when_it_shows(
    api_as, super_admin, django_capture_on_commit_callbacks
):
    citizens(3, ward="12")
    at = timezone.now() + timedelta(hours=1)
    response = api_as(super_admin).post(
        NOTICES, {**URGENT, "published_at": at.isoformat()}, format="json"
    )
    assert response.status_code == 201
    assert tasks.notices_urgent_sweep.delay().get() == 0
    assert pushed_tokens() == []
    with frozen(at - timedelta(microseconds=1)):
        assert tasks.notices_urgent_sweep.delay().get() == 0
    with frozen(at), django_capture_on_commit_callbacks(execute=True):
        assert tasks.notices_urgent_sweep.delay().get() == 1
        assert tasks.notices_urgent_sweep.delay().get() == 0
    assert len(pushed_tokens()) == 3


def test_a_notice_withdrawn_before_it_shows_is_never_pushed(api_as, super_admin):
    citizens(2, ward="12")
    at = timezone.now() + timedelta(hours=1)
    created = api_as(super_admin).post(NOTICES, {**URGENT, "published_at": at.isoformat()})
    assert api_as(super_admin).delete(f"{NOTICES}{created.json()['id']}/").status_code == 204
    with frozen(at + timedelta(minutes=1)):
        assert tasks.notices_urgent_sweep.delay().get() == 0
    assert not Notification.objects.exists()


def test_a_batch_of_a_notice_withdrawn_meanwhile_tells_nobody():
    people = citizens(2, ward="12")
    notice = NoticeFactory(is_urgent=True, target_wards=["12"])
    Notice.objects.filter(pk=notice.pk).update(is_active=False, withdrawn_at=timezone.now())
    ids = [str(person.pk) for person in people]
    assert services.notice_urgent_push(notice_id=notice.pk, user_ids=ids) == 0
    assert not Notification.objects.exists()


def test_turning_a_published_notice_urgent_pushes_it_once(api_as, ward_admin):
    citizens(2, ward="5")
    notice = NoticeFactory(target_wards=["5"])
    client = api_as(ward_admin)
    assert client.patch(f"{NOTICES}{notice.pk}/", {"is_urgent": True}).status_code == 200
    assert client.patch(f"{NOTICES}{notice.pk}/", {"title": "আবার"}).status_code == 200
    assert len(pushed_tokens()) == 2


def test_an_ordinary_notice_is_not_pushed(api_as, super_admin):
    citizens(2, ward="12")
    response = api_as(super_admin).post(NOTICES, {**URGENT, "is_urgent": False}, format="json")
    assert response.status_code == 201
    assert tasks.notices_urgent_sweep.delay().get() == 0
    assert not Notification.objects.exists()


def test_the_push_speaks_each_citizens_language():
    bengali, english = citizens(2, ward="12")
    User.objects.filter(pk=english.pk).update(language="en")
    notice = NoticeFactory(is_urgent=True, target_wards=["12"], title="পানি বন্ধ", content="ক " * 200)
    services.notice_urgent_push(notice_id=notice.pk, user_ids=[str(bengali.pk), str(english.pk)])

    bn = Notification.objects.get(user=bengali)
    en = Notification.objects.get(user=english)
    assert (bn.title, en.title) == ("জরুরি নোটিশ: পানি বন্ধ", "Urgent notice: পানি বন্ধ")
    assert bn.body == en.body
    assert (len(bn.body), bn.body[-1]) == (160, "…")
    assert bn.data == {"notice_id": str(notice.pk), "category": notice.category}
