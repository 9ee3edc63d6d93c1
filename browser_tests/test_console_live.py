"""The console's live screens in Chromium against a real ASGI server (uvicorn, WebSockets on).

Django's live_server speaks WSGI only, so these tests start uvicorn (core.testing_servers) on a
SQLite file of their own, migrated and given the demo accounts by manage.py; everything then
happens as people do it: the ward admin in the browser, the citizen through the API.
"""

import os
import re
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import httpx
import pytest

from browser_tests.test_public_pages import serious_violations
from core.testing_servers import ROOT, uvicorn_processes

PASSWORD = "demo-password-42"
WARD_ADMIN = "01700000002"
CITIZEN = "+8801700000010"
ADMIN_NAME = "ওয়ার্ড অ্যাডমিন (Ward Admin)"
PHONE = {"width": 360, "height": 740}


def manage(env, *args):
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


@pytest.fixture(scope="module")
def site():
    """One uvicorn process serving HTTP and WebSockets on a fresh SQLite file with the demo
    accounts; its in-memory channel layer carries the staff feed inside the process."""
    with tempfile.TemporaryDirectory(prefix="cc-live-") as folder:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")
        }
        env.update(
            DJANGO_SETTINGS_MODULE="clean_care.settings.test",
            SQLITE_PATH=str(Path(folder) / "live.sqlite3"),
        )
        manage(env, "migrate", "-v0")
        manage(
            env,
            "shell",
            "-c",
            f"from apps.users.demo import demo_accounts_load as load; load(password='{PASSWORD}')",
        )
        with uvicorn_processes(1, env=env) as (server,):
            yield server


