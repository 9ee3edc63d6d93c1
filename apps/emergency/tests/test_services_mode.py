"""PostgreSQL-only (make test-services): two concurrent sweeps escalate an emergency once."""

from datetime import timedelta

import pytest
from django.db import connection

from apps.emergency import services
from apps.notifications.models import Notification
from apps.users.tests.factories import UserFactory
from core.testing import in_threads

from .factories import EmergencyFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_sweeps_escalate_once(settings):
    assert connection.vendor == "postgresql"
    bosses = [UserFactory(user_type="super_admin") for _ in range(2)]
    emergencies = [EmergencyFactory() for _ in range(3)]
    later = max(e.created_at for e in emergencies) + timedelta(
        seconds=settings.EMERGENCY_ESCALATION_SECONDS + 1
    )
    results = in_threads(2, lambda: services.emergencies_escalate_overdue(now=later))
    assert sum(results) == 3, results
    assert Notification.objects.filter(kind="emergency.escalated").count() == 3 * len(bosses)


def test_the_countdown_and_the_sweep_racing_escalate_once(settings):
    UserFactory(user_type="super_admin")
    emergency = EmergencyFactory()
    later = emergency.created_at + timedelta(seconds=settings.EMERGENCY_ESCALATION_SECONDS + 1)
    results = in_threads(
        4,
        lambda: services.emergency_escalate(emergency_id=emergency.pk, now=later),
    )
    assert results.count(True) == 1, results
    assert Notification.objects.filter(kind="emergency.escalated").count() == 1
