"""Factories for emergencies."""

import factory

from apps.emergency.enums import EmergencyType
from apps.emergency.models import EmergencyRequest
from apps.users.tests.factories import UserFactory


class EmergencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmergencyRequest

    user = factory.SubFactory(UserFactory, ward_number="5")
    emergency_type = EmergencyType.FIRE
    description = "রান্নাঘরে আগুন লেগেছে"
    location = "বাড়ি ১২, রোড ৩, বাসাবো"
    ward_number = "5"
