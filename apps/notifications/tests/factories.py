"""factory_boy factories for notifications and device tokens."""

import factory
from django.utils import timezone

from apps.notifications.models import DeliveryStatus, DeviceToken, Notification
from apps.users.tests.factories import UserFactory


class DeviceTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeviceToken

    user = factory.SubFactory(UserFactory)
    token = factory.Sequence(lambda n: f"fcm-device-{n:04d}:APA91b{n:08d}")  # clear of knobs
    platform = "android"
    is_active = True
    last_seen_at = factory.LazyFunction(timezone.now)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = "complaint.status_changed"
    title = factory.Sequence(lambda n: f"Notification {n}")
    body = "Your complaint is in progress."
    data = factory.LazyFunction(dict)
    sms_status = DeliveryStatus.SKIPPED
    push_status = DeliveryStatus.SKIPPED
