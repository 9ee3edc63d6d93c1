"""PostgreSQL-only (make test-services): concurrent views of one photo are all counted."""

import pytest
from django.db import connection
from django.test import Client

from apps.gallery.demo import demo_categories_load
from apps.gallery.models import GalleryImage
from apps.gallery.services import image_view_record
from core.testing import in_threads

from .factories import GalleryImageFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgresql():
    assert connection.vendor == "postgresql", "make test-services runs these against PostgreSQL"


@pytest.fixture
def image(wards):
    demo_categories_load()  # transactional tests start from empty tables
    return GalleryImageFactory(view_count=0)


def test_30_concurrent_views_are_counted_exactly(image):
    counts = in_threads(30, lambda: image_view_record(image_id=image.pk))
    assert sorted(counts) == list(range(1, 31)), counts  # each reader saw the count it made
    assert GalleryImage.objects.get(pk=image.pk).view_count == 30


def test_30_concurrent_requests_are_counted_exactly(image):
    url = f"/api/v1/gallery/{image.pk}/"
    answers = in_threads(30, lambda: Client().get(url))
    assert [answer.status_code for answer in answers] == [200] * 30
    assert sorted(answer.json()["view_count"] for answer in answers) == list(range(1, 31))
    assert GalleryImage.objects.get(pk=image.pk).view_count == 30
