"""End-to-end tests of /auth/: registration, OTP rules, sign-in, tokens, passwords."""

import base64
import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from apps.authentication.models import OTPVerification
from apps.authentication.services import tokens_for_user
from apps.sandbox.models import SandboxSms
from apps.users.models import ActivityLog, User
from apps.users.tests.factories import DEFAULT_PASSWORD, UserFactory
from conftest import sms_codes

pytestmark = pytest.mark.django_db

PHONE = "+8801812345678"
REGISTRATION = {"name": "Rahima Begum", "phone": "01812345678", "password": "Dhaka-city-2026"}


def register(api, **overrides):
    extra = {k: overrides.pop(k) for k in list(overrides) if k.startswith("HTTP_")}
    return api.post("/api/v1/auth/register/", {**REGISTRATION, **overrides}, format="json", **extra)


def age_otps(phone, seconds=61):
    """Move a phone's codes into the past (past the resend cooldown by default)."""
    past = timezone.now() - timedelta(seconds=seconds)
    OTPVerification.objects.filter(phone=phone).update(created_at=past)


def verify(api, code, phone=PHONE, key="otp_code"):
    return api.post("/api/v1/auth/verify-otp/", {"phone": phone, key: code}, format="json")


def login(api, phone=PHONE, password=REGISTRATION["password"], **extra):
    return api.post(
        "/api/v1/auth/login/", {"phone": phone, "password": password}, format="json", **extra
    )


def signed_up(api, latest_code):
    register(api)
    response = verify(api, latest_code(PHONE))
    assert response.status_code == 200
    return response.json()


# --- registration -------------------------------------------------------------------------------
def test_register_creates_unverified_user_and_texts_a_code(api):
    response = register(api)

    assert response.status_code == 201
    body = response.json()
    user = User.objects.get(phone=PHONE)
    assert body == {
        "message": body["message"],
        "user_id": str(user.id),
        "phone": PHONE,
        "otp_sent": True,
        "otp_expires_in": 300,
    }
    assert not user.is_verified
    assert user.user_type == "citizen"
    sms = SandboxSms.objects.get(phone=PHONE)
    code = sms_codes(PHONE)[0]
    assert len(code) == 6
    assert "ক্লিন কেয়ার" in sms.text or "Clean Care" in sms.text
    otp = OTPVerification.objects.get(phone=PHONE)
    assert code not in otp.code_hash  # stored hashed only
    assert abs(otp.expires_at - otp.created_at - timedelta(minutes=5)) < timedelta(seconds=1)
    actions = set(ActivityLog.objects.filter(user=user).values_list("action", flat=True))
    assert {"auth.register", "auth.otp_sent"} <= actions


@pytest.mark.parametrize(
    "spelling", ["01812345678", "8801812345678", "+8801812345678", "+880 1812-345678"]
)
def test_register_accepts_every_phone_spelling(api, spelling):
    assert register(api, phone=spelling).status_code == 201
    assert User.objects.get().phone == PHONE


def test_register_accepts_null_optional_fields(api):
    response = register(api, email=None, nid=None, address=None, ward_number=None)
    assert response.status_code == 201
    user = User.objects.get()
    assert (user.email, user.nid, user.address, user.ward_number) == (None, None, None, None)


def test_register_stores_optional_fields_and_normalises_the_ward(api):
    response = register(
        api, email="r@example.com", nid="1234567890123", address="Motijheel", ward_number="০৯"
    )
    assert response.status_code == 201
    user = User.objects.get()
    assert (user.email, user.nid, user.address, user.ward_number) == (
        "r@example.com",
        "1234567890123",
        "Motijheel",
        "9",
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"phone": "01212345678"}, "phone"),
        ({"phone": "+14155552671"}, "phone"),
        ({"phone": ""}, "phone"),
        ({"nid": "12345"}, "nid"),
        ({"nid": "12345abcde"}, "nid"),
        ({"password": "12345"}, "password"),
        ({"password": "12345678"}, "password"),
        ({"password": "password"}, "password"),
        ({"email": "not-an-email"}, "email"),
        ({"ward_number": "999"}, "ward_number"),
        ({"name": ""}, "name"),
        ({"name": None}, "name"),
    ],
)
def test_register_refuses_bad_input_and_creates_nothing(api, overrides, field):
    response = register(api, **overrides)

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"error", "code", "details"}
    assert field in body["details"]
    assert not User.objects.exists()
    assert not SandboxSms.objects.exists()
    assert not OTPVerification.objects.exists()


