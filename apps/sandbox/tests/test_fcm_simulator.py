"""The FCM simulator speaks Google's contract: OAuth2 JWT-bearer tokens and v1 messages:send."""

import json
import time

import jwt
import pytest

from apps.notifications.push import PushError
from apps.notifications.push import fcm as push_fcm
from apps.notifications.tests.factories import DeviceTokenFactory
from apps.notifications.tests.fcm_keys import CLIENT_EMAIL, TOKEN_URI, key_pair
from apps.sandbox import fcm as sandbox_fcm
from apps.sandbox.fcm import SANDBOX_BEARER, fcm_send
from apps.sandbox.models import SandboxPush

pytestmark = pytest.mark.django_db

TOKEN = "/sandbox/fcm/token"
SEND = "/sandbox/fcm/v1/projects/clean-care-test/messages:send"
OUTBOX = "/sandbox/push/outbox/"
GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
DEVICE = "fcm-device-0001:APA91bXyZ"


@pytest.fixture(autouse=True)
def _simulator_checks_signatures(settings):
    settings.SANDBOX_FCM_PUBLIC_KEY = key_pair()[1]


def assertion(*, key: str | None = None, algorithm: str = "RS256", **claims) -> str:
    now = int(time.time())
    payload = {"iss": CLIENT_EMAIL, "scope": SCOPE, "aud": TOKEN_URI, "iat": now, "exp": now + 3600}
    payload.update(claims)
    return jwt.encode(payload, key or key_pair()[0], algorithm=algorithm)


def access_token(client) -> str:
    response = client.post(TOKEN, {"grant_type": GRANT, "assertion": assertion()})
    return response.json()["access_token"]


def message(**overrides) -> dict:
    body = {
        "token": DEVICE,
        "notification": {"title": "অভিযোগ হালনাগাদ", "body": "প্রক্রিয়াধীন"},
        "data": {"complaint_id": "c1", "kind": "complaint.status_changed"},
    }
    return {"message": {**body, **overrides}}


def post_send(client, body, bearer):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {bearer}"} if bearer else {}
    return client.post(SEND, data=json.dumps(body), content_type="application/json", **headers)


# ---------------------------------------------------------------------------------------------
# OAuth2 token endpoint
# ---------------------------------------------------------------------------------------------
def test_a_signed_assertion_gets_an_access_token(client):
    response = client.post(TOKEN, {"grant_type": GRANT, "assertion": assertion()})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "expires_in", "token_type"}
    assert (body["expires_in"], body["token_type"]) == (3599, "Bearer")
    assert body["access_token"].startswith("ya29.sandbox.")


@pytest.mark.parametrize(
    ("form", "error", "description"),
    [
        pytest.param(
            {"grant_type": "client_credentials"}, "unsupported_grant_type", "", id="grant-type"
        ),
        pytest.param(
            {"grant_type": GRANT, "assertion": assertion(key=key_pair("stranger")[0])},
            "invalid_grant",
            "Invalid JWT Signature.",
            id="wrong-key",
        ),
        pytest.param(
            {"grant_type": GRANT, "assertion": assertion(algorithm="HS256", key="x" * 32)},
            "invalid_grant",
            "Invalid JWT Signature.",
            id="not-rs256",
        ),
        pytest.param(
            {"grant_type": GRANT, "assertion": "not.a.jwt"}, "invalid_request", "", id="garbage"
        ),
        pytest.param(
            {"grant_type": GRANT, "assertion": assertion(exp=int(time.time()) + 7200)},
            "invalid_grant",
            "short-lived",
            id="too-long-lived",
        ),
        pytest.param(
            {"grant_type": GRANT, "assertion": assertion(iat=int(time.time()) - 7200)},
            "invalid_grant",
            "short-lived",
            id="expired",
        ),
        pytest.param(
            {"grant_type": GRANT, "assertion": assertion(scope="https://example.com/other")},
            "invalid_scope",
            "",
            id="scope",
        ),
        pytest.param(
            {"grant_type": GRANT, "assertion": assertion(aud="https://oauth2.example/token")},
            "invalid_grant",
            "aud",
            id="audience",
        ),
    ],
)
def test_bad_token_requests_get_googles_oauth_errors(client, form, error, description):
    response = client.post(TOKEN, form)

    assert response.status_code == 400
    assert response.json()["error"] == error
    assert description in response.json()["error_description"]


def test_without_a_configured_public_key_the_signature_is_not_checked(client, settings):
    settings.SANDBOX_FCM_PUBLIC_KEY = ""
    form = {"grant_type": GRANT, "assertion": assertion(key=key_pair("stranger")[0])}

    assert client.post(TOKEN, form).status_code == 200


# ---------------------------------------------------------------------------------------------
# messages:send
# ---------------------------------------------------------------------------------------------
def test_send_with_an_issued_token_answers_the_message_name_and_stores_it(client):
    response = post_send(client, message(), access_token(client))

    assert response.status_code == 200
    row = SandboxPush.objects.get()
    assert response.json() == {"name": row.message_id}
    assert row.message_id.startswith("projects/clean-care-test/messages/0:")
    assert (row.token, row.title, row.body, row.data) == (
        DEVICE,
        "অভিযোগ হালনাগাদ",
        "প্রক্রিয়াধীন",
        {"complaint_id": "c1", "kind": "complaint.status_changed"},
    )


