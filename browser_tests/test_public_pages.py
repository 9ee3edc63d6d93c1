"""A citizen looks up a complaint and reads a ward's scorecard in a real browser, in Bengali and
in English, on a laptop and on a 360 px phone; nothing is fetched from another host."""

from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from apps.complaints.enums import Status
from apps.complaints.models import Complaint, ComplaintUpdate
from apps.complaints.tests.factories import ComplaintFactory
from apps.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


@pytest.fixture
def local(live_server):
    """The live server's address as 127.0.0.1, so every request the page makes can be checked."""
    port = urlparse(live_server.url).port
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def requested(page):
    """Every URL the page asked for (including any its Content-Security-Policy would block)."""
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def move(complaint: Complaint, staff, *statuses: str, comment: str = "") -> None:
    """Status changes written straight to the tables: the services would also publish to the
    channel layer, which cannot run on the thread that holds Playwright's event loop."""
    old = complaint.status
    for new in statuses:
        ComplaintUpdate.objects.create(
            complaint=complaint, updated_by=staff, old_status=old, new_status=new, comment=comment
        )
        old = new
    resolved_at = timezone.now() if old == Status.RESOLVED else None
    Complaint.objects.filter(pk=complaint.pk).update(status=old, resolved_at=resolved_at)


def only_local(urls: list[str]) -> set[str]:
    return {urlparse(url).hostname for url in urls if not url.startswith(("data:", "blob:"))}


def test_tracking_a_complaint_in_bengali_then_english(page, local, requested, artifacts, wards):
    citizen = UserFactory(name="Rahima Khatun", phone="+8801911999777")
    complaint = ComplaintFactory(user=citizen, description="Drain blocked near the mosque gate.")
    staff = UserFactory(user_type="super_admin", is_staff=True, is_superuser=True)
    move(complaint, staff, Status.IN_PROGRESS, comment="Crew on the way")

    page.goto(f"{local}/track/")
    page.wait_for_selector("h1:has-text('অভিযোগের অবস্থা দেখুন')")
    page.screenshot(path=str(artifacts / "track-form-bn.png"), full_page=True)
    page.fill("input[name=tracking_number]", complaint.tracking_number.lower())
    page.click("button[type=submit]")
    page.wait_for_url(f"**/track/{complaint.tracking_number}/**")
    page.wait_for_selector(".timeline")
    page.screenshot(path=str(artifacts / "track-status-bn.png"), full_page=True)

    labels = page.locator(".timeline .label").all_inner_texts()
    assert labels == ["জমা দেওয়া হয়েছে", "প্রক্রিয়াধীন"]
    assert page.locator(".status strong").inner_text() == "প্রক্রিয়াধীন"
    body = page.content()
    for private in ("Rahima", "01911999777", "Drain blocked", "Crew on the way"):
        assert private not in body
    # The stylesheet (our own static file) applied: the header bar is green.
    assert page.eval_on_selector(".bar", "e => getComputedStyle(e).backgroundColor") == (
        "rgb(11, 107, 58)"
    )

    page.click(".languages a[hreflang=en]")
    page.wait_for_selector("h1:has-text('Complaint')")
    page.screenshot(path=str(artifacts / "track-status-en.png"), full_page=True)
    assert page.locator(".timeline .label").all_inner_texts() == ["Submitted", "In progress"]
    assert page.locator("html").get_attribute("lang") == "en"

    page.goto(f"{local}/track/CC209901010001/?lang=en")
    page.wait_for_selector("h1:has-text('Complaint not found')")
    page.screenshot(path=str(artifacts / "track-not-found-en.png"), full_page=True)

    assert requested, "the page made no requests at all"
    assert only_local(requested) == {"127.0.0.1"}


def test_ward_scorecard_on_a_phone(browser, local, artifacts, wards):
    ComplaintFactory(ward_number="5")
    resolved = ComplaintFactory(ward_number="5")
    staff = UserFactory(user_type="super_admin", is_staff=True, is_superuser=True)
    move(resolved, staff, Status.IN_PROGRESS, Status.RESOLVED)

    context = browser.new_context(locale="bn-BD", viewport={"width": 360, "height": 740})
    phone = context.new_page()
    requested = []
    phone.on("request", lambda request: requested.append(request.url))
    try:
        phone.goto(f"{local}/wards/5/")
        phone.wait_for_selector("h1:has-text('ওয়ার্ড 5')")
        phone.screenshot(path=str(artifacts / "ward-5-bn-360px.png"), full_page=True)
        assert phone.locator("#filed-this-month .figure").inner_text() == "2"
        assert phone.locator("#resolved-share .figure").inner_text() == "50.00%"
        # Nothing wider than the phone: no sideways scrolling.
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360

        phone.goto(f"{local}/wards/5/?lang=en")
        phone.wait_for_selector("h1:has-text('Ward 5')")
        phone.screenshot(path=str(artifacts / "ward-5-en-360px.png"), full_page=True)

        phone.goto(f"{local}/track/{resolved.tracking_number}/")
        phone.wait_for_selector(".timeline")
        phone.screenshot(path=str(artifacts / "track-status-bn-360px.png"), full_page=True)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()

    assert only_local(requested) == {"127.0.0.1"}


def serious_violations(page) -> list[dict]:
    """axe-core's serious and critical findings on the page as it stands. The engine is evaluated
    through the browser's debugging channel, so the page's CSP (no inline script) stays on."""
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async () => { const r = await axe.run(document);"
        " return {violations: r.violations, passes: r.passes.length}; }"
    )
    assert result["passes"] > 0  # the engine really looked at the page
    found = result["violations"]
    return [
        {"id": rule["id"], "nodes": [node["target"] for node in rule["nodes"]]}
        for rule in found
        if rule["impact"] in ("serious", "critical")
    ]


def test_public_pages_have_no_serious_accessibility_violations(page, local, wards):
    complaint = ComplaintFactory(ward_number="5")
    for path in (
        "/track/",
        f"/track/{complaint.tracking_number}/",
        f"/track/{complaint.tracking_number}/?lang=en",
        "/track/CC209901010001/",
        "/wards/5/",
        "/wards/5/?lang=en",
        "/wards/999/",
    ):
        page.goto(f"{local}{path}")
        page.wait_for_selector("h1")
        assert serious_violations(page) == [], path