def test_register_of_a_verified_phone_is_refused(api):
    UserFactory(phone=PHONE)
    response = register(api)
    assert response.status_code == 400
    assert response.json()["code"] == "phone_taken"
    assert not SandboxSms.objects.exists()


def test_register_with_an_email_already_in_use_is_refused(api):
    UserFactory(email="taken@example.com")
    response = register(api, email="TAKEN@example.com")
    assert response.status_code == 400
    assert response.json()["code"] == "email_taken"
    assert not User.objects.filter(phone=PHONE).exists()


def test_registering_again_sends_a_code_that_carries_the_new_details(api, latest_code):
    register(api)
    first_code = latest_code(PHONE)
    user_id = User.objects.get().id

    inside_cooldown = register(api, name="Rahima Khatun")
    assert inside_cooldown.status_code == 429
    assert OTPVerification.objects.count() == 1

    age_otps(PHONE)
    again = register(api, name="Rahima Khatun", password="Another-pass-77", ward_number="7")
    assert again.status_code == 201
    assert again.json()["user_id"] == str(user_id)
    # Nothing changes until the new code is typed: a stranger re-registering a number gains nothing.
    user = User.objects.get()
    assert (user.name, user.ward_number) == ("Rahima Begum", None)
    assert user.check_password(REGISTRATION["password"])
    assert "Rahima Khatun" in SandboxSms.objects.latest("created_at").text

    new_code = latest_code(PHONE)
    if new_code != first_code:
        assert verify(api, first_code).status_code == 400  # the older code is void
    assert verify(api, new_code).status_code == 200
    user.refresh_from_db()
    assert (user.name, user.ward_number, user.is_verified) == ("Rahima Khatun", "7", True)
    assert user.check_password("Another-pass-77")


def test_a_pending_staff_account_cannot_be_claimed_by_registering(api):
    UserFactory(phone=PHONE, user_type="admin", is_verified=False)
    response = register(api)
    assert response.status_code == 400
    assert response.json()["code"] == "phone_taken"
    assert not SandboxSms.objects.exists()


def test_the_registration_text_follows_the_request_language(api):
    register(api, HTTP_ACCEPT_LANGUAGE="en")
    assert SandboxSms.objects.get().text.startswith("Clean Care:")
    assert User.objects.get().language == "en"


def test_a_second_registration_with_the_email_in_another_case_is_refused(api):
    register(api, email="Rahima@Example.com")
    response = register(api, phone="01812345679", email="rahima@example.COM")
    assert response.status_code == 400
    assert response.json()["code"] == "email_taken"


@pytest.mark.parametrize("ward", ["²", "٣", "5a", "x" * 10])
def test_odd_ward_numbers_are_400_not_500(api, ward):
    response = register(api, ward_number=ward)
    assert response.status_code == 400
    assert "ward_number" in response.json()["details"]


def test_texting_codes_is_capped_per_client_address(api):
    for n in range(20):
        assert register(api, phone=f"0181234{n:04d}").status_code == 201
    response = register(api, phone="01812349999")
    assert response.status_code == 429
    assert SandboxSms.objects.count() == 20


# --- OTP verification ---------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["otp_code", "code"])
def test_verify_otp_marks_verified_and_signs_in(api, latest_code, key):
    register(api)
    response = verify(api, latest_code(PHONE), key=key)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"message", "access_token", "refresh_token", "user"}
    assert body["user"]["phone"] == PHONE
    assert body["user"]["is_verified"] is True
    claims = AccessToken(body["access_token"])
    assert (claims["phone"], claims["user_type"], claims["is_verified"]) == (PHONE, "citizen", True)
    assert User.objects.get().is_verified
    assert ActivityLog.objects.filter(action="auth.otp_verified").count() == 1


def test_a_code_works_once(api, latest_code):
    register(api)
    code = latest_code(PHONE)
    assert verify(api, code).status_code == 200
    assert verify(api, code).status_code == 400


def test_five_wrong_codes_kill_the_otp(api, latest_code):
    register(api)
    code = latest_code(PHONE)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    for remaining in (4, 3, 2, 1):
        response = verify(api, wrong)
        assert response.status_code == 400
        assert response.json()["code"] == "otp_invalid"
        assert str(remaining) in response.json()["error"]
    fifth = verify(api, wrong)
    assert fifth.status_code == 400
    assert fifth.json()["code"] == "otp_attempts_exceeded"

    dead = verify(api, code)
    assert dead.status_code == 400
    assert dead.json()["code"] == "otp_invalid"
    otp = OTPVerification.objects.get()
    assert (otp.attempts, otp.is_void, otp.is_verified) == (5, True, False)
    assert not User.objects.get().is_verified
    assert ActivityLog.objects.filter(action="auth.otp_failed").count() == 5


