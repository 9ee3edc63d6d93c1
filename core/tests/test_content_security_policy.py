"""Every HTML page carries a Content-Security-Policy (issue 8.9)."""

import pytest
from django.conf import settings

from apps.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/docs/",
        "/api/redoc/",
        "/console/login/",
        "/api/v1/payments/result/",
        "/sandbox/bkash/pay/TR0011NOPE/",  # the sandbox's own (404) page is HTML too
    ],
)
def test_html_pages_carry_the_policy(client, path):
    response = client.get(path)
    assert response["Content-Type"].startswith("text/html")
    policy = response["Content-Security-Policy"]
    assert policy == settings.CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in policy  # no inline scripts anywhere


def test_the_admin_behind_the_login_carries_it(client):
    client.force_login(UserFactory(user_type="super_admin", is_staff=True, is_superuser=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response


def test_json_answers_need_none(api):
    assert "Content-Security-Policy" not in api.get("/api/health/")


def test_swagger_ui_starts_from_a_file_not_an_inline_script(client):
    html = client.get("/api/docs/").content.decode()
    assert "<script>" not in html
