"""What a person sees: the API docs render offline, an operator signs in to the admin."""

from urllib.parse import urlparse

import pytest

from apps.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_swagger_ui_renders_the_api_offline(page, live_server, artifacts):
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector("text=Clean Care Bangladesh API", timeout=20_000)
    page.wait_for_selector("#operations-tag-auth", timeout=20_000)
    page.screenshot(path=str(artifacts / "swagger.png"))

    # Swagger UI draws only the operations near the viewport (a long list is virtualised):
    # scroll down as a reader would until the operation shows.
    register = page.locator(".opblock-summary-path", has_text="/api/v1/auth/register/")
    for _ in range(60):
        if register.count():
            break
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(100)
    assert register.count() == 1
    assert page.hosts == {urlparse(live_server.url).netloc}  # no CDN, no outside host


def test_redoc_renders_offline(page, live_server):
    page.goto(f"{live_server.url}/api/redoc/")
    page.wait_for_selector("text=Clean Care Bangladesh API", timeout=20_000)
    assert page.hosts == {urlparse(live_server.url).netloc}


def test_super_admin_signs_in_to_the_admin_and_finds_a_citizen(page, live_server, artifacts):
    UserFactory(
        phone="+8801700000001",
        password="Admin-pass-2026",
        user_type="super_admin",
        is_staff=True,
        is_superuser=True,
    )
    UserFactory(phone="+8801812345678", name="Rahima Begum")

    page.goto(f"{live_server.url}/admin/")
    # The admin has no password form of its own: its door is the console's sign-in.
    assert "/console/login/" in page.url
    page.fill("input[name=phone]", "+8801700000001")
    page.fill("input[name=password]", "Admin-pass-2026")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")  # back where the operator was going
    page.goto(f"{live_server.url}/admin/users/user/?q=Rahima")
    page.wait_for_selector("text=+8801812345678")
    page.screenshot(path=str(artifacts / "admin-users.png"))
    assert page.locator("#result_list tbody tr").count() == 1
