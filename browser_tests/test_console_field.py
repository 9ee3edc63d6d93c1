"""The service provider's day in a real browser: sign in with the SMS code (CONSOLE_OTP_REQUIRED
on, the code read from the sandbox SMS outbox as a developer would), open the work list, look at
the complaint's map, resolve it with a photo, and the public tracking page shows that photo.
Nothing is fetched from another host (no MAP_TILE_URL: no tiles)."""

from urllib.parse import urlparse

import pytest

from apps.complaints.tests.factories import ComplaintFactory, photo_bytes
from apps.users.demo import demo_accounts_load
from apps.users.models import User

from .test_console import CITIZEN, PASSWORD
from .test_public_pages import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)

PROVIDER = "+8801700000003"


@pytest.fixture
def local(live_server):
    return f"http://127.0.0.1:{urlparse(live_server.url).port}"


@pytest.fixture
def job(wards, settings):
    settings.CONSOLE_OTP_REQUIRED = True
    settings.MAP_TILE_URL = ""
    demo_accounts_load(password=PASSWORD)
    ComplaintFactory(  # an older job still to start: the list shows both kinds of action
        user=User.objects.get(phone=CITIZEN),
        assigned_to=User.objects.get(phone=PROVIDER),
        ward_number="5",
        title="নর্দমা উপচে পড়ছে",
        location="রোড ৭, ধানমন্ডি",
    )
    return ComplaintFactory(
        user=User.objects.get(phone=CITIZEN),
        assigned_to=User.objects.get(phone=PROVIDER),
        ward_number="5",
        title="রাস্তার মোড়ে ময়লার স্তূপ",
        location="রোড ৪, ধানমন্ডি",
        latitude="23.74610000",
        longitude="90.37420000",
    )


def at_360(page, artifacts, name):
    """The same screen on a 360 px phone: a screenshot, and nothing wider than the phone."""
    size = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / f"console-field-{name}-360.png"), full_page=True)
    page.set_viewport_size(size)
    page.reload()


def password_step(page, local):
    page.goto(f"{local}/console/login/")
    page.fill("input[name=phone]", "01700000003")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]:has-text('সাইন ইন')")
    page.wait_for_url("**/console/login/code/")


def texted_code(page, local) -> str:
    """The code as a developer reads it with `make run`: the sandbox SMS outbox."""
    outbox = page.request.get(f"{local}/sandbox/sms/outbox/?phone=01700000003&wait=5").json()
    return outbox["latest_code"]


def test_a_provider_signs_in_with_a_code_and_resolves_with_a_photo(page, local, artifacts, job):
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    # Password, then the code the SMS carried (read from the sandbox outbox).
    password_step(page, local)
    assert "SMS" in page.inner_text("h1")
    page.screenshot(path=str(artifacts / "console-field-code.png"), full_page=True)
    assert serious_violations(page) == []
    at_360(page, artifacts, "code")

    code = texted_code(page, local)
    assert len(code) == 6
    page.fill("input[name=otp_code]", "000000" if code != "000000" else "111111")
    page.click("form button[type=submit]:has-text('সাইন ইন')")
    page.wait_for_selector("p.error")
    page.fill("input[name=otp_code]", code)
    page.click("form button[type=submit]:has-text('সাইন ইন')")

    # The work list: start the job, then resolve it with a photo of the fixed spot.
    page.wait_for_url("**/console/work/")
    card = f"#job-{job.tracking_number}"
    page.wait_for_selector(f"{card}[data-status=submitted]")
    page.click(f"{card} button:has-text('কাজ শুরু করুন')")
    page.wait_for_selector(f"{card}[data-status=in_progress]")
    page.wait_for_selector("#map .leaflet-marker-icon")  # the job with coordinates
    page.screenshot(path=str(artifacts / "console-field-work.png"), full_page=True)
    assert serious_violations(page) == []
    at_360(page, artifacts, "work")

    # The complaint's page: its pin and the ward centres, no tiles.
    page.click(f"{card} h2 a")
    page.wait_for_selector("#map .leaflet-marker-icon")
    assert page.locator("#map .leaflet-tile").count() == 0
    labels = page.locator("#map .ward-label").all_inner_texts()
    assert any(label.startswith("ওয়ার্ড 5:") for label in labels), labels
    page.screenshot(path=str(artifacts / "console-field-complaint-map.png"), full_page=True)
    assert serious_violations(page) == []
    at_360(page, artifacts, "complaint-map")
    page.wait_for_selector("#map .leaflet-marker-icon")

    page.goto(f"{local}/console/work/")
    page.set_input_files(
        f"{card} input[name=photo]",
        {"name": "fixed.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes(color="blue")},
    )
    page.fill(f"{card} textarea[name=comment]", "ময়লা সরানো হয়েছে")
    page.click(f"{card} button:has-text('সমাধান হয়েছে বলে চিহ্নিত করুন')")
    page.wait_for_selector(f"{card}[data-status=resolved]")
    assert "সমাধান হয়েছে" in page.inner_text(".messages")
    page.screenshot(path=str(artifacts / "console-field-work-resolved.png"), full_page=True)

    # The citizen's public page shows the photo of the fix.
    page.goto(f"{local}/track/{job.tracking_number}/")
    page.wait_for_selector("figure.proof img")
    assert page.eval_on_selector("figure.proof img", "img => img.naturalWidth") > 0
    page.screenshot(path=str(artifacts / "console-field-track-proof.png"), full_page=True)

    hosts = {urlparse(url).hostname for url in requested if not url.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, hosts


def test_with_a_tile_server_the_map_loads_its_tiles_and_the_csp_admits_its_host(
    page, local, live_server, settings, job
):
    """A tile server on another host (here: the same server called "localhost" while the page
    is on 127.0.0.1): the policy computed from MAP_TILE_URL admits it and the tiles load."""
    from clean_care.settings.base import _tile_source

    port = urlparse(live_server.url).port
    tiles = (
        f"http://localhost:{port}/static/console/vendor/leaflet/images/layers.png?{{z}}/{{x}}/{{y}}"
    )
    settings.MAP_TILE_URL = tiles
    settings.CONTENT_SECURITY_POLICY = settings.CONTENT_SECURITY_POLICY.replace(
        "img-src 'self' data:", f"img-src 'self' data: {_tile_source(tiles)}"
    )
    password_step(page, local)
    page.fill("input[name=otp_code]", texted_code(page, local))
    page.click("form button[type=submit]:has-text('সাইন ইন')")
    page.wait_for_url("**/console/work/")

    page.goto(f"{local}/console/complaints/{job.pk}/")
    page.wait_for_selector("#map .leaflet-tile-loaded")
    assert f"localhost:{port}" in page.hosts
    assert (
        page.locator("#map .leaflet-control-attribution")
        .inner_text()
        .endswith("© OpenStreetMap contributors")
    )