@pytest.fixture(scope="module")
def citizen_api(site):
    """An HTTP client signed in as the demo citizen through the API's own login (once: the
    console and the API share one sign-in budget per address)."""
    with httpx.Client(base_url=site.http_url, timeout=30) as client:
        answer = client.post("/api/v1/auth/login/", json={"phone": CITIZEN, "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        client.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
        yield client


@pytest.fixture(scope="module")
def admin_session(browser, site):
    """The demo ward admin's console session (cookies), signed in once through the form."""
    context = browser.new_context(locale="bn-BD")
    page = context.new_page()
    page.goto(f"{site.http_url}/console/")
    page.fill("input[name=phone]", WARD_ADMIN)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]:has-text('সাইন ইন')")
    page.wait_for_url("**/console/")
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture
def admin_page(browser, site, admin_session):
    """A fresh page of the signed-in ward admin on the queue; every host it talks to is kept."""
    context = browser.new_context(
        locale="bn-BD", viewport={"width": 1280, "height": 900}, storage_state=admin_session
    )
    page = context.new_page()
    page.hosts = set()
    page.on("request", lambda request: page.hosts.add(request.url.split("/")[2]))
    page.goto(f"{site.http_url}/console/")
    yield page
    context.close()


def at_360(page, artifacts, name):
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(artifacts / f"console-live-{name}-360.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert width <= PHONE["width"], f"{name} scrolls sideways at 360 px ({width} px)"


def test_an_emergency_raised_by_a_citizen_appears_live_and_the_admin_takes_it(
    site, admin_page, citizen_api, artifacts
):
    page = admin_page
    page.goto(f"{site.http_url}/console/emergencies/")
    page.wait_for_selector("#live-status:not([hidden])")
    assert page.inner_text("#live-status") == "সরাসরি: নতুন জরুরি অনুরোধ এখানে নিজে থেকেই দেখা যাবে।"
    page.click("#sound-toggle")
    assert page.get_attribute("#sound-toggle", "aria-pressed") == "true"
    assert page.evaluate("localStorage.getItem('console-sound')") == "on"
    page.screenshot(path=str(artifacts / "console-live-board-empty.png"), full_page=True)
    page.evaluate("window.stillTheSamePage = true")

    raised = citizen_api.post(
        "/api/v1/emergency/",
        json={
            "emergency_type": "fire",
            "description": "রান্নাঘরে আগুন লেগেছে",
            "location": "বাড়ি ১২, রোড ৩, বাসাবো",
            "ward_number": "5",
        },
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert raised.status_code == 201, raised.text
    emergency_id = raised.json()["id"]

    row = f'[data-emergency="{emergency_id}"]'
    page.wait_for_selector(row, timeout=15000)
    assert page.evaluate("window.stillTheSamePage") is True  # live, not reloaded
    assert page.is_visible("#live-alert")
    assert page.inner_text("#live-alert") == "নতুন জরুরি অনুরোধ!"
    assert "অগ্নিকাণ্ড" in page.inner_text(row)  # the type's label
    countdown = page.inner_text(f"{row} .countdown")
    assert re.fullmatch(r"কেউ দায়িত্ব না নিলে উচ্চ পর্যায়ে যাবে: (5:00|4:[0-5]\d)", countdown)
    page.screenshot(path=str(artifacts / "console-live-board-alert.png"), full_page=True)
    assert serious_violations(page) == []
    at_360(page, artifacts, "board")

    page.click(f"{row} button.take")
    page.wait_for_selector(f"{row} .emergency-facts:has-text('{ADMIN_NAME}')")
    assert page.query_selector(f"{row} .countdown") is None  # taken: no escalation ahead
    seen = citizen_api.get(f"/api/v1/emergency/{emergency_id}/").json()
    assert seen["assigned_to_name"] == ADMIN_NAME

    page.click(f"{row} .emergency-title a")
    page.wait_for_selector("#current-status[data-status=submitted]")
    page.select_option("select[name=status]", "in_progress")
    page.fill("input[name=comment]", "দমকল বাহিনী পথে")
    page.click("button:has-text('অবস্থা সংরক্ষণ করুন')")
    page.wait_for_selector("#current-status[data-status=in_progress]")
    assert "দমকল বাহিনী পথে" in page.inner_text("ol.history")
    page.screenshot(path=str(artifacts / "console-live-emergency.png"), full_page=True)
    assert serious_violations(page) == []
    at_360(page, artifacts, "emergency")
    assert citizen_api.get(f"/api/v1/emergency/{emergency_id}/").json()["status_code"] == (
        "in_progress"
    )
    assert page.hosts <= {f"127.0.0.1:{site.port}"}


def test_a_chat_round_trip_between_a_citizen_and_the_console(
    site, admin_page, citizen_api, artifacts
):
    room = citizen_api.post("/api/v1/chat/rooms/", json={"subject": "ড্রেন"}).json()
    sent = citizen_api.post(
        f"/api/v1/chat/rooms/{room['id']}/messages/",
        json={"message": "আমাদের গলির ড্রেন উপচে পড়ছে", "message_type": "text"},
    )
    assert sent.status_code == 201, sent.text

    page = admin_page
    page.goto(f"{site.http_url}/console/chat/")
    entry = f'[data-room="{room["id"]}"]'
    assert "আমাদের গলির ড্রেন উপচে পড়ছে" in page.inner_text(entry)
    assert "1টি অপঠিত" in page.inner_text(entry)
    page.screenshot(path=str(artifacts / "console-live-inbox.png"), full_page=True)
    assert serious_violations(page) == []
    at_360(page, artifacts, "inbox")

    page.click(f"{entry} a")
    page.wait_for_selector("#chat-log")
    page.wait_for_selector("#live-status:not([hidden])")
    page.fill("textarea[name=message]", "কাল সকালে কর্মী যাবেন")
    page.click("#chat-form button[type=submit]")
    page.wait_for_selector("#chat-log .from-staff:has-text('কাল সকালে কর্মী যাবেন')")

    listed = citizen_api.get(f"/api/v1/chat/rooms/{room['id']}/messages/").json()["results"]
    assert (listed[0]["message"], listed[0]["sender_name"]) == (
        "কাল সকালে কর্মী যাবেন",
        ADMIN_NAME,
    )

    # The citizen writes again while the conversation is open: it appears without a reload.
    page.wait_for_selector("#live-status:not([hidden])")
    page.evaluate("window.stillTheSamePage = true")
    citizen_api.post(
        f"/api/v1/chat/rooms/{room['id']}/messages/",
        json={"message": "ধন্যবাদ", "message_type": "text"},
    )
    page.wait_for_selector("#chat-log .from-citizen:has-text('ধন্যবাদ')", timeout=15000)
    assert page.evaluate("window.stillTheSamePage") is True
    page.screenshot(path=str(artifacts / "console-live-room.png"), full_page=True)
    assert serious_violations(page) == []
    at_360(page, artifacts, "room")
    assert page.hosts <= {f"127.0.0.1:{site.port}"}


def test_the_queue_says_when_new_complaints_arrive(site, admin_page, citizen_api, artifacts):
    page = admin_page
    page.wait_for_selector("#queue-banner", state="attached")
    assert page.is_hidden("#queue-banner")
    page.wait_for_selector("html[data-live=on]", state="attached")  # the feed's socket is open
    filed = citizen_api.post(
        "/api/v1/complaints/",
        json={
            "ward_number": "5",
            "category": "waste",
            "priority": "medium",
            "title": "বাজারের পাশে ময়লা",
            "description": "কাঁচাবাজারের পেছনে ময়লা জমেছে",
            "location": "কাঁচাবাজার, রোড ৭",
        },
    )
    assert filed.status_code == 201, filed.text
    page.wait_for_selector("#queue-banner:visible", timeout=15000)
    page.screenshot(path=str(artifacts / "console-live-queue-banner.png"), full_page=True)
    assert serious_violations(page) == []
    page.click("#queue-banner a")
    page.wait_for_selector(f"text={filed.json()['tracking_number']}")
    assert page.is_hidden("#queue-banner")
