"""Factories for notices (published an hour ago, city-wide, unless told otherwise)."""

from datetime import timedelta

import factory
from django.utils import timezone

from apps.notices.models import Notice, NoticeWard


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notice
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"বিজ্ঞপ্তি {n}")
    content = "আগামী শনিবার সকাল ৭টা থেকে ৯টার মধ্যে বর্জ্য সংগ্রহ করা হবে।"
    category = "বর্জ্য সংগ্রহ"
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    @factory.post_generation
    def target_wards(self, create, extracted, **kwargs):
        """``NoticeFactory(target_wards=["5"])``; none: city-wide."""
        if create and extracted:
            NoticeWard.objects.bulk_create(
                NoticeWard(notice=self, ward_number=ward) for ward in extracted
            )
