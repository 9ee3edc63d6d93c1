"""PostgreSQL-only: two callbacks racing for one donation's payment move the donation once."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from apps.authentication.services import tokens_for_user
from apps.donations.models import Donation, DonationProject
from apps.notifications.models import Notification
from apps.payments.tests.test_flow import come_back, pay
from apps.users.tests.factories import UserFactory
from core.testing import in_threads

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_callbacks_complete_one_donation_once(wards):
    assert connection.vendor == "postgresql"
    DonationProject.objects.create(slug="flood-relief", name_bn="বন্যা ত্রাণ", name_en="Flood relief")
    donor = UserFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_for_user(donor)['access']}")
    body = client.post(
        "/api/v1/donations/",
        {"project": "flood-relief", "amount": "20000.00", "payment_method": "bkash",
         "phone_number": "01711000005"},
        format="json",
    ).json()  # fmt: skip
    assert "payment_url" in body, body
    way_back = pay(APIClient(), body["payment_url"])

    results = in_threads(2, lambda: come_back(APIClient(), way_back).status_code)

    assert results == [302, 302]
    assert Donation.objects.get().status == "completed"
    kinds = sorted(Notification.objects.filter(user=donor).values_list("kind", flat=True))
    assert kinds == ["donation.completed", "donation.thank_you"]
