"""The ward admin's city screens in a real browser: adds a photo to the gallery, a collection
schedule, plans a citizen's special collection, weighs a transfer station and adds a calendar
event; each time the public (or the citizen's, or the staff) API shows the change."""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.urls import include, path, re_path
from django.utils import timezone
from django.views.static import serve
from PIL import Image

from apps.authentication.services import tokens_for_user
from apps.city_calendar.enums import CITY_TZ
from apps.gallery.demo import demo_categories_load
from apps.users.demo import demo_accounts_load
from apps.users.models import User
from apps.waste_management.models import TransferStation

from .test_console import CITIZEN, PASSWORD, WARD_ADMIN, sign_in, watch_requests
from .test_public_pages import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def _media(request, path):
    """The uploaded files, as a development server serves them (the test settings do not)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


# This module is also the live server's URLconf: the project's, plus the photos under /media/
# so the gallery's thumbnails show in the screenshots.
urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", _media),
    path("", include("clean_care.urls")),
]


@pytest.fixture
def local(live_server, settings):
    """The live server's address as 127.0.0.1, so every request the page makes can be checked."""
    settings.ROOT_URLCONF = __name__
    return f"http://127.0.0.1:{urlparse(live_server.url).port}"


@pytest.fixture
def city(wards):
    demo_accounts_load(password=PASSWORD)
    demo_categories_load()
    return User.objects.get(phone=CITIZEN), User.objects.get(phone="+8801700000002")


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {tokens_for_user(user)['access']}"}


