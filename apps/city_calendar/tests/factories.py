"""Factories for calendar events (a timed ward-5 cleanup a week from now, unless told otherwise)."""

from datetime import timedelta

import factory
from django.utils import timezone

from apps.city_calendar.models import Event, EventParticipant
from apps.users.tests.factories import UserFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"পরিচ্ছন্নতা অভিযান {n}")
    title_en = factory.Sequence(lambda n: f"Cleanup drive {n}")
    event_type = "cleanup"
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    end = factory.LazyAttribute(lambda event: event.start + timedelta(hours=3))
    ward_number = "5"


class EventParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventParticipant

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
