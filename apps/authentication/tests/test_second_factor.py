"""The API's door for staff when CONSOLE_OTP_REQUIRED: password, then the texted code, as in
the console; citizens sign in as before."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.authentication.models import OTPVerification
from apps.sandbox.models import SandboxSms
from apps.sandbox.sms import code_in
from apps.users.models import ActivityAction, ActivityLog
from apps.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/login/"


@pytest.fixture
def otp_on(settings):
    settings.CONSOLE_OTP_REQUIRED = True


def login(api, user, **extra):
    return api.post(
        LOGIN, {"phone": user.phone, "password": DEFAULT_PASSWORD, **extra}, format="json"
    )


def texted_code(user) -> str:
    return code_in(SandboxSms.objects.filter(phone=user.phone).latest("created_at").text)


def logins(user):
    return list(
        ActivityLog.objects.filter(user=user, action=ActivityAction.LOGIN).values_list(
            "details", flat=True
        )
    )


@pytest.mark.parametrize("role", ["admin", "super_admin", "service_provider"])
def test_staff_get_no_tokens_for_the_password_alone(api, otp_on, role):
    staff = UserFactory(user_type=role, language="en")

    response = login(api, staff)

    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"
    assert "access_token" not in response.json()
    assert SandboxSms.objects.filter(phone=staff.phone).count() == 1
    assert logins(staff) == []


def test_the_texted_code_completes_the_staff_sign_in(api, otp_on):
    staff = UserFactory(user_type="admin")
    login(api, staff)

    response = login(api, staff, code=texted_code(staff))

    assert response.status_code == 200
    assert response.json()["user"]["id"] == str(staff.pk)
    assert response.json()["access_token"]
    assert logins(staff) == [{"second_factor": "sms"}]
    # The code is spent: the same one again is refused.
    again = login(api, staff, code=texted_code(staff))
    assert again.status_code == 400
    assert again.json()["code"] == "otp_invalid"


def test_a_wrong_code_gives_no_tokens(api, otp_on):
    staff = UserFactory(user_type="admin")
    login(api, staff)
    wrong = "111111" if texted_code(staff) != "111111" else "222222"

    response = login(api, staff, code=wrong)

    assert response.status_code == 400
    assert response.json()["code"] == "otp_invalid"
    assert logins(staff) == []


def test_a_code_with_the_wrong_password_is_refused_before_the_code_is_read(api, otp_on):
    staff = UserFactory(user_type="admin")
    login(api, staff)

    response = api.post(
        LOGIN,
        {"phone": staff.phone, "password": "not-it", "code": texted_code(staff)},
        format="json",
    )

    assert response.status_code == 401
    assert login(api, staff, code=texted_code(staff)).status_code == 200  # still unspent


def test_asking_again_moments_later_sends_no_second_text(api, otp_on):
    staff = UserFactory(user_type="admin")
    login(api, staff)

    response = login(api, staff)

    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"
    assert SandboxSms.objects.filter(phone=staff.phone).count() == 1


def test_a_malformed_code_is_a_400(api, otp_on):
    staff = UserFactory(user_type="admin")

    response = login(api, staff, code="12ab")

    assert response.status_code == 400
    assert "code" in response.json()["details"]
    assert not SandboxSms.objects.exists()


def test_citizens_sign_in_with_the_password_alone(api, otp_on):
    citizen = UserFactory()

    response = login(api, citizen)

    assert response.status_code == 200
    assert not SandboxSms.objects.exists()


def test_off_staff_sign_in_with_the_password_alone(api):
    staff = UserFactory(user_type="super_admin", is_staff=True, is_superuser=True)

    assert login(api, staff).status_code == 200
    assert not SandboxSms.objects.exists()


def test_password_reset_requests_cannot_spend_a_staff_members_sign_in_codes(api, otp_on):
    """Each purpose has its own hourly budget: anyone may ask for resets of a known phone."""
    staff = UserFactory(user_type="admin")
    for _ in range(6):
        api.post("/api/v1/auth/password-reset/", {"phone": staff.phone}, format="json")
        OTPVerification.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    resets = SandboxSms.objects.filter(phone=staff.phone).count()

    response = login(api, staff)

    assert resets == 5  # the reset budget is spent…
    assert response.json()["code"] == "second_factor_required"
    assert SandboxSms.objects.filter(phone=staff.phone).count() == resets + 1  # …not the sign-in's
