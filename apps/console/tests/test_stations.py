"""Transfer stations screen: who sees which stations, the fill level and trend as the readings
say, and recording a reading through the service (its refusals as messages, nothing stored)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.users.tests.factories import AdminPermissionFactory
from apps.waste_management.models import StationReading, TransferStation

LIST = reverse("console:stations")
ROLES = ["anonymous", "citizen", "provider", "ward_admin", "other_admin", "super_admin"]
WASTE = {"permission_type": "waste", "resource_type": "waste", "can_read": True}


@pytest.fixture
def yard(cast):
    """Waste rights: the ward admin for wards 5 and 6 (read and update), the other for 9 (read
    only); a station in ward 5 at 84.5 % and one in ward 9 without readings."""
    AdminPermissionFactory(admin=cast.ward_admin, ward_numbers=["5", "6"], can_update=True, **WASTE)
    AdminPermissionFactory(admin=cast.other_admin, ward_numbers=["9"], can_update=False, **WASTE)
    five = TransferStation.objects.create(name="Matuail STS", ward_number="5", capacity_tons=50)
    nine = TransferStation.objects.create(name="Ward Nine STS", ward_number="9", capacity_tons=30)
    StationReading.objects.create(station=five, load_tons=Decimal("42.25"), at=timezone.now())
    five.current_load_tons, five.last_reading_at = Decimal("42.25"), timezone.now()
    five.save()
    cast.five, cast.nine = five, nine
    return cast


def person(cast, role):
    return None if role == "anonymous" else getattr(cast, role)


SEES = {
    "citizen": None,
    "provider": None,
    "ward_admin": ["Matuail STS"],
    "other_admin": ["Ward Nine STS"],
    "super_admin": ["Matuail STS", "Ward Nine STS"],
}


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_which_stations(console_as, yard, role):
    response = console_as(person(yard, role)).get(LIST)
    if role == "anonymous":
        assert response.status_code == 302
        return
    names = SEES[role]
    if names is None:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    page = response.content.decode()
    for name in ["Matuail STS", "Ward Nine STS"]:
        assert (name in page) == (name in names), (role, name)


def test_the_fill_level_and_trend_are_the_readings(console_as, yard):
    page = console_as(yard.ward_admin).get(LIST).content.decode()
    assert "84.50% full: 42.25 of 50.00 tons" in page
    assert 'data-level="warning"' in page
    assert "<td>42.25</td><td>84.50</td>" in page  # today's row of the trend table
    assert page.count("<td>—</td><td>—</td>") == 6  # the six days before: no reading


def test_staff_who_may_update_record_a_reading(console_as, yard):
    url = reverse("console:station-reading", args=[yard.five.pk])
    response = console_as(yard.ward_admin).post(url, {"load_tons": "45"}, follow=True)
    assert response.status_code == 200
    assert "The reading of Matuail STS has been recorded." in response.content.decode()
    yard.five.refresh_from_db()
    assert yard.five.current_load_tons == Decimal("45.00")
    assert StationReading.objects.filter(station=yard.five, recorded_by=yard.ward_admin).exists()


def test_read_only_staff_see_no_form_and_are_refused(console_as, yard):
    page = console_as(yard.other_admin).get(LIST).content.decode()
    assert "Record the reading" not in page
    url = reverse("console:station-reading", args=[yard.nine.pk])
    response = console_as(yard.other_admin).post(url, {"load_tons": "5"}, follow=True)
    assert "You can only record loads" in response.content.decode()
    assert not StationReading.objects.filter(station=yard.nine).exists()


def test_another_wards_station_is_404(console_as, yard):
    url = reverse("console:station-reading", args=[yard.nine.pk])
    assert console_as(yard.ward_admin).post(url, {"load_tons": "5"}).status_code == 404
    assert not StationReading.objects.filter(station=yard.nine).exists()


@pytest.mark.parametrize("load", ["-1", "abc", ""])
def test_a_bad_load_is_refused_and_nothing_stored(console_as, yard, load):
    url = reverse("console:station-reading", args=[yard.five.pk])
    response = console_as(yard.super_admin).post(url, {"load_tons": load}, follow=True)
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert StationReading.objects.filter(station=yard.five).count() == 1
    yard.five.refresh_from_db()
    assert yard.five.current_load_tons == Decimal("42.25")


def test_the_dashboard_shows_the_stations_in_scope(console_as, yard):
    page = console_as(yard.super_admin).get(reverse("console:dashboard")).content.decode()
    assert 'data-chart="stations"' in page
    assert '<th scope="row">Matuail STS</th><td>84.50</td>' in page
    assert '<th scope="row">Ward Nine STS</th><td>—</td>' in page
    ward_page = console_as(yard.ward_admin).get(reverse("console:dashboard")).content.decode()
    assert "Ward Nine STS" not in ward_page
    assert "Matuail STS" in ward_page
    plain = console_as(yard.provider).get(reverse("console:dashboard"))
    assert plain.status_code == 403


def test_the_screen_speaks_bengali(yard):
    from apps.console.tests.conftest import Console

    client = Console(HTTP_ACCEPT_LANGUAGE="bn")
    client.force_login(yard.super_admin)
    page = client.get(LIST).content.decode()
    assert "84.50% ভরা: 50.00 টনের মধ্যে 42.25 টন" in page
    assert "৮০% ভরলে" in page
    dashboard = client.get(reverse("console:dashboard")).content.decode()
    assert "প্রতিটি ট্রান্সফার স্টেশন কতটা ভরা (%)" in dashboard


def test_the_list_asks_for_the_rights_once_not_per_row(console_as, yard):
    """may_weigh was a permission query per station."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = console_as(yard.ward_admin)
    client.get(LIST)
    with CaptureQueriesContext(connection) as context:
        client.get(LIST)
    one = len(context.captured_queries)
    for number in range(6):
        TransferStation.objects.create(name=f"STS {number}", ward_number="6", capacity_tons=10)
    with CaptureQueriesContext(connection) as context:
        page = client.get(LIST)
    assert all(station.may_weigh for station in page.context["stations"])
    assert len(context.captured_queries) == one
