"""The complaint page's map: Leaflet vendored, the pin and ward centres from a json_script tag,
tiles only when MAP_TILE_URL is set (and then that host in the CSP img-src)."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from apps.complaints.tests.factories import ComplaintFactory
from apps.users.models import Ward
from clean_care.settings.base import _tile_source

VENDOR = Path(django_settings.BASE_DIR) / "apps/console/static/console/vendor/leaflet"


def map_data(page: str) -> dict | None:
    found = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1)) if found else None


def page_of(console_as, user, complaint) -> str:
    return console_as(user).get(f"/console/complaints/{complaint.pk}/").content.decode()


def test_the_pin_and_the_ward_centres_around_it(cast, console_as):
    ward = Ward.objects.get(number="5")
    complaint = ComplaintFactory(
        ward_number="5",
        latitude=ward.latitude + Decimal("0.001"),
        longitude=ward.longitude,
        assigned_to=cast.provider,
    )

    page = page_of(console_as, cast.provider, complaint)
    data = map_data(page)

    assert data["pins"] == [
        {
            "lat": float(complaint.latitude),
            "lng": float(complaint.longitude),
            "label": complaint.tracking_number,
            "url": f"/console/complaints/{complaint.pk}/",
        }
    ]
    own = [point for point in data["wards"] if point["own"]]
    assert own == [
        {
            "lat": float(ward.latitude),
            "lng": float(ward.longitude),
            "label": f"Ward 5: {ward.name_en}",
            "own": True,
        }
    ]
    assert 2 <= len(data["wards"]) <= 9
    assert data["tiles"] == ""
    assert '/static/console/vendor/leaflet/leaflet.js"' in page
    assert '/static/console/map.js"' in page
    assert '/static/console/vendor/leaflet/leaflet.css"' in page
    assert "<script>" not in page  # only the json_script data block and static files


def test_without_coordinates_the_ward_centre_places_the_complaint(cast, console_as):
    ward = Ward.objects.get(number="5")
    complaint = ComplaintFactory(ward_number="5", latitude=None, longitude=None)

    data = map_data(page_of(console_as, cast.ward_admin, complaint))

    assert data["pins"] == []
    assert [point["label"] for point in data["wards"] if point["own"]] == [
        f"Ward 5: {ward.name_en}"
    ]


def test_ward_labels_follow_the_readers_language(cast, console_as):
    ward = Ward.objects.get(number="5")
    complaint = ComplaintFactory(ward_number="5", latitude=None, longitude=None)
    client = console_as(cast.ward_admin)

    page = client.get(
        f"/console/complaints/{complaint.pk}/", HTTP_ACCEPT_LANGUAGE="bn"
    ).content.decode()

    labels = [point["label"] for point in map_data(page)["wards"] if point["own"]]
    assert labels == [f"ওয়ার্ড 5: {ward.name_bn}"]


def test_the_work_list_maps_the_pages_jobs_and_their_wards(cast, console_as):
    five, nine = Ward.objects.get(number="5"), Ward.objects.get(number="9")
    placed = ComplaintFactory(
        ward_number="5", latitude="23.74610000", longitude="90.37420000", assigned_to=cast.provider
    )
    ComplaintFactory(ward_number="9", latitude=None, longitude=None, assigned_to=cast.provider)
    # Not theirs:
    ComplaintFactory(ward_number="12", latitude="23.70000000", longitude="90.40000000")

    page = console_as(cast.provider).get("/console/work/").content.decode()
    data = map_data(page)

    assert [pin["label"] for pin in data["pins"]] == [placed.tracking_number]
    assert sorted(point["label"] for point in data["wards"]) == [
        f"Ward 5: {five.name_en}",
        f"Ward 9: {nine.name_en}",
    ]


def test_an_empty_work_list_has_no_map(cast, console_as):
    page = console_as(cast.super_admin).get("/console/work/").content.decode()

    assert "Nothing is assigned to you right now." in page
    assert map_data(page) is None


def test_no_place_and_no_ward_means_no_map(cast, console_as):
    complaint = ComplaintFactory(ward_number=None, latitude=None, longitude=None)

    page = page_of(console_as, cast.super_admin, complaint)

    assert map_data(page) is None
    assert "leaflet.js" not in page


def test_nothing_on_the_page_comes_from_another_host(cast, complaint, console_as):
    page = page_of(console_as, cast.provider, complaint)

    assert not re.findall(r'(?:src|href)="(?:https?:)?//', page)


def test_the_tile_url_reaches_the_map_when_set(cast, complaint, console_as, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"

    data = map_data(page_of(console_as, cast.provider, complaint))

    assert data["tiles"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert data["attribution"] == "© OpenStreetMap contributors"


@pytest.mark.parametrize(
    ("template", "source"),
    [
        ("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org"),
        ("https://tiles.example.org:8443/osm/{z}/{x}/{y}.png", "https://tiles.example.org:8443"),
        ("http://127.0.0.1:8080/{z}/{x}/{y}.png", "http://127.0.0.1:8080"),
        ("/tiles/{z}/{x}/{y}.png", ""),  # our own host: 'self' already admits it
    ],
)
def test_the_csp_admits_the_tile_host(template, source):
    assert _tile_source(template) == source


def test_the_csp_admits_no_other_image_host_without_tiles(cast, complaint, console_as):
    response = console_as(cast.provider).get(f"/console/complaints/{complaint.pk}/")

    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["img-src"] == "'self' data:"
    assert policy["script-src"] == "'self'"


def test_the_csp_of_a_server_with_tiles_names_their_host():
    from core.tests.test_settings import run_python

    result = run_python(
        {
            "DJANGO_SETTINGS_MODULE": "clean_care.settings.test",
            "MAP_TILE_URL": "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
        },
        "from django.conf import settings; print(settings.CONTENT_SECURITY_POLICY)",
    )

    assert result.returncode == 0, result.stderr
    assert "img-src 'self' data: https://*.tile.openstreetmap.org;" in result.stdout


def test_leaflet_is_vendored_with_its_licence():
    assert (VENDOR / "leaflet.js").read_text().startswith("/* @preserve\n * Leaflet 1.9.4")
    assert "BSD 2-Clause License" in (VENDOR / "LICENSE").read_text()
    for name in ("leaflet.css", "images/marker-icon.png", "images/marker-shadow.png"):
        assert (VENDOR / name).is_file()


def test_every_source_map_the_vendored_files_name_is_there():
    """The manifest storage of production (collectstatic) fails on a named map that is missing."""
    for path in VENDOR.rglob("*.[jc]s*"):
        if path.suffix not in (".js", ".css"):
            continue
        for name in re.findall(r"sourceMappingURL=(\S+?)\s*(?:\*/)?$", path.read_text(), re.M):
            assert (path.parent / name).is_file(), (path, name)


def test_leaflets_own_words_come_from_the_page_in_its_language(cast, complaint, console_as):
    page = page_of(console_as, cast.provider, complaint)

    assert 'data-zoom-in="Zoom in"' in page
    assert 'data-zoom-out="Zoom out"' in page
    assert 'data-prefix="Map drawn with Leaflet"' in page
    script = (Path(django_settings.BASE_DIR) / "apps/console/static/console/map.js").read_text()
    assert 'getAttribute("data-zoom-in")' in script
    assert "setPrefix(escaped(" in script


def test_labels_go_on_the_map_as_text_never_as_html(cast, console_as):
    """A ward name or label with markup is JSON in a json_script tag (escaped) and map.js hands
    Leaflet an element whose textContent is set: Leaflet would parse a string as HTML."""
    Ward.objects.filter(number="5").update(name_en='<img src=x onerror="alert(1)">')
    complaint = ComplaintFactory(ward_number="5", assigned_to=cast.provider)

    page = page_of(console_as, cast.provider, complaint)

    assert "<img src=x" not in page
    assert map_data(page)["wards"]
    script = (Path(django_settings.BASE_DIR) / "apps/console/static/console/map.js").read_text()
    tooltips = re.findall(r"bindTooltip\(([^,]+),", script)
    assert tooltips
    assert all(arg.startswith("text(") for arg in tooltips)
    assert "span.textContent = value" in script


def test_leaflets_words_are_bengali_on_a_bengali_page(cast, complaint):
    from apps.console.tests.conftest import Console

    client = Console(HTTP_ACCEPT_LANGUAGE="bn")
    client.force_login(cast.provider)
    page = client.get(f"/console/complaints/{complaint.pk}/").content.decode()

    assert 'data-zoom-in="বড় করে দেখুন"' in page
    assert 'data-zoom-out="ছোট করে দেখুন"' in page
