"""Second factor of console sign-in (CONSOLE_OTP_REQUIRED): after the right password an SMS code
through the API's OTP services (expiry, attempt limit, cooldown), LOGIN audited only then."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.authentication.models import OTPVerification
from apps.sandbox.models import SandboxSms
from apps.sandbox.sms import code_in
from apps.users.models import ActivityAction, ActivityLog
from apps.users.tests.factories import DEFAULT_PASSWORD, UserFactory
from core.phone import mask_phone

from .conftest import Console

LOGIN = "/console/login/"
CODE = "/console/login/code/"


@pytest.fixture
def otp_on(settings):
    settings.CONSOLE_OTP_REQUIRED = True


def password_step(client, user, **data):
    return client.post(LOGIN, {"phone": user.phone, "password": DEFAULT_PASSWORD, **data})


def texted_code(user) -> str:
    return code_in(SandboxSms.objects.filter(phone=user.phone).latest("created_at").text)


def signed_in(client):
    return client.session.get("_auth_user_id")


def actions(user):
    return list(
        ActivityLog.objects.filter(user=user)
        .order_by("created_at")
        .values_list("action", flat=True)
    )


def wrong(code: str) -> str:
    return "0" * len(code) if code != "0" * len(code) else "1" * len(code)


def test_off_by_default_the_password_alone_signs_in_and_no_code_is_sent(db, console):
    admin = UserFactory(user_type="admin")

    response = password_step(console, admin)

    assert response["Location"] == "/console/"
    assert signed_in(console) == str(admin.pk)
    assert not OTPVerification.objects.exists()
    assert not SandboxSms.objects.exists()


@pytest.mark.parametrize(
    ("role", "home"),
    [("admin", "/console/"), ("super_admin", "/console/"), ("service_provider", "/console/work/")],
)
def test_on_the_password_sends_a_code_and_the_code_signs_in(db, console, otp_on, role, home):
    user = UserFactory(user_type=role, language="en")

    response = password_step(console, user)

    assert response.status_code == 302
    assert response["Location"] == CODE
    assert signed_in(console) is None
    assert console.get("/console/").status_code == 302  # not signed in yet
    sms = SandboxSms.objects.get(phone=user.phone)
    code = code_in(sms.text)
    assert len(code) == 6
    assert sms.text.startswith(f"Clean Care: your staff sign-in code is {code}.")
    otp = OTPVerification.objects.get()
    assert (otp.phone, otp.purpose, otp.is_verified) == (user.phone, "login", False)
    # The session holds who and when, never the code.
    pending = console.session["console_pending_sign_in"]
    assert set(pending) == {"user", "at", "next"}
    assert pending["user"] == str(user.pk)
    assert code not in str(dict(console.session.items()))
    assert actions(user) == [ActivityAction.OTP_SENT]

    page = console.get(CODE)
    assert page.status_code == 200
    assert f"We sent a 6-digit code by SMS to {mask_phone(user.phone)}." in page.content.decode()
    assert 'name="otp_code"' in page.content.decode()

    response = console.post(CODE, {"otp_code": code})

    assert response.status_code == 302
    assert response["Location"] == home
    assert signed_in(console) == str(user.pk)
    assert "console_pending_sign_in" not in console.session
    assert console.get(home).status_code == 200
    assert actions(user) == [ActivityAction.OTP_SENT, ActivityAction.LOGIN]
    login_row = ActivityLog.objects.get(action=ActivityAction.LOGIN)
    assert login_row.details == {"channel": "console", "second_factor": "sms"}
    otp.refresh_from_db()
    assert otp.is_verified is True


def test_the_next_page_is_kept_across_the_code_step(db, otp_on):
    admin = UserFactory(user_type="admin")
    client = Console()
    client.post(
        f"{LOGIN}?next=/console/password/",
        {"phone": admin.phone, "password": DEFAULT_PASSWORD, "next": "/console/password/"},
    )
    assert client.post(CODE, {"otp_code": texted_code(admin)})["Location"] == "/console/password/"


def test_a_wrong_code_counts_against_the_attempt_limit_and_does_not_sign_in(db, console, otp_on):
    admin = UserFactory(user_type="admin")
    password_step(console, admin)
    code = texted_code(admin)

    response = console.post(CODE, {"otp_code": wrong(code)})

    assert response.status_code == 200
    assert "The code is wrong. 4 attempts left." in response.content.decode()
    assert signed_in(console) is None
    assert OTPVerification.objects.get().attempts == 1
    assert actions(admin) == [ActivityAction.OTP_SENT, ActivityAction.OTP_FAILED]


def test_too_many_wrong_codes_kill_the_code_even_the_right_one_after(db, console, otp_on):
    admin = UserFactory(user_type="admin")
    password_step(console, admin)
    code = texted_code(admin)
    for _ in range(4):
        console.post(CODE, {"otp_code": wrong(code)})

    fifth = console.post(CODE, {"otp_code": wrong(code)})
    right_too_late = console.post(CODE, {"otp_code": code})

    assert "Too many wrong codes. Request a new code." in fifth.content.decode()
    assert "The code is wrong or no longer valid." in right_too_late.content.decode()
    assert signed_in(console) is None
    otp = OTPVerification.objects.get()
    assert (otp.attempts, otp.is_void) == (5, True)
    assert not ActivityLog.objects.filter(action=ActivityAction.LOGIN).exists()


def test_an_expired_code_is_refused_with_a_clear_message(db, console, otp_on):
    admin = UserFactory(user_type="admin")
    password_step(console, admin)
    code = texted_code(admin)
    OTPVerification.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = console.post(CODE, {"otp_code": code})

    assert "The code has expired. Request a new code." in response.content.decode()
    assert signed_in(console) is None


def test_a_used_code_does_not_sign_in_again(db, otp_on):
    admin = UserFactory(user_type="admin")
    first = Console()
    password_step(first, admin)
    code = texted_code(admin)
    first.post(CODE, {"otp_code": code})
    assert signed_in(first) == str(admin.pk)

    # Someone who also knows the password, within the resend cooldown: no new code is sent and
    # the used one is refused.
    second = Console()
    response = password_step(second, admin)
    assert response["Location"] == CODE
    page = second.get(CODE).content.decode()
    assert "Please wait before asking for another code." in page
    refused = second.post(CODE, {"otp_code": code})

    assert "The code is wrong or no longer valid." in refused.content.decode()
    assert signed_in(second) is None
    assert OTPVerification.objects.count() == 1
    assert ActivityLog.objects.filter(action=ActivityAction.LOGIN).count() == 1


def test_a_new_code_can_be_asked_for_after_the_cooldown_and_voids_the_old(db, console, otp_on):
    admin = UserFactory(user_type="admin")
    password_step(console, admin)
    old = texted_code(admin)

    too_soon = console.post(CODE, {"resend": "1"}, follow=True)
    assert "Please wait before asking for another code." in too_soon.content.decode()
    assert OTPVerification.objects.count() == 1

    OTPVerification.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    SandboxSms.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    console.post(CODE, {"resend": "1"})
    new = texted_code(admin)

    assert OTPVerification.objects.count() == 2
    assert OTPVerification.objects.filter(is_void=True).count() == 1
    if new != old:  # the old code is checked against the new one, a wrong guess
        assert "The code is wrong." in console.post(CODE, {"otp_code": old}).content.decode()
    assert console.post(CODE, {"otp_code": new})["Location"] == "/console/"
    assert signed_in(console) == str(admin.pk)


def test_the_pending_sign_in_is_short_lived(db, console, otp_on):
    admin = UserFactory(user_type="admin")
    password_step(console, admin)
    code = texted_code(admin)
    session = console.session
    session["console_pending_sign_in"]["at"] -= 601  # twice the OTP's 5 minutes, and a second
    session.save()

    response = console.post(CODE, {"otp_code": code}, follow=True)

    assert response.redirect_chain == [(LOGIN, 302)]
    assert "Your sign-in has timed out. Please sign in again." in response.content.decode()
    assert signed_in(console) is None
    assert OTPVerification.objects.get().is_verified is False


def test_a_deactivated_account_cannot_finish_its_sign_in(db, console, otp_on):
    admin = UserFactory(user_type="admin")
    password_step(console, admin)
    code = texted_code(admin)
    admin.is_active = False
    admin.save()

    response = console.post(CODE, {"otp_code": code})

    assert response["Location"] == LOGIN
    assert signed_in(console) is None


@pytest.mark.parametrize("role", ["anonymous", "citizen", "admin", "super_admin", "provider"])
def test_the_code_page_without_a_pending_sign_in_sends_to_the_password_page(db, console_as, role):
    kinds = {"citizen": "citizen", "admin": "admin", "super_admin": "super_admin"}
    kinds["provider"] = "service_provider"
    user = None if role == "anonymous" else UserFactory(user_type=kinds[role])
    client = console_as(user)

    assert client.get(CODE)["Location"] == LOGIN
    assert client.post(CODE, {"otp_code": "123456"})["Location"] == LOGIN


def test_a_citizen_is_still_refused_and_gets_no_code(db, console, otp_on):
    citizen = UserFactory()

    response = password_step(console, citizen)

    assert response.status_code == 200
    assert "The console is for city staff" in response.content.decode()
    assert "console_pending_sign_in" not in console.session
    assert not SandboxSms.objects.exists()
    assert console.get(CODE)["Location"] == LOGIN
    row = ActivityLog.objects.get()
    assert (row.action, row.details["reason"]) == (ActivityAction.LOGIN_FAILED, "not_staff")


def test_a_wrong_password_sends_no_code(db, console, otp_on):
    admin = UserFactory(user_type="admin")

    response = console.post(LOGIN, {"phone": admin.phone, "password": "not-it-at-all"})

    assert "Wrong phone number or password." in response.content.decode()
    assert not SandboxSms.objects.exists()
    assert "console_pending_sign_in" not in console.session
    assert actions(admin) == [ActivityAction.LOGIN_FAILED]


def test_the_code_form_needs_its_csrf_token(db, otp_on):
    admin = UserFactory(user_type="admin")
    client = Console(enforce_csrf_checks=True)
    client.get(LOGIN)
    token = client.cookies["csrftoken"].value
    password_step(client, admin, csrfmiddlewaretoken=token)
    code = texted_code(admin)

    assert client.post(CODE, {"otp_code": code}).status_code == 403
    assert signed_in(client) is None
    assert client.post(CODE, {"otp_code": code, "csrfmiddlewaretoken": token}).status_code == 302
    assert signed_in(client) == str(admin.pk)


def test_the_code_page_speaks_bengali_by_default(db, otp_on):
    admin = UserFactory(user_type="admin")
    client = Client()
    password_step(client, admin)

    page = client.get(CODE).content.decode()

    assert "SMS-এ আসা কোড" in page


@pytest.mark.parametrize(
    ("overrides", "required"),
    [({}, True), ({"CONSOLE_OTP_REQUIRED": "false"}, False)],
)
def test_production_asks_for_the_code_unless_turned_off(overrides, required):
    from core.tests.test_settings import PRODUCTION_ENV, run_python

    env = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "clean_care.settings.production"}
    env.pop("CONSOLE_OTP_REQUIRED", None)
    result = run_python(
        {**env, **overrides},
        "from django.conf import settings; print(settings.CONSOLE_OTP_REQUIRED)",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(required)
