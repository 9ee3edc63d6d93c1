"""Django admin pages of authentication and the audit log: state visible, secrets not."""

import pytest

from apps.authentication.models import OTPVerification
from apps.users.models import ActivityLog, User
from apps.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NO_INLINES = {"admin_permissions-TOTAL_FORMS": "0", "admin_permissions-INITIAL_FORMS": "0"}


@pytest.fixture
def operator(client):
    user = UserFactory(user_type="super_admin", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_otp_admin_shows_state_but_never_the_code(operator, api):
    api.post(
        "/api/v1/auth/register/",
        {"name": "Rahima", "phone": "01812345678", "password": "Dhaka-city-2026"},
        format="json",
    )
    otp = OTPVerification.objects.get()
    listing = operator.get("/admin/authentication/otpverification/")
    detail = operator.get(f"/admin/authentication/otpverification/{otp.pk}/change/")
    assert listing.status_code == detail.status_code == 200
    for page in (listing, detail):
        html = page.content.decode()
        assert otp.code_hash not in html
        assert "pbkdf2" not in html  # the pending registration's password hash
        assert "md5$" not in html
    assert operator.get("/admin/authentication/otpverification/add/").status_code == 403


def test_activity_log_admin_is_read_only(operator):
    UserFactory()
    row = ActivityLog.objects.create(action="auth.login")
    assert operator.get("/admin/users/activitylog/").status_code == 200
    assert operator.get("/admin/users/activitylog/add/").status_code == 403
    assert (
        operator.post(f"/admin/users/activitylog/{row.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert ActivityLog.objects.filter(pk=row.pk).exists()


def test_admin_creates_accounts_by_the_api_rules(operator):
    response = operator.post(
        "/admin/users/user/add/",
        {
            "phone": "01812345678",
            "name": "New Ward Admin",
            "user_type": "admin",
            "ward_number": "০৭",
            "password1": "Strong-pass-2026",
            "password2": "Strong-pass-2026",
            "usable_password": "true",
            **NO_INLINES,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(phone="+8801812345678")
    assert (user.ward_number, user.is_verified, user.is_staff) == ("7", True, False)
    assert ActivityLog.objects.filter(resource_id=user.pk, details__via="django-admin").exists()


def test_admin_refuses_a_bad_phone_and_cannot_delete_accounts(operator):
    response = operator.post(
        "/admin/users/user/add/",
        {
            "phone": "12345",
            "name": "X",
            "user_type": "citizen",
            "password1": "Strong-pass-2026",
            "password2": "Strong-pass-2026",
            **NO_INLINES,
        },
    )
    assert response.status_code == 200  # form shown again with the error
    assert not User.objects.filter(name="X").exists()
    victim = UserFactory()
    assert (
        operator.post(f"/admin/users/user/{victim.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert User.objects.filter(pk=victim.pk).exists()
