"""Django admin has one door, the console's sign-in (throttled, audited, second factor): its own
password form is gone, and its sign-out is the console's."""

import pytest

from apps.users.models import ActivityAction, ActivityLog
from apps.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return UserFactory(user_type="super_admin", is_staff=True, is_superuser=True)


def test_the_admin_sends_everyone_to_the_console_sign_in(console):
    response = console.get("/admin/")
    assert response.status_code == 302
    assert console.get(response["Location"])["Location"] == "/console/login/?next=/admin/"


def test_a_password_posted_to_the_admin_signs_nobody_in(console, operator):
    response = console.post(
        "/admin/login/", {"username": operator.phone, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/console/login/")
    assert "_auth_user_id" not in console.session
    assert console.get("/admin/").status_code == 302


def test_the_console_sign_in_opens_the_admin_and_returns_there(console, operator):
    response = console.post(
        "/console/login/?next=/admin/", {"phone": operator.phone, "password": DEFAULT_PASSWORD}
    )

    assert response["Location"] == "/admin/"
    assert console.get("/admin/").status_code == 200
    assert ActivityLog.objects.filter(user=operator, action=ActivityAction.LOGIN).count() == 1


def test_with_the_second_factor_the_admin_needs_the_code_too(console, operator, settings):
    settings.CONSOLE_OTP_REQUIRED = True

    console.post(
        "/console/login/?next=/admin/", {"phone": operator.phone, "password": DEFAULT_PASSWORD}
    )

    assert console.get("/admin/").status_code == 302


def test_the_admins_sign_out_is_the_consoles(console_as, operator):
    client = console_as(operator)

    response = client.post("/admin/logout/")

    assert response["Location"] == "/console/login/"
    assert client.get("/admin/").status_code == 302
    assert ActivityLog.objects.filter(user=operator, action=ActivityAction.LOGOUT).count() == 1