def test_expired_code_is_refused(api, latest_code):
    register(api)
    OTPVerification.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = verify(api, latest_code(PHONE))
    assert response.status_code == 400
    assert response.json()["code"] == "otp_expired"
    assert not User.objects.get().is_verified


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", None])
def test_malformed_code_is_a_validation_error(api, code):
    register(api)
    response = verify(api, code)
    assert response.status_code == 400
    assert "otp_code" in response.json()["details"]
    assert OTPVerification.objects.get().attempts == 0


def test_code_in_bengali_digits_is_accepted(api, latest_code):
    register(api)
    bengali = latest_code(PHONE).translate(str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯"))
    assert verify(api, bengali).status_code == 200


def test_verify_for_an_unknown_phone_is_a_plain_invalid_code(api):
    response = verify(api, "123456", phone="01999999999")
    assert response.status_code == 400
    assert response.json()["code"] == "otp_invalid"


# --- resend -------------------------------------------------------------------------------------
def test_resend_has_a_cooldown_with_retry_after(api, latest_code):
    register(api)
    first = latest_code(PHONE)

    too_soon = api.post("/api/v1/auth/resend-otp/", {"phone": PHONE}, format="json")
    assert too_soon.status_code == 429
    assert too_soon.json()["code"] == "otp_cooldown"
    assert 1 <= int(too_soon["Retry-After"]) <= 60
    assert SandboxSms.objects.count() == 1

    age_otps(PHONE)
    again = api.post(
        "/api/v1/auth/resend-otp/", {"phone": PHONE, "purpose": "registration"}, format="json"
    )
    assert again.status_code == 200
    assert again.json()["otp_sent"] is True
    assert SandboxSms.objects.count() == 2
    second = latest_code(PHONE)
    if second != first:
        assert verify(api, first).status_code == 400
    assert verify(api, second).status_code == 200


def test_at_most_five_texts_per_phone_per_hour(api):
    register(api)
    for _ in range(4):
        age_otps(PHONE)
        assert (
            api.post("/api/v1/auth/resend-otp/", {"phone": PHONE}, format="json").status_code == 200
        )
    age_otps(PHONE)

    sixth = api.post("/api/v1/auth/resend-otp/", {"phone": PHONE}, format="json")

    assert sixth.status_code == 429
    assert sixth.json()["code"] == "otp_hourly_limit"
    assert int(sixth["Retry-After"]) > 60
    assert SandboxSms.objects.count() == 5


def test_resend_for_a_verified_or_unknown_phone_is_refused(api):
    UserFactory(phone=PHONE)
    for phone in (PHONE, "01999999999"):
        response = api.post("/api/v1/auth/resend-otp/", {"phone": phone}, format="json")
        assert response.status_code == 400
        assert response.json()["code"] == "no_pending_registration"
    assert not SandboxSms.objects.exists()


# --- sign-in ------------------------------------------------------------------------------------
def test_login_returns_tokens_and_updates_last_login(api):
    user = UserFactory(phone=PHONE, password=REGISTRATION["password"])
    response = login(api, phone="01812345678")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "refresh_token", "user"}
    assert body["user"]["id"] == str(user.id)
    user.refresh_from_db()
    assert user.last_login is not None
    assert ActivityLog.objects.filter(user=user, action="auth.login").count() == 1


def test_login_with_wrong_password_is_401_and_logged(api):
    user = UserFactory(phone=PHONE)
    response = login(api, password="wrong-password")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    assert ActivityLog.objects.filter(user=user, action="auth.login_failed").count() == 1


def test_login_of_unknown_phone_is_the_same_401(api):
    response = login(api, phone="01999999999")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


def test_login_before_verification_is_403_not_verified(api):
    register(api)
    response = login(api)
    assert response.status_code == 403
    assert response.json()["code"] == "not_verified"


def test_login_of_a_deactivated_account_is_401(api):
    UserFactory(phone=PHONE, password=REGISTRATION["password"], is_active=False)
    assert login(api).status_code == 401


