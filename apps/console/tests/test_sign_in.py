"""Console sign-in: staff only, throttled like the API, audited, CSRF enforced, logout by POST."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from apps.authentication.services import accounts
from apps.complaints.tests.factories import ComplaintFactory
from apps.users.models import ActivityAction, ActivityLog
from apps.users.tests.factories import DEFAULT_PASSWORD, UserFactory

from .conftest import Console

LOGIN = "/console/login/"


def sign_in(client, phone, password=DEFAULT_PASSWORD, **extra):
    return client.post(LOGIN, {"phone": phone, "password": password}, **extra)


def session_user(client):
    return client.session.get("_auth_user_id")


@pytest.mark.parametrize(
    ("role", "home"),
    [("admin", "/console/"), ("super_admin", "/console/"), ("service_provider", "/console/work/")],
)
def test_staff_sign_in_starts_a_session_and_is_audited(db, console, role, home):
    user = UserFactory(user_type=role)

    response = sign_in(console, user.phone)

    assert response.status_code == 302
    assert response["Location"] == home
    assert session_user(console) == str(user.pk)
    row = ActivityLog.objects.get(action=ActivityAction.LOGIN)
    assert (row.user, row.details) == (user, {"channel": "console"})
    assert console.get("/console/").status_code == 200


def test_sign_in_accepts_the_local_spelling_of_the_phone(db, console):
    user = UserFactory(user_type="admin", phone="+8801911000777")
    assert sign_in(console, "01911000777").status_code == 302
    assert session_user(console) == str(user.pk)


def test_a_citizen_is_refused_with_a_clear_message_and_no_session(db, console):
    citizen = UserFactory()

    response = sign_in(console, citizen.phone)

    assert response.status_code == 200
    assert "The console is for city staff" in response.content.decode()
    assert session_user(console) is None
    row = ActivityLog.objects.get()
    assert row.action == ActivityAction.LOGIN_FAILED
    assert row.user == citizen
    assert row.details["reason"] == "not_staff"


def test_wrong_password_and_inactive_staff_are_refused_and_audited(db, console):
    admin = UserFactory(user_type="admin")
    retired = UserFactory(user_type="admin", is_active=False)

    wrong = sign_in(console, admin.phone, "not-the-password")
    inactive = sign_in(console, retired.phone)

    for response in (wrong, inactive):
        assert response.status_code == 200
        assert "Wrong phone number or password." in response.content.decode()
    assert session_user(console) is None
    assert list(ActivityLog.objects.order_by("created_at").values_list("action", "user")) == [
        (ActivityAction.LOGIN_FAILED, admin.pk),
        (ActivityAction.LOGIN_FAILED, retired.pk),
    ]


def test_sign_in_returns_to_a_local_next_but_never_to_another_host(db, console):
    admin = UserFactory(user_type="admin")
    complaint_url = f"/console/complaints/{ComplaintFactory().pk}/"
    response = console.post(
        f"{LOGIN}?next={complaint_url}",
        {"phone": admin.phone, "password": DEFAULT_PASSWORD, "next": complaint_url},
    )
    assert response["Location"] == complaint_url

    other = Console()
    response = other.post(
        LOGIN, {"phone": admin.phone, "password": DEFAULT_PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/console/"


def test_five_attempts_a_minute_per_phone_then_a_clear_refusal(db, console):
    admin = UserFactory(user_type="admin")
    for _ in range(5):
        assert sign_in(console, admin.phone, "wrong").status_code == 200

    # From another address, with the right password: the phone's budget is spent.
    response = sign_in(Console(), admin.phone, REMOTE_ADDR="10.0.0.9")

    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert ActivityLog.objects.filter(action=ActivityAction.LOGIN).count() == 0
    assert ActivityLog.objects.filter(action=ActivityAction.LOGIN_FAILED).count() == 5


def test_five_attempts_a_minute_per_address_across_phones(db, console):
    for n in range(5):
        sign_in(console, f"+88019110099{n:02d}", "wrong")
    admin = UserFactory(user_type="admin")

    response = sign_in(console, admin.phone)

    assert response.status_code == 429
    assert session_user(console) is None


def test_the_console_and_the_api_share_one_sign_in_budget(db, console, api):
    admin = UserFactory(user_type="admin")
    for _ in range(5):
        api.post("/api/v1/auth/login/", {"phone": admin.phone, "password": "wrong"}, format="json")

    assert sign_in(Console(), admin.phone, REMOTE_ADDR="10.0.0.8").status_code == 429


def test_csrf_is_enforced_on_sign_in(db):
    admin = UserFactory(user_type="admin")
    client = Client(enforce_csrf_checks=True)

    refused = sign_in(client, admin.phone)
    assert refused.status_code == 403
    assert session_user(client) is None

    page = client.get(LOGIN)
    token = page.cookies["csrftoken"].value
    accepted = client.post(
        LOGIN,
        {"phone": admin.phone, "password": DEFAULT_PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert accepted.status_code == 302
    assert session_user(client) == str(admin.pk)


def test_logout_needs_a_post_and_ends_the_session(db, console_as):
    admin = UserFactory(user_type="admin")
    client = console_as(admin)

    assert client.get("/console/logout/").status_code == 405
    assert session_user(client) == str(admin.pk)

    response = client.post("/console/logout/")
    assert response["Location"] == "/console/login/"
    assert session_user(client) is None
    assert ActivityLog.objects.filter(action=ActivityAction.LOGOUT, user=admin).count() == 1
    assert client.get("/console/")["Location"].startswith("/console/login/")


def test_password_change_keeps_this_session_and_checks_the_current_password(db, console_as):
    admin = UserFactory(user_type="admin")
    client = console_as(admin)

    wrong = client.post(
        "/console/password/",
        {"current_password": "nope", "new_password": "a-new-long-password-77"},
        follow=True,
    )
    assert "The current password is wrong." in wrong.content.decode()

    response = client.post(
        "/console/password/",
        {"current_password": DEFAULT_PASSWORD, "new_password": "a-new-long-password-77"},
    )
    assert response["Location"] == "/console/"
    admin.refresh_from_db()
    assert admin.check_password("a-new-long-password-77")
    assert client.get("/console/").status_code == 200  # still signed in
    assert ActivityLog.objects.filter(action=ActivityAction.PASSWORD_CHANGED).count() == 1


def test_pages_are_bengali_first_and_english_on_request(db, console):
    assert 'lang="bn"' in Client().get(LOGIN).content.decode()
    english = console.get(LOGIN)
    assert 'lang="en"' in english.content.decode()
    assert "Sign in to the staff console" in english.content.decode()
    assert (
        "unsafe-inline"
        not in english["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )


def test_the_language_button_switches_to_english_and_back(db, console_as):
    admin = UserFactory(user_type="admin")
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    page = client.get("/console/")
    assert 'lang="bn"' in page.content.decode()
    token = client.cookies["csrftoken"].value

    response = client.post(
        "/console/language/",
        {"language": "en", "next": "/console/?status=submitted", "csrfmiddlewaretoken": token},
    )

    assert response["Location"] == "/console/?status=submitted"
    assert 'lang="en"' in client.get("/console/").content.decode()
    client.post("/console/language/", {"language": "bn", "csrfmiddlewaretoken": token})
    assert 'lang="bn"' in client.get("/console/").content.decode()


def test_signing_out_tells_the_sockets_after_the_session_is_gone(console_as, cast, monkeypatch):
    """Sockets opened with the session cookie check it again when told; the session must be
    gone by then, or they would find it standing and stay open."""
    client = console_as(cast.ward_admin)
    key = client.session.session_key
    told = []
    monkeypatch.setattr(
        accounts,
        "sockets_recheck",
        lambda user_id: told.append((user_id, SessionStore().exists(key))),
    )

    client.post("/console/logout/")

    assert told == [(cast.ward_admin.pk, False)]


@pytest.mark.parametrize(
    ("data", "missing"),
    [({}, ["Phone number", "Password"]), ({"phone": "01712345678"}, ["Password"])],
)
def test_an_empty_sign_in_form_says_which_fields_are_missing(db, console, data, missing):
    response = console.post("/console/login/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    for label in missing:
        assert f"{label}: This field is required." in page
    assert session_user(console) is None
