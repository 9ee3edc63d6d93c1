"""Dispatch to the staff nearby (real ward centres) and escalation to super admins, once."""

from datetime import timedelta

import pytest
from django.test import TestCase

from apps.emergency import services
from apps.emergency.models import EmergencyRequest
from apps.notifications.models import DeliveryStatus, Notification
from apps.users.tests.factories import UserFactory

from .conftest import emergency_admin
from .factories import EmergencyFactory

pytestmark = pytest.mark.django_db

# About 3 km north of ward 1's centre (23.7500, 90.4267); ward 58's is about 10 km away.
NEAR_WARD_1 = {"latitude": "23.77700000", "longitude": "90.42670000"}
# About 40 km north of the city: no ward centre of Dhaka South is near it.
FAR_AWAY = {"latitude": "24.11000000", "longitude": "90.42670000"}


def raise_emergency(citizen, point, **data):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.emergency_create(
            user=citizen,
            data={
                "emergency_type": "চিকিৎসা জরুরি",
                "description": "বয়স্ক মানুষ অজ্ঞান হয়ে পড়েছেন",
                "location": "খিলগাঁও রেলগেটের কাছে",
                **point,
                **data,
            },
        )


def told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("user__phone", flat=True))


@pytest.fixture
def near_admin(db):
    return emergency_admin(["1"])


@pytest.fixture
def far_admin(db):
    return emergency_admin(["58"])


@pytest.fixture
def bosses(db):
    return [UserFactory(user_type="super_admin") for _ in range(2)]


def test_dispatch_reaches_the_admin_3_km_away_and_not_the_one_10_km_away(
    citizen, near_admin, far_admin, bosses
):
    emergency = raise_emergency(citizen, NEAR_WARD_1)
    assert told("emergency.dispatched") == {near_admin.phone}
    note = Notification.objects.get(kind="emergency.dispatched")
    assert note.sms_status == DeliveryStatus.SENT  # texted as well as pushed
    assert told("emergency.escalated") == set()  # super admins are not dispatched
    assert emergency.escalated_at is None


def test_nobody_within_reach_tells_the_super_admins_at_once(citizen, near_admin, bosses):
    # Ward 58's centre is ~10 km from ward 1's, the only ward with staff on emergency duty.
    emergency = raise_emergency(citizen, {}, ward_number="58")
    assert told("emergency.dispatched") == set()
    assert told("emergency.escalated") == {boss.phone for boss in bosses}
    emergency.refresh_from_db()
    assert emergency.escalated_at is not None
    assert (
        services.emergency_escalate(
            emergency_id=emergency.pk, now=emergency.created_at + timedelta(hours=1)
        )
        is False
    )  # already told: never twice


def test_an_emergency_40_km_away_reaches_no_ward_admin(near_admin, bosses):
    wardless = UserFactory(ward_number=None)
    emergency = raise_emergency(wardless, FAR_AWAY)
    assert emergency.ward_number is None
    assert told("emergency.dispatched") == set()
    assert told("emergency.escalated") == {boss.phone for boss in bosses}


def test_without_a_point_the_wards_centre_is_used(citizen, near_admin, bosses):
    raise_emergency(citizen, {}, ward_number="2")  # ward 2's centre is ~1 km from ward 1's
    assert told("emergency.dispatched") == {near_admin.phone}


def test_a_point_far_from_every_ward_falls_back_to_the_wards_centre(citizen, near_admin, bosses):
    raise_emergency(citizen, {"latitude": "0", "longitude": "0"}, ward_number="1")
    assert told("emergency.dispatched") == {near_admin.phone}
    assert told("emergency.escalated") == set()


