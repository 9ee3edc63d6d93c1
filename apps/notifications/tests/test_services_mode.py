"""PostgreSQL/Redis-only checks (make test-services): concurrent sends with one dedupe key."""

import pytest
from django.db import connection

from apps.notifications.models import Notification
from apps.notifications.services import TEST_BODY, TEST_TITLE, notification_send
from apps.sandbox.models import SandboxSms
from apps.users.tests.factories import UserFactory
from core.testing import in_threads

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgresql():
    assert connection.vendor == "postgresql", "make test-services runs these against PostgreSQL"


def test_concurrent_sends_with_one_dedupe_key_store_and_text_once():
    user = UserFactory()

    results = in_threads(
        8,
        lambda: (
            notification_send(
                user=user,
                kind="complaint.status_changed",
                title=TEST_TITLE,
                body=TEST_BODY,
                params={"name": user.name},
                dedupe_key="complaint:42:status:resolved",
            ).pk
        ),
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    [notification] = Notification.objects.all()
    assert set(results) == {notification.pk}
    assert SandboxSms.objects.filter(phone=user.phone).count() == 1
