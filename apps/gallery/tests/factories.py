"""Factories and photo helpers of the gallery tests."""

import io

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.gallery.models import GalleryCategory, GalleryImage


def photo_bytes(fmt: str = "JPEG", size=(800, 600), color="green", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def upload(data: bytes | None = None, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else photo_bytes(), content_type)


class GalleryImageFactory(factory.django.DjangoModelFactory):
    """A photo of ward 5 in the cleanup category, with small real files."""

    class Meta:
        model = GalleryImage

    title = factory.Sequence(lambda n: f"ছবি {n}")
    category = factory.LazyFunction(lambda: GalleryCategory.objects.get(slug="cleanup"))
    ward_number = "5"
    image = factory.LazyFunction(lambda: ContentFile(photo_bytes(), name="full.jpg"))
    thumbnail = factory.LazyFunction(
        lambda: ContentFile(photo_bytes(size=(80, 60)), name="thumb.jpg")
    )
    width = 800
    height = 600
