"""Factories for complaints (tracking numbers come from the real counter)."""

import io

import factory
from PIL import Image

from apps.complaints.enums import Category, Priority
from apps.complaints.models import Complaint
from apps.complaints.tracking import tracking_number_next
from apps.users.tests.factories import UserFactory


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complaint

    user = factory.SubFactory(UserFactory)
    tracking_number = factory.LazyFunction(tracking_number_next)
    title = factory.Sequence(lambda n: f"Overflowing bin {n}")
    description = "The bin at the corner has not been emptied for three days."
    category = Category.WASTE
    priority = Priority.MEDIUM
    location = "Road 4, Dhanmondi"
    ward_number = "5"


def photo_bytes(fmt: str = "JPEG", size=(800, 600), color="green", **save) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    image.save(buffer, format=fmt, **save)
    return buffer.getvalue()
