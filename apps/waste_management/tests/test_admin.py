"""Django admin for schedules, fees and special collections: writes go through the services
(rules, rights, audit rows, notifications) and leave the admin's own audit row as well."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.notifications.models import Notification
from apps.users.models import ActivityAction, ActivityLog
from apps.users.tests.factories import UserFactory
from apps.waste_management.models import CollectionSchedule, SpecialCollectionRequest, WasteFee

from .conftest import schedule_in

pytestmark = pytest.mark.django_db

SCHEDULES = "/admin/waste_management/collectionschedule/"
FEES = "/admin/waste_management/wastefee/"
SPECIALS = "/admin/waste_management/specialcollectionrequest/"


@pytest.fixture
def operator(client, super_admin):
    client.force_login(super_admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def schedule_form(**overrides) -> dict:
    return {"ward_number": "5", "day_of_week": "0", "start_time": "07:00", "end_time": "09:00",
            "waste_type": "household", "vehicle": "", "notes": "", "is_active": "on",
            **overrides}  # fmt: skip


def test_pages_render(operator, citizen):
    schedule = schedule_in("5")
    special = SpecialCollectionRequest.objects.create(
        citizen=citizen, ward_number="5", waste_type="bulky", description="Sofa",
        address="House 1", preferred_date=timezone.localdate(),
    )  # fmt: skip
    for url in (SCHEDULES, f"{SCHEDULES}add/", f"{SCHEDULES}{schedule.pk}/change/", FEES,
                f"{FEES}add/", SPECIALS, f"{SPECIALS}{special.pk}/change/"):  # fmt: skip
        assert operator.get(url).status_code == 200, url
    assert operator.get(f"{SPECIALS}add/").status_code == 403


def test_adding_a_schedule_goes_through_the_service(
    operator, super_admin, django_capture_on_commit_callbacks
):
    citizen = UserFactory(ward_number="5")
    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(f"{SCHEDULES}add/", schedule_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    schedule = CollectionSchedule.objects.get()
    assert schedule.created_by == super_admin
    created = ActivityLog.objects.get(action=ActivityAction.WASTE_SCHEDULE_CREATED)
    added = ActivityLog.objects.get(action=ActivityAction.ADMIN_ADDED)
    assert created.resource_id == added.resource_id == schedule.pk
    assert Notification.objects.get(user=citizen).kind == "waste.schedule_created"


def test_a_bad_schedule_shows_on_the_form(operator):
    for bad in ({"end_time": "06:00"}, {"ward_number": "9999"}):
        response = operator.post(f"{SCHEDULES}add/", schedule_form(**bad))
        assert response.status_code == 200
        assert response.context["adminform"].form.errors
    assert CollectionSchedule.objects.count() == 0


def test_changing_and_removing_a_schedule(operator):
    schedule = schedule_in("5")
    response = operator.post(f"{SCHEDULES}{schedule.pk}/change/", schedule_form(day_of_week="3"))
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert schedule.day_of_week == 3
    assert ActivityLog.objects.filter(action=ActivityAction.WASTE_SCHEDULE_UPDATED).count() == 1
    removed = operator.post(f"{SCHEDULES}{schedule.pk}/delete/", {"post": "yes"})
    assert removed.status_code == 302
    assert not CollectionSchedule.objects.exists()
    assert ActivityLog.objects.filter(action=ActivityAction.WASTE_SCHEDULE_DELETED).count() == 1


def test_fees_are_set_here_and_audited(operator):
    response = operator.post(
        f"{FEES}add/", {"waste_type": "bulky", "amount": "500", "is_active": "on"}
    )
    assert response.status_code == 302
    assert WasteFee.objects.get().amount == Decimal("500.00")
    assert ActivityLog.objects.filter(action=ActivityAction.ADMIN_ADDED).count() == 1
    zero = operator.post(f"{FEES}add/", {"waste_type": "medical", "amount": "0", "is_active": "on"})
    assert zero.status_code == 200
    assert WasteFee.objects.count() == 1


def test_planning_a_special_collection_here(operator, citizen):
    special = SpecialCollectionRequest.objects.create(
        citizen=citizen, ward_number="5", waste_type="bulky", description="Sofa",
        address="House 1", preferred_date=timezone.localdate(),
    )  # fmt: skip
    date = (timezone.localdate() + timedelta(days=1)).isoformat()
    url = f"{SPECIALS}{special.pk}/change/"
    skipped = operator.post(url, {"status": "collected", "scheduled_date": "", "comment": ""})
    assert skipped.status_code == 200
    assert skipped.context["adminform"].form.errors
    response = operator.post(url, {"status": "scheduled", "scheduled_date": date,
                                   "comment": "Morning"})  # fmt: skip
    assert response.status_code == 302
    special.refresh_from_db()
    assert (special.status, special.scheduled_date.isoformat(), special.staff_comment) == (
        "scheduled",
        date,
        "Morning",
    )
    assert ActivityLog.objects.filter(action=ActivityAction.SPECIAL_COLLECTION_UPDATED).count() == 1
