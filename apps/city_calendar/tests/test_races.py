"""PostgreSQL-only (make test-services): joins racing for the last place under a real row lock."""

import time
from unittest import mock

import pytest
from django.db import connection

from apps.city_calendar.models import EventParticipant
from apps.users.tests.factories import UserFactory
from conftest import Api
from core.testing import in_threads

from .factories import EventFactory, EventParticipantFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgresql():
    assert connection.vendor == "postgresql", "make test-services runs these against PostgreSQL"


def _slow_inserts():
    """Each join waits a moment between counting the places and taking one: without the row
    lock both joins would count two taken places and both get in."""
    insert = EventParticipant.objects.create

    def create(**fields):
        time.sleep(0.3)
        return insert(**fields)

    return mock.patch.object(EventParticipant.objects, "create", side_effect=create)


def test_two_joins_for_the_last_place_make_one_201_and_one_409(wards):
    event = EventFactory(capacity=3)
    for _ in range(2):
        EventParticipantFactory(event=event)
    clients = iter([Api().as_user(UserFactory()), Api().as_user(UserFactory())])
    url = f"/api/v1/calendar/events/{event.pk}/join/"

    def join():
        response = next(clients).post(url)
        return response.status_code, response.json().get("code")

    with _slow_inserts():
        results = sorted(in_threads(2, join), key=str)
    assert results == [(201, None), (409, "event_full")], results
    assert EventParticipant.objects.filter(event=event).count() == 3


def test_one_person_joining_twice_at_once_joins_once(wards):
    event = EventFactory(capacity=5)
    person = UserFactory()
    clients = iter([Api().as_user(person), Api().as_user(person)])
    url = f"/api/v1/calendar/events/{event.pk}/join/"
    with _slow_inserts():
        results = sorted(in_threads(2, lambda: next(clients).post(url).status_code))
    assert results == [200, 201], results
    assert EventParticipant.objects.filter(event=event, user=person).count() == 1
