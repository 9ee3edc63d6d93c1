"""The staff console in a real browser: the ward admin moves a complaint, a citizen is refused."""

from urllib.parse import urlparse

import pytest

from apps.authentication.services import tokens_for_user
from apps.complaints.tests.factories import ComplaintFactory
from apps.users.demo import demo_accounts_load
from apps.users.models import User

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo-password-42"
WARD_ADMIN = "01700000002"
CITIZEN = "+8801700000010"


@pytest.fixture
def city(wards):
    demo_accounts_load(password=PASSWORD)
    citizen = User.objects.get(phone=CITIZEN)
    complaint = ComplaintFactory(
        user=citizen,
        ward_number="5",
        title="রাস্তার মোড়ে ময়লার স্তূপ",
        description="তিন দিন ধরে ময়লা তোলা হয়নি।",
        location="রোড ৪, ধানমন্ডি",
        latitude="23.74610000",
        longitude="90.37420000",
    )
    return citizen, complaint


def watch_requests(page):
    """Every request the page makes, loaded or not (a blocked outside load still counts)."""
    seen = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def sign_in(page, base, phone, password=PASSWORD):
    page.goto(f"{base}/console/")
    page.wait_for_url("**/console/login/**")
    page.fill("input[name=phone]", phone)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]:has-text('সাইন ইন')")


def test_the_ward_admin_moves_a_complaint_and_the_citizen_sees_it(
    page, live_server, artifacts, city
):
    citizen, complaint = city
    requests = watch_requests(page)
    base = live_server.url

    sign_in(page, base, WARD_ADMIN)
    page.wait_for_selector("table.queue")
    assert complaint.tracking_number in page.inner_text("table.queue")
    page.screenshot(path=str(artifacts / "console-queue.png"), full_page=True)

    page.click(f"text={complaint.tracking_number}")
    page.wait_for_selector("#current-status[data-status=submitted]")
    page.screenshot(path=str(artifacts / "console-complaint.png"), full_page=True)

    page.select_option("select[name=status]", "in_progress")
    page.fill("textarea[name=comment]", "কর্মী পাঠানো হয়েছে")
    page.click("button:has-text('অবস্থা সংরক্ষণ করুন')")
    page.wait_for_selector("#current-status[data-status=in_progress]")
    assert "কর্মী পাঠানো হয়েছে" in page.inner_text("ol.history")
    page.screenshot(path=str(artifacts / "console-complaint-moved.png"), full_page=True)

    answer = page.request.get(
        f"{base}/api/v1/complaints/{complaint.pk}/",
        headers={"Authorization": f"Bearer {tokens_for_user(citizen)['access']}"},
    )
    assert answer.status == 200
    assert answer.json()["status_code"] == "in_progress"

    # The same queue on a 360 px phone.
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{base}/console/?status=in_progress")
    assert complaint.tracking_number in page.inner_text("table.queue")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "console-queue-360.png"), full_page=True)

    hosts = {urlparse(url).hostname for url in requests}
    assert hosts == {urlparse(base).hostname}, hosts
    assert urlparse(base).hostname in {"127.0.0.1", "localhost"}


def test_a_citizen_is_refused(page, live_server, artifacts, city):
    requests = watch_requests(page)

    sign_in(page, live_server.url, CITIZEN)

    page.wait_for_selector("p.error")
    assert "কনসোলটি সিটি কর্পোরেশনের কর্মীদের জন্য" in page.inner_text("p.error")
    assert "/console/login/" in page.url
    page.screenshot(path=str(artifacts / "console-citizen-refused.png"), full_page=True)
    assert {urlparse(url).hostname for url in requests} == {urlparse(live_server.url).hostname}
