"""Django admin for the calendar: adding, editing and removing go through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.city_calendar.models import Event
from apps.users.models import ActivityAction, ActivityLog

from .factories import EventFactory, EventParticipantFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/city_calendar/event/"


@pytest.fixture
def operator(client, super_admin):
    client.force_login(super_admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def form(**overrides) -> dict:
    start = timezone.localtime() + timedelta(days=3)
    end = start + timedelta(hours=2)
    return {
        "title": "মশক নিধন অভিযান",
        "title_en": "Mosquito control drive",
        "description": "",
        "event_type": "cleanup",
        "start_0": start.strftime("%Y-%m-%d"),
        "start_1": start.strftime("%H:%M:%S"),
        "end_0": end.strftime("%Y-%m-%d"),
        "end_1": end.strftime("%H:%M:%S"),
        "location": "",
        "ward_number": "৫",
        "capacity": "30",
        "participants-TOTAL_FORMS": "0",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "0",
        **overrides,
    }


def test_pages_render(operator):
    event = EventFactory()
    EventParticipantFactory(event=event)
    assert operator.get(LIST).status_code == 200
    assert operator.get(f"{LIST}add/").status_code == 200
    page = operator.get(f"{LIST}{event.pk}/change/")
    assert page.status_code == 200
    assert event.title in page.content.decode()
    assert operator.get("/admin/city_calendar/eventparticipant/").status_code == 200


def test_adding_goes_through_the_service(operator, super_admin):
    response = operator.post(f"{LIST}add/", form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get()
    assert (event.ward_number, event.capacity, event.created_by) == ("5", 30, super_admin)
    assert ActivityLog.objects.filter(action=ActivityAction.EVENT_CREATED).count() == 1


def test_a_refusal_shows_on_the_form(operator):
    response = operator.post(f"{LIST}add/", form(ward_number="999", capacity="0"))
    assert response.status_code == 200
    assert not Event.objects.exists()
    errors = response.context["adminform"].form.errors
    assert "capacity" in errors


def test_end_before_start_shows_on_the_form(operator):
    start = timezone.localtime() + timedelta(days=3)
    earlier = start - timedelta(hours=1)
    response = operator.post(
        f"{LIST}add/",
        form(
            start_0=start.strftime("%Y-%m-%d"),
            start_1=start.strftime("%H:%M:%S"),
            end_0=earlier.strftime("%Y-%m-%d"),
            end_1=earlier.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "end": ["An event cannot end before it starts."]
    }
    assert not Event.objects.exists()


def test_deleting_goes_through_the_service(operator):
    event = EventFactory()
    response = operator.post(f"{LIST}{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Event.objects.exists()
    assert ActivityLog.objects.filter(action=ActivityAction.EVENT_DELETED).count() == 1
