"""The ward admin's board in a real browser: publishes a notice for their ward (the citizen's API
board shows it), reads the dashboard's charts, asks for a PDF report and downloads it."""

from urllib.parse import urlparse

import pytest

from apps.authentication.services import tokens_for_user
from apps.complaints.tests.factories import ComplaintFactory
from apps.users.demo import demo_accounts_load
from apps.users.models import User

from .test_console import CITIZEN, PASSWORD, WARD_ADMIN, sign_in, watch_requests
from .test_public_pages import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def city(wards):
    demo_accounts_load(password=PASSWORD)
    citizen = User.objects.get(phone=CITIZEN)
    ComplaintFactory(user=citizen, ward_number="5", title="ময়লার স্তূপ")
    ComplaintFactory(user=citizen, ward_number="5", category="রাস্তাঘাট", title="ভাঙা রাস্তা")
    ComplaintFactory(user=citizen, ward_number="7", title="নালা বন্ধ")
    return citizen


def shoot(page, artifacts, name):
    """The screen at desktop width and on a 360 px phone (nothing wider than the phone), and
    axe's serious and critical findings on it: none."""
    assert serious_violations(page) == [], name
    page.screenshot(path=str(artifacts / f"console-board-{name}.png"), full_page=True)
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    page.screenshot(path=str(artifacts / f"console-board-{name}-360.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def test_the_ward_admin_publishes_reads_the_figures_and_downloads_a_report(
    page, live_server, artifacts, city
):
    requests = watch_requests(page)
    base = live_server.url
    sign_in(page, base, WARD_ADMIN)
    page.wait_for_selector("table.queue")

    # Notices: a new one for ward 5.
    page.click("nav a[href='/console/notices/']")
    page.wait_for_selector("table.notices, p:has-text('নোটিশ')")
    page.click("a[href='/console/notices/new/']")
    page.wait_for_selector("form.notice-form")
    shoot(page, artifacts, "notice-new")
    page.fill("input[name=title]", "শনিবার মশার ওষুধ ছিটানো হবে")
    page.fill("textarea[name=content]", "সকাল ৭টা থেকে ৯টা পর্যন্ত ৫ নম্বর ওয়ার্ডে।")
    page.fill("input[name=category]", "স্বাস্থ্য")
    page.select_option("select[name=priority]", "high")
    page.check("input[name=target_wards][value='5']")
    page.fill("input[name=expires_at]", "2099-01-01T18:00")
    page.click("button:has-text('নোটিশ প্রকাশ করুন')")
    page.wait_for_selector("text=নোটিশ প্রকাশ করা হয়েছে।")
    row = page.locator("tr:has-text('শনিবার মশার ওষুধ ছিটানো হবে')")
    assert row.get_attribute("data-state") == "published"
    shoot(page, artifacts, "notices")

    board = page.request.get(
        f"{base}/api/v1/notices/",
        headers={"Authorization": f"Bearer {tokens_for_user(city)['access']}"},
    )
    assert board.status == 200
    [notice] = board.json()["results"]
    assert notice["title"] == "শনিবার মশার ওষুধ ছিটানো হবে"
    assert notice["target_wards"] == ["5"]
    assert notice["expires_at"] == "2099-01-01T18:00:00+06:00"

    row.locator("a").click()
    page.wait_for_selector("h1:has-text('নোটিশ সম্পাদনা')")
    assert page.input_value("input[name=expires_at]") == "2099-01-01T18:00"
    shoot(page, artifacts, "notice-edit")

    # Dashboard: the charts of wards 1-10 (ward 7's complaint counts, nothing else).
    page.click("nav a[href='/console/dashboard/']")
    page.wait_for_selector("svg.bars")
    assert page.locator("svg.bars").first.is_visible()
    assert page.inner_text("[data-figure=total]") == "3"
    assert "রাস্তাঘাট" in page.inner_text("table[data-chart=category]")
    shoot(page, artifacts, "dashboard")

    # Reports: a monthly PDF, made, then downloaded.
    page.click("nav a[href='/console/reports/']")
    page.wait_for_selector("form.report-form")
    shoot(page, artifacts, "reports")
    page.select_option("select[name=report_type]", "monthly")
    page.select_option("select[name=format]", "pdf")
    page.click("button:has-text('প্রতিবেদন তৈরি করুন')")
    page.wait_for_selector("#report-status[data-status=completed]", timeout=30_000)
    shoot(page, artifacts, "report")
    with page.expect_download() as download:
        page.click("#report-download")
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.value.suggested_filename.startswith("report-monthly-")

    hosts = {urlparse(url).hostname for url in requests}
    assert hosts == {urlparse(base).hostname}, hosts