@pytest.mark.parametrize("bearer", [None, "ya29.never-issued"])
def test_send_without_a_valid_bearer_is_401_unauthenticated(client, bearer):
    response = post_send(client, message(), bearer)

    assert response.status_code == 401
    assert response.json()["error"]["status"] == "UNAUTHENTICATED"
    assert response.json()["error"]["code"] == 401
    assert not SandboxPush.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({"msg": {}}, "message", id="no-message"),
        pytest.param(message(token=""), "message.token", id="no-token"),
        pytest.param(message(topic="news"), "message.token", id="two-targets"),
        pytest.param(message(badge=1), "message.badge", id="unknown-field"),
        pytest.param(message(notification={"title": 5}), "message.notification", id="title-type"),
        pytest.param(message(data={"count": 12}), "message.data[0].value", id="data-not-string"),
        pytest.param(message(data={"google.x": "1"}), "message.data[0].key", id="reserved-key"),
        pytest.param(message(token="t" * 513), "message.token", id="token-too-long"),
        pytest.param(
            message(notification={"title": "ক" * 501, "body": "b"}),
            "message.notification.title",
            id="title-too-long",
        ),
    ],
)
def test_malformed_sends_are_400_invalid_argument_naming_the_field(client, body, field):
    response = post_send(client, body, SANDBOX_BEARER)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == "INVALID_ARGUMENT"
    [violation] = error["details"][0]["fieldViolations"]
    assert violation["field"] == field
    assert not SandboxPush.objects.exists()


def test_the_longest_token_and_title_the_outbox_holds_are_accepted():
    body = message(token="t" * 512, notification={"title": "ক" * 500, "body": "b"})

    answer_status, _reply = fcm_send("p", body, SANDBOX_BEARER)

    assert answer_status == 200
    assert len(SandboxPush.objects.get().title) == 500


def test_a_token_too_long_reads_as_a_dead_token_to_our_client():
    answer_status, reply = fcm_send("p", message(token="t" * 513), SANDBOX_BEARER)

    with pytest.raises(PushError) as error:
        push_fcm.parse_send_response(answer_status, reply)

    assert (error.value.code, error.value.token_invalid) == ("INVALID_ARGUMENT", True)


def test_a_project_id_too_long_is_404_not_a_database_error():
    answer_status, reply = fcm_send("p" * 101, message(), SANDBOX_BEARER)

    assert (answer_status, reply["error"]["status"]) == (404, "NOT_FOUND")
    assert not SandboxPush.objects.exists()


def test_the_simulator_uses_the_clients_definitions_of_googles_wire_constants():
    for name in ("FCM_ERROR_TYPE", "BAD_REQUEST_TYPE", "GRANT_TYPE"):
        assert getattr(sandbox_fcm, name) is getattr(push_fcm, name), name


def test_a_body_that_is_not_json_is_400(client):
    response = client.post(
        SEND,
        data=b"{",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {SANDBOX_BEARER}",
    )

    assert response.status_code == 400
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"


@pytest.mark.parametrize(
    ("prefix", "http_status", "status", "fcm_code"),
    [
        ("unregistered-", 404, "NOT_FOUND", "UNREGISTERED"),
        ("invalid-", 400, "INVALID_ARGUMENT", "INVALID_ARGUMENT"),
        ("unavailable-", 503, "UNAVAILABLE", "UNAVAILABLE"),
        ("quota-", 429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED"),
        ("internal-", 500, "INTERNAL", "INTERNAL"),
    ],
)
def test_token_knobs_answer_fcms_errors(prefix, http_status, status, fcm_code):
    answer_status, body = fcm_send("p", message(token=prefix + "phone"), SANDBOX_BEARER)

    assert answer_status == http_status
    assert body["error"]["status"] == status
    assert body["error"]["details"] == [
        {"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": fcm_code}
    ]
    assert not SandboxPush.objects.exists()


# ---------------------------------------------------------------------------------------------
# Outbox
# ---------------------------------------------------------------------------------------------
def test_the_outbox_lists_pushes_by_token_or_by_the_user_owning_the_tokens(client):
    mine = DeviceTokenFactory(token="fcm-mine")
    DeviceTokenFactory(user=mine.user, token="fcm-mine-tablet", platform="web")
    for token in ("fcm-mine", "fcm-mine-tablet", "fcm-someone-else"):
        fcm_send("p", message(token=token), SANDBOX_BEARER)

    by_user = client.get(OUTBOX, {"user": str(mine.user_id)}).json()
    by_token = client.get(OUTBOX, {"token": "fcm-someone-else"}).json()

    assert by_user["count"] == 2
    assert {r["token"] for r in by_user["results"]} == {"fcm-mine", "fcm-mine-tablet"}
    assert set(by_user["results"][0]) == {
        "id",
        "token",
        "title",
        "body",
        "data",
        "message_id",
        "created_at",
    }
    assert [r["token"] for r in by_token["results"]] == ["fcm-someone-else"]


@pytest.mark.parametrize("query", [{}, {"user": "not-a-uuid"}])
def test_the_outbox_needs_a_user_id_or_a_token(client, query):
    response = client.get(OUTBOX, query)

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