def shoot(page, artifacts, name):
    """The screen at desktop width and on a 360 px phone (nothing wider than the phone), and
    axe's serious and critical findings on it: none."""
    assert serious_violations(page) == [], name
    page.screenshot(path=str(artifacts / f"console-city-{name}.png"), full_page=True)
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    page.screenshot(path=str(artifacts / f"console-city-{name}-360.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def only_here(requests, base):
    hosts = {urlparse(url).hostname for url in requests if not url.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"} == {urlparse(base).hostname}, hosts


def visible_on_white(page, selector):
    """The text of ``selector`` is not white (a link-styled button on a white card once was)."""
    colour = page.eval_on_selector(selector, "e => getComputedStyle(e).color")
    assert colour != "rgb(255, 255, 255)", selector


def open_section(page, href):
    page.click(f"nav.sections a[href='{href}']")
    page.wait_for_selector(f"nav.sections a[href='{href}'][aria-current=page]")


def test_the_ward_admin_adds_a_photo_to_the_gallery(page, local, artifacts, city, tmp_path):
    requests = watch_requests(page)
    photo = tmp_path / "canal.jpg"
    Image.new("RGB", (1200, 800), "#2e86c1").save(photo, format="JPEG")
    sign_in(page, local, WARD_ADMIN)
    page.wait_for_selector("nav.sections")

    open_section(page, "/console/gallery/")
    shoot(page, artifacts, "gallery-empty")
    page.click("a.button[href='/console/gallery/new/']")
    page.wait_for_selector("form.notice-form")
    shoot(page, artifacts, "gallery-new")
    page.set_input_files("input[name=image]", str(photo))
    page.fill("input[name=title]", "৫ নম্বর ওয়ার্ডে খাল পরিষ্কার")
    page.fill("input[name=title_en]", "Canal cleanup in ward 5")
    page.fill("textarea[name=description]", "স্বেচ্ছাসেবকদের সঙ্গে সকালের অভিযান।")
    page.select_option("select[name=category]", "cleanup")
    page.select_option("select[name=ward_number]", "5")
    page.click("form.notice-form button[type=submit]")
    page.wait_for_selector(".messages .success")
    assert "ছবিটি গ্যালারিতে যোগ করা হয়েছে।" in page.inner_text(".messages")
    card = page.locator("ul.gallery-grid li.card")
    assert card.count() == 1
    assert "৫ নম্বর ওয়ার্ডে খাল পরিষ্কার" in card.inner_text()
    visible_on_white(page, "ul.gallery-grid button.link")
    # The thumbnail really loaded.
    card.locator("img").scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('.gallery-grid img').naturalWidth > 0")
    shoot(page, artifacts, "gallery")

    answer = page.request.get(f"{local}/api/v1/gallery/")
    assert answer.status == 200
    [listed] = answer.json()["results"]
    assert listed["title"] == "৫ নম্বর ওয়ার্ডে খাল পরিষ্কার"
    assert listed["ward_number"] == "5"
    only_here(requests, local)


def test_the_ward_admin_adds_a_collection_schedule(page, local, artifacts, city):
    requests = watch_requests(page)
    sign_in(page, local, WARD_ADMIN)
    page.wait_for_selector("nav.sections")

    open_section(page, "/console/waste/schedules/")
    shoot(page, artifacts, "schedules-empty")
    page.click("a.button[href^='/console/waste/schedules/new/']")
    page.wait_for_selector("form.schedule-form")
    shoot(page, artifacts, "schedule-new")
    page.select_option("select[name=ward_number]", "5")
    page.select_option("select[name=day_of_week]", "1")  # Sunday
    page.fill("input[name=start_time]", "07:00")
    page.fill("input[name=end_time]", "09:30")
    page.select_option("select[name=waste_type]", "household")
    page.fill("input[name=vehicle]", "ঢাকা মেট্রো-ট ১১-২২৩৩")
    page.fill("textarea[name=notes]", "ময়লা ব্যাগে ভরে গেটের সামনে রাখুন।")
    assert page.is_checked("input[name=is_active]")
    page.click("form.schedule-form button[type=submit]")
    page.wait_for_selector(".messages .success")
    row = page.locator("table.schedules tbody tr")
    assert row.count() == 1
    assert "07:00–09:30" in row.inner_text()
    visible_on_white(page, "table.schedules button.link")
    shoot(page, artifacts, "schedules")

    answer = page.request.get(f"{local}/api/v1/waste/schedules/ward/5/")
    assert answer.status == 200
    body = answer.json()
    [schedule] = body["results"] if isinstance(body, dict) else body
    assert schedule["ward_number"] == "5"
    assert schedule["day_of_week"] == 1
    assert schedule["start_time"].startswith("07:00")
    assert schedule["end_time"].startswith("09:30")
    assert schedule["waste_type"] == "household"
    only_here(requests, local)


def test_the_ward_admin_schedules_a_citizens_special_collection(page, local, artifacts, city):
    citizen, _admin = city
    requests = watch_requests(page)
    today = timezone.now().astimezone(CITY_TZ).date()
    filed = page.request.post(
        f"{local}/api/v1/waste/special-requests/",
        headers=bearer(citizen),
        data={
            "waste_type": "bulky",
            "description": "একটি পুরোনো সোফা ও দুটি ভাঙা চেয়ার।",
            "address": "বাড়ি ১২, রোড ৪, ধানমন্ডি",
            "ward_number": "5",
            "preferred_date": (today + timedelta(days=3)).isoformat(),
        },
    )
    assert filed.status == 201, filed.text()
    special_id = filed.json()["id"]
    assert filed.json()["fee"] is None

    sign_in(page, local, WARD_ADMIN)
    page.wait_for_selector("nav.sections")
    open_section(page, "/console/waste/special/")
    row = page.locator(f"tr[data-special='{special_id}']")
    assert row.get_attribute("data-status") == "requested"
    shoot(page, artifacts, "specials")
    row.locator("a").click()
    page.wait_for_selector("form.special-form")
    shoot(page, artifacts, "special")
    collection_day = today + timedelta(days=4)
    page.select_option("select[name=status]", "scheduled")
    page.fill("input[name=scheduled_date]", collection_day.isoformat())
    page.fill("textarea[name=comment]", "নির্ধারিত দিনে সকাল ৮টায় গাড়ি যাবে।")
    page.click("form.special-form button[type=submit]")
    page.wait_for_selector(".messages .success")
    assert "নির্ধারিত দিনে সকাল ৮টায় গাড়ি যাবে।" in page.inner_text("dl.facts")
    # A special collection's own word, not the notices' "awaiting publication".
    assert page.inner_text("#current-status") == "তারিখ নির্ধারিত"
    shoot(page, artifacts, "special-scheduled")

    answer = page.request.get(
        f"{local}/api/v1/waste/special-requests/{special_id}/", headers=bearer(citizen)
    )
    assert answer.status == 200
    assert answer.json()["status"] == "scheduled"
    assert answer.json()["scheduled_date"] == collection_day.isoformat()
    assert answer.json()["staff_comment"] == "নির্ধারিত দিনে সকাল ৮টায় গাড়ি যাবে।"
    only_here(requests, local)


def test_the_ward_admin_records_a_station_reading(page, local, artifacts, city):
    _citizen, admin = city
    station = TransferStation.objects.create(
        name="মাতুয়াইল এসটিএস", ward_number="5", capacity_tons=Decimal("50.00")
    )
    requests = watch_requests(page)
    sign_in(page, local, WARD_ADMIN)
    page.wait_for_selector("nav.sections")

    open_section(page, "/console/stations/")
    card = page.locator(f"section.station[data-station='{station.pk}']")
    before = card.locator("figcaption").inner_text()
    shoot(page, artifacts, "stations-empty")
    card.locator("input[name=load_tons]").fill("20.5")
    card.locator("form.reading button[type=submit]").click()
    page.wait_for_selector(".messages .success")
    after = card.locator("figcaption").inner_text()
    assert after != before
    assert "41" in after, after
    assert "20.5" in after, after
    assert card.get_attribute("data-level") == "ok"
    shoot(page, artifacts, "stations")

    answer = page.request.get(f"{local}/api/v1/waste/sts/", headers=bearer(admin))
    assert answer.status == 200
    [listed] = answer.json()["results"]
    assert Decimal(listed["current_load_tons"]) == Decimal("20.5")
    only_here(requests, local)


def test_the_ward_admin_adds_a_calendar_event(page, local, artifacts, city):
    requests = watch_requests(page)
    today = timezone.now().astimezone(CITY_TZ).date()
    month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    day = month.replace(day=10).isoformat()
    sign_in(page, local, WARD_ADMIN)
    page.wait_for_selector("nav.sections")

    open_section(page, "/console/calendar/")
    shoot(page, artifacts, "calendar-empty")
    page.click("a.button[href='/console/calendar/new/']")
    page.wait_for_selector("form.event-form")
    shoot(page, artifacts, "calendar-new")
    page.fill("input[name=title]", "৫ নম্বর ওয়ার্ডে পরিচ্ছন্নতা অভিযান")
    page.fill("input[name=title_en]", "Cleanup drive in ward 5")
    page.select_option("select[name=event_type]", "cleanup")
    page.fill("input[name=start]", f"{day}T08:00")
    page.fill("input[name=end]", f"{day}T11:00")
    page.fill("input[name=location]", "ধানমন্ডি লেকের পাড়")
    page.select_option("select[name=ward_number]", "5")
    page.fill("input[name=capacity]", "40")
    page.fill("textarea[name=description]", "গ্লাভস ও ব্যাগ দেওয়া হবে।")
    page.click("form.event-form button[type=submit]")
    page.wait_for_selector(".messages .success")
    assert f"month={month:%Y-%m}" in page.url
    row = page.locator("table.events tbody tr")
    assert row.count() == 1
    assert "৫ নম্বর ওয়ার্ডে পরিচ্ছন্নতা অভিযান" in row.inner_text()
    assert "08:00" in row.inner_text()
    assert "11:00" in row.inner_text()
    visible_on_white(page, "table.events button.link")
    shoot(page, artifacts, "calendar")

    answer = page.request.get(f"{local}/api/v1/calendar/events/?ward_number=5&month={month:%Y-%m}")
    assert answer.status == 200
    [event] = answer.json()["results"]
    assert event["title"] == "৫ নম্বর ওয়ার্ডে পরিচ্ছন্নতা অভিযান"
    assert event["ward_number"] == "5"
    assert event["start"].startswith(f"{day}T08:00")
    only_here(requests, local)