def test_read_only_staff_are_not_dispatched_and_lost_rights_end_a_dispatch(citizen, bosses, api_as):
    from apps.users.models import AdminPermission

    reader = emergency_admin(["1"], can_update=False)
    duty = emergency_admin(["1"])
    emergency = raise_emergency(citizen, NEAR_WARD_1)
    assert told("emergency.dispatched") == {duty.phone}
    assert (
        api_as(reader)
        .post(f"/api/v1/emergency/{emergency.pk}/status/", {"status": "resolved"})
        .status_code
        == 404
    )  # ward 3's emergency: not theirs to see or move
    AdminPermission.objects.filter(admin=duty).delete()
    assert api_as(duty).get(f"/api/v1/emergency/{emergency.pk}/").status_code == 404


def test_inactive_staff_and_staff_without_emergency_duty_are_not_told(citizen, bosses):
    sleeping = emergency_admin(["1"])
    sleeping.is_active = False
    sleeping.save(update_fields=["is_active"])
    from apps.users.tests.factories import AdminPermissionFactory

    AdminPermissionFactory(admin=UserFactory(user_type="admin"), ward_numbers=["1"])  # complaints
    raise_emergency(citizen, NEAR_WARD_1)
    assert told("emergency.dispatched") == set()
    assert told("emergency.escalated") == {boss.phone for boss in bosses}


# ---------------------------------------------------------------------------------------------
# Escalation
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def waiting(citizen, near_admin, bosses):
    return raise_emergency(citizen, NEAR_WARD_1)


def test_escalation_happens_once_after_the_window(waiting, bosses, settings):
    window = timedelta(seconds=settings.EMERGENCY_ESCALATION_SECONDS)
    early = waiting.created_at + window - timedelta(seconds=1)
    late = waiting.created_at + window
    assert services.emergency_escalate(emergency_id=waiting.pk, now=early) is False
    assert told("emergency.escalated") == set()
    assert services.emergency_escalate(emergency_id=waiting.pk, now=late) is True
    assert services.emergency_escalate(emergency_id=waiting.pk, now=late) is False  # run twice
    assert services.emergencies_escalate_overdue(now=late + window) == 0  # and the sweep
    assert Notification.objects.filter(kind="emergency.escalated").count() == len(bosses)
    waiting.refresh_from_db()
    assert waiting.escalated_at is not None


def test_the_sweep_escalates_what_the_countdown_missed(waiting, bosses, settings):
    later = waiting.created_at + timedelta(seconds=settings.EMERGENCY_ESCALATION_SECONDS + 30)
    assert services.emergencies_escalate_overdue(now=later) == 1
    assert told("emergency.escalated") == {boss.phone for boss in bosses}


def test_an_emergency_taken_in_time_is_never_escalated(waiting, near_admin, settings):
    services.emergency_assign(emergency=waiting, actor=near_admin, assignee_id=near_admin.pk)
    much_later = waiting.created_at + timedelta(days=1)
    assert services.emergency_escalate(emergency_id=waiting.pk, now=much_later) is False
    assert services.emergencies_escalate_overdue(now=much_later) == 0
    assert told("emergency.escalated") == set()


def test_a_resolved_emergency_is_never_escalated(citizen, bosses):
    emergency = EmergencyFactory(user=citizen, status="সমাধান হয়েছে")
    later = emergency.created_at + timedelta(days=1)
    assert services.emergencies_escalate_overdue(now=later) == 0


def test_the_countdown_task_is_armed_after_commit(citizen, near_admin, bosses, settings):
    from unittest import mock

    with mock.patch("apps.emergency.tasks.emergency_escalate.apply_async") as armed:
        emergency = raise_emergency(citizen, NEAR_WARD_1)
    armed.assert_called_once_with(
        kwargs={"emergency_id": str(emergency.pk)},
        countdown=settings.EMERGENCY_ESCALATION_SECONDS,
    )


def test_a_rejected_emergency_leaves_nothing(citizen, near_admin):
    from core.exceptions import ValidationFailed

    with pytest.raises(ValidationFailed):
        raise_emergency(citizen, NEAR_WARD_1, ward_number="999")
    assert EmergencyRequest.objects.count() == 0
    assert Notification.objects.count() == 0