def test_sixth_login_attempt_in_a_minute_for_one_phone_is_throttled(api):
    UserFactory(phone=PHONE)
    for _ in range(5):
        assert login(api, password="nope-nope").status_code == 401
    response = login(api, password=DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert 1 <= int(response["Retry-After"]) <= 60


def test_login_attempts_from_one_ip_are_throttled_across_phones(api):
    for n in range(5):
        assert login(api, phone=f"0181234560{n}").status_code == 401
    response = login(api, phone="01812345699")
    assert response.status_code == 429
    assert "Retry-After" in response


def test_login_throttle_per_phone_holds_across_ips(api):
    UserFactory(phone=PHONE)
    for n in range(5):
        login(api, password="nope-nope", REMOTE_ADDR=f"10.0.0.{n}")
    assert login(api, REMOTE_ADDR="10.0.0.99").status_code == 429


# --- tokens -------------------------------------------------------------------------------------
def test_me_with_a_valid_token(api, latest_code):
    session = signed_up(api, latest_code)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {session['access_token']}")
    response = api.get("/api/v1/auth/me/")
    assert response.status_code == 200
    assert response.json()["phone"] == PHONE


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_tampered_and_unsigned_tokens_are_401(api, latest_code):
    session = signed_up(api, latest_code)
    header, payload, signature = session["access_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["user_type"] = "super_admin"
    forged = f"{header}.{_b64(claims)}.{signature}"
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    garbage = "not.a.token"

    for token in (forged, unsigned, garbage):
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        response = api.get("/api/v1/auth/me/")
        assert response.status_code == 401, token
        assert response.json()["code"] in {"token_not_valid", "authentication_failed"}


def test_expired_access_token_is_401(api, citizen):
    token = AccessToken.for_user(citizen)
    token.set_exp(lifetime=-timedelta(seconds=1))
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/auth/me/").status_code == 401


def test_me_without_a_token_is_401(api):
    response = api.get("/api/v1/auth/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_refresh_rotates_and_the_old_token_stops_working(api, latest_code):
    session = signed_up(api, latest_code)
    old = session["refresh_token"]

    rotated = api.post("/api/v1/auth/refresh/", {"refresh": old}, format="json")
    assert rotated.status_code == 200
    pair = rotated.json()
    assert set(pair) == {"access", "refresh"}
    assert AccessToken(pair["access"])["user_type"] == "citizen"

    replay = api.post("/api/v1/auth/refresh/", {"refresh": old}, format="json")
    assert replay.status_code == 401
    assert replay.json()["code"] == "token_not_valid"
    assert (
        api.post("/api/v1/auth/refresh/", {"refresh": pair["refresh"]}, format="json").status_code
        == 200
    )


def test_refresh_with_garbage_is_401_and_missing_is_400(api):
    assert api.post("/api/v1/auth/refresh/", {"refresh": "abc"}, format="json").status_code == 401
    assert api.post("/api/v1/auth/refresh/", {}, format="json").status_code == 400


def test_logout_ends_the_session(api, latest_code):
    session = signed_up(api, latest_code)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {session['access_token']}")

    response = api.post(
        "/api/v1/auth/logout/", {"refresh_token": session["refresh_token"]}, format="json"
    )

    assert response.status_code == 200
    assert api.get("/api/v1/auth/me/").status_code == 401
    api.credentials()
    refresh = api.post(
        "/api/v1/auth/refresh/", {"refresh": session["refresh_token"]}, format="json"
    )
    assert refresh.status_code == 401
    assert ActivityLog.objects.filter(action="auth.logout").count() == 1


def test_logout_with_another_users_refresh_token_is_refused(api, latest_code):
    session = signed_up(api, latest_code)
    other = UserFactory()
    api.as_user(other)
    response = api.post(
        "/api/v1/auth/logout/", {"refresh": session["refresh_token"]}, format="json"
    )
    assert response.status_code == 400
    api.credentials()
    assert (
        api.post(
            "/api/v1/auth/refresh/", {"refresh": session["refresh_token"]}, format="json"
        ).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"refresh_token": "garbage"}, "token_not_valid"),
        (
            {"refresh": "eyJhbGciOiJIUzI1NiJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCJ9.bm9wZQ"},
            "token_not_valid",
        ),
        ({}, "validation_error"),
    ],
    ids=["garbage", "forged", "missing"],
)
def test_logout_with_a_bad_refresh_token_still_ends_the_access_token(api, latest_code, body, code):
    session = signed_up(api, latest_code)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {session['access_token']}")

    response = api.post("/api/v1/auth/logout/", body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["details"] == {"refresh_token": [response.json()["error"]]}
    assert api.get("/api/v1/auth/me/").status_code == 401
    assert ActivityLog.objects.filter(action="auth.logout").count() == 1
    api.credentials()  # the refresh token it did not name still works: nothing was blacklisted
    refresh = api.post("/api/v1/auth/refresh/", {"refresh": session["refresh_token"]})
    assert refresh.status_code == 200


def test_logout_with_another_users_refresh_token_ends_only_the_callers_access(api, latest_code):
    session = signed_up(api, latest_code)
    other = tokens_for_user(UserFactory())
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {other['access']}")

    response = api.post(
        "/api/v1/auth/logout/", {"refresh_token": session["refresh_token"]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "token_not_valid"
    assert api.get("/api/v1/auth/me/").status_code == 401  # the caller's own access token
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {session['access_token']}")
    assert api.get("/api/v1/auth/me/").status_code == 200  # the other session is untouched


def test_logout_requires_a_token(api):
    assert (
        api.post("/api/v1/auth/logout/", {"refresh_token": "x"}, format="json").status_code == 401
    )


# --- passwords ----------------------------------------------------------------------------------
def test_change_password_revokes_other_sessions(api, latest_code):
    first = signed_up(api, latest_code)
    second = login(api).json()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {first['access_token']}")

    wrong = api.put(
        "/api/v1/auth/change-password/",
        {"current_password": "wrong", "new_password": "Brand-new-pass-9"},
        format="json",
    )
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "wrong_password"

    response = api.put(
        "/api/v1/auth/change-password/",
        {"current_password": REGISTRATION["password"], "new_password": "Brand-new-pass-9"},
        format="json",
    )
    assert response.status_code == 200
    fresh = response.json()

    for session in (first, second):
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {session['access_token']}")
        assert api.get("/api/v1/auth/me/").status_code == 401
        api.credentials()
        old_refresh = api.post(
            "/api/v1/auth/refresh/", {"refresh": session["refresh_token"]}, format="json"
        )
        assert old_refresh.status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {fresh['access_token']}")
    assert api.get("/api/v1/auth/me/").status_code == 200
    api.credentials()
    assert login(api, password="Brand-new-pass-9").status_code == 200
    assert login(api).status_code == 401


def test_change_password_validates_the_new_password(api, citizen):
    api.as_user(citizen)
    response = api.put(
        "/api/v1/auth/change-password/",
        {"current_password": DEFAULT_PASSWORD, "new_password": "123"},
        format="json",
    )
    assert response.status_code == 400
    assert "password" in response.json()["details"]
    citizen.refresh_from_db()
    assert citizen.check_password(DEFAULT_PASSWORD)


def test_password_reset_never_reveals_whether_a_phone_is_registered(api):
    UserFactory(phone=PHONE)
    known = api.post("/api/v1/auth/password-reset/", {"phone": PHONE}, format="json")
    unknown = api.post("/api/v1/auth/password-reset/", {"phone": "01999999999"}, format="json")
    repeated = api.post(
        "/api/v1/auth/password-reset/", {"phone": PHONE}, format="json"
    )  # in cooldown

    assert known.status_code == unknown.status_code == repeated.status_code == 200
    assert known.json() == unknown.json() == repeated.json()
    assert SandboxSms.objects.filter(phone=PHONE).count() == 1
    assert not SandboxSms.objects.filter(phone="+8801999999999").exists()


def test_password_reset_confirm_sets_the_password_and_ends_sessions(api, latest_code):
    user = UserFactory(phone=PHONE)
    api.as_user(user)
    assert api.get("/api/v1/auth/me/").status_code == 200
    api.credentials()
    api.post("/api/v1/auth/password-reset/", {"phone": "01812345678"}, format="json")

    response = api.post(
        "/api/v1/auth/password-reset/confirm/",
        {"phone": PHONE, "otp_code": latest_code(PHONE), "new_password": "Reset-pass-2026"},
        format="json",
    )

    assert response.status_code == 200
    assert login(api, password="Reset-pass-2026").status_code == 200
    api.as_user(user)  # a token minted before the reset carries the old password hash
    user.refresh_from_db()
    assert ActivityLog.objects.filter(user=user, action="auth.password_reset").count() == 1


def test_password_reset_confirm_with_a_wrong_code_changes_nothing(api):
    UserFactory(phone=PHONE)
    api.post("/api/v1/auth/password-reset/", {"phone": PHONE}, format="json")
    response = api.post(
        "/api/v1/auth/password-reset/confirm/",
        {"phone": PHONE, "code": "000000", "new_password": "Reset-pass-2026"},
        format="json",
    )
    if response.status_code == 200:  # one in a million: the code really was 000000
        pytest.skip("random code collided with the guess")
    assert response.status_code == 400
    assert login(api, password=DEFAULT_PASSWORD).status_code == 200


def test_password_reset_code_is_not_a_registration_code(api, latest_code):
    register(api)
    code = latest_code(PHONE)
    response = api.post(
        "/api/v1/auth/password-reset/confirm/",
        {"phone": PHONE, "otp_code": code, "new_password": "Reset-pass-2026"},
        format="json",
    )
    assert response.status_code == 400


# --- malformed bodies ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "register/",
        "verify-otp/",
        "resend-otp/",
        "login/",
        "refresh/",
        "password-reset/",
        "password-reset/confirm/",
    ],
)
@pytest.mark.parametrize("body", ['{"phone": ', "[1, 2, 3]", '"just a string"', "null", "\x00\xff"])
def test_garbage_bodies_are_400_never_500(api, path, body):
    response = api.generic("POST", f"/api/v1/auth/{path}", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert set(response.json()) == {"error", "code", "details"}


def test_wrong_types_are_400(api):
    response = api.post(
        "/api/v1/auth/register/",
        {"name": {"a": 1}, "phone": ["017"], "password": 5},
        format="json",
    )
    assert response.status_code == 400
    assert {"name", "phone"} <= set(response.json()["details"])


# --- language -----------------------------------------------------------------------------------
def test_messages_follow_accept_language(api):
    english = login(api, phone="01999999999", HTTP_ACCEPT_LANGUAGE="en")
    bengali = login(api, phone="01999999998", HTTP_ACCEPT_LANGUAGE="bn")
    default = login(api, phone="01999999997")

    assert english.json()["error"] == "Wrong phone number or password."
    assert bengali.json()["error"] == default.json()["error"]
    assert bengali.json()["error"] != english.json()["error"]
    assert any("\u0980" <= ch <= "\u09ff" for ch in bengali.json()["error"])


def test_the_alias_prefix_serves_the_same_routes(api):
    response = api.post("/api/auth/register/", REGISTRATION, format="json")
    assert response.status_code == 201


# --- review fixes -------------------------------------------------------------------------------
def test_reset_confirm_answers_a_weak_password_the_same_for_any_phone(api):
    UserFactory(phone=PHONE)
    body = {"otp_code": "123456", "new_password": "123"}
    known = api.post(
        "/api/v1/auth/password-reset/confirm/", {**body, "phone": PHONE}, format="json"
    )
    unknown = api.post(
        "/api/v1/auth/password-reset/confirm/", {**body, "phone": "01999999999"}, format="json"
    )
    assert known.status_code == unknown.status_code == 400
    assert known.json() == unknown.json()
    assert "password" in known.json()["details"]


def test_the_otp_never_travels_in_the_clear_to_the_broker(api, monkeypatch):
    from apps.notifications import tasks

    sent = []
    monkeypatch.setattr(tasks.sms_deliver, "delay", lambda **kwargs: sent.append(kwargs))
    register(api)
    assert len(sent) == 1
    assert set(sent[0]) == {"phone", "sealed_text", "csms_id"}
    from core.crypto import unseal

    code = re.search(r"(?<!\d)\d{6}(?!\d)", unseal(sent[0]["sealed_text"])).group(0)
    assert code not in sent[0]["sealed_text"]


def test_a_tampered_sealed_text_is_dropped_not_sent():
    from apps.notifications.tasks import sms_deliver

    assert (
        sms_deliver.apply(
            kwargs={"phone": PHONE, "sealed_text": "not-a-token", "csms_id": "x1"}
        ).get()
        is None
    )
    assert not SandboxSms.objects.exists()


def test_otp_purge_removes_codes_expired_over_a_day_ago(api):
    from apps.authentication.tasks import otp_purge_expired

    register(api)
    OTPVerification.objects.update(expires_at=timezone.now() - timedelta(days=2))
    UserFactory(phone="+8801812345670")
    api.post("/api/v1/auth/password-reset/", {"phone": "+8801812345670"}, format="json")
    assert otp_purge_expired.apply().get() == 1
    assert OTPVerification.objects.count() == 1
