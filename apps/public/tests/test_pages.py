"""The public tracking and ward pages as a reader gets them: language, labels, privacy, 404s."""

from datetime import UTC, datetime

import pytest

from apps.complaints.enums import Category, Status
from apps.complaints.models import Complaint
from apps.complaints.services import complaint_change_status
from apps.complaints.tests.factories import ComplaintFactory
from apps.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FILED = datetime(2026, 3, 1, 20, 30, tzinfo=UTC)  # 2 March 02:30 in Dhaka
STARTED = datetime(2026, 3, 3, 4, 15, tzinfo=UTC)  # 3 March 10:15 in Dhaka


@pytest.fixture
def complaint():
    citizen = UserFactory(name="Rahima Khatun", phone="+8801911999888")
    complaint = ComplaintFactory(
        user=citizen,
        title="Bin behind Rahima's house",
        description="Nobody has emptied the bin behind house 12 for a week.",
        location="House 12, Lane 3",
        category=Category.ROADS,
        ward_number="5",
    )
    staff = UserFactory(user_type="super_admin", is_staff=True, is_superuser=True, name="Staff X")
    update = complaint_change_status(
        complaint=complaint, actor=staff, new_status=Status.IN_PROGRESS, comment="Crew sent today"
    )
    Complaint.objects.filter(pk=complaint.pk).update(created_at=FILED, updated_at=STARTED)
    update.__class__.objects.filter(pk=update.pk).update(created_at=STARTED)
    complaint.refresh_from_db()
    return complaint


def html(response) -> str:
    return response.content.decode()


def step(label: str, iso: str, shown: str) -> str:
    """One timeline entry as the page writes it."""
    return f'<span class="label">{label}</span> <time datetime="{iso}">{shown}</time>'


def test_tracking_page_in_bengali_by_default(client, complaint):
    response = client.get(f"/track/{complaint.tracking_number}/")

    assert response.status_code == 200
    assert response["Content-Language"] == "bn"
    assert response["Content-Type"].startswith("text/html")
    page = html(response)
    assert '<html lang="bn">' in page
    assert f"<h1>অভিযোগ {complaint.tracking_number}</h1>" in page
    assert "অবস্থা: <strong>প্রক্রিয়াধীন</strong>" in page
    assert "<dt>ধরন</dt><dd>রাস্তাঘাট</dd>" in page
    assert "ওয়ার্ড 5 · সবুজবাগ, আহমদবাগ" in page
    assert "<dt>সমাধানের সময়</dt><dd>এখনো হয়নি</dd>" in page
    # The timeline: filed, then in progress, in Dhaka time.
    assert step("জমা দেওয়া হয়েছে", "2026-03-02T02:30:00+06:00", "2 মার্চ 2026, 02:30") in page
    assert step("প্রক্রিয়াধীন", "2026-03-03T10:15:00+06:00", "3 মার্চ 2026, 10:15") in page


def test_tracking_page_in_english_by_query_or_accept_language(client, complaint):
    by_query = client.get(f"/track/{complaint.tracking_number}/?lang=en")
    by_header = client.get(f"/track/{complaint.tracking_number}/", HTTP_ACCEPT_LANGUAGE="en")

    for response in (by_query, by_header):
        assert response.status_code == 200
        assert response["Content-Language"] == "en"
        page = html(response)
        assert '<html lang="en">' in page
        assert f"<h1>Complaint {complaint.tracking_number}</h1>" in page
        assert "Status: <strong>In progress</strong>" in page
        assert "<dt>Category</dt><dd>Roads</dd>" in page
        assert "Ward 5 · Sabujbagh, Ahmedbagh" in page
        assert "<dt>Resolved on</dt><dd>Not yet</dd>" in page
        assert step("Submitted", "2026-03-02T02:30:00+06:00", "2 March 2026, 02:30") in page
        assert step("In progress", "2026-03-03T10:15:00+06:00", "3 March 2026, 10:15") in page


def test_query_language_wins_over_accept_language(client, complaint):
    response = client.get(f"/track/{complaint.tracking_number}/?lang=bn", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "bn"
    assert "অবস্থা: <strong>প্রক্রিয়াধীন</strong>" in html(response)


@pytest.mark.parametrize("lang", ["bn", "en"])
def test_tracking_page_shows_nothing_personal(client, complaint, lang):
    page = html(client.get(f"/track/{complaint.tracking_number}/?lang={lang}"))

    for private in (
        "Rahima",
        "+8801911999888",
        "01911999888",
        "Nobody has emptied",
        "House 12",
        "Crew sent today",
        "Staff X",
        str(complaint.user_id),
        str(complaint.pk),
    ):
        assert private not in page


def test_tracking_page_is_found_whatever_the_case(client, complaint):
    response = client.get(f"/track/{complaint.tracking_number.lower()}/?lang=en")
    assert response.status_code == 200
    assert f"<h1>Complaint {complaint.tracking_number}</h1>" in html(response)


def test_resolved_complaint_shows_its_resolution_date(client, complaint):
    resolved = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
    Complaint.objects.filter(pk=complaint.pk).update(status=Status.RESOLVED, resolved_at=resolved)

    page = html(client.get(f"/track/{complaint.tracking_number}/?lang=en"))

    assert "Status: <strong>Resolved</strong>" in page
    assert (
        '<dt>Resolved on</dt><dd><time datetime="2026-03-05T18:00:00+06:00">'
        "5 March 2026, 18:00</time></dd>" in page
    )


def test_unknown_tracking_number_is_a_friendly_404_page(client):
    bengali = client.get("/track/CC209901010001/")
    english = client.get("/track/CC209901010001/?lang=en")

    assert bengali.status_code == english.status_code == 404
    assert bengali["Content-Type"].startswith("text/html")
    assert "<h1>অভিযোগ পাওয়া যায়নি</h1>" in html(bengali)
    assert "CC209901010001 ট্র্যাকিং নম্বরের কোনো অভিযোগ নেই।" in html(bengali)
    assert "<h1>Complaint not found</h1>" in html(english)
    assert "No complaint has the tracking number CC209901010001." in html(english)
    assert 'name="tracking_number"' in html(english)  # the reader can try again at once


def test_tracking_form_and_its_redirect(client, complaint):
    form = client.get("/track/")
    assert form.status_code == 200
    assert "<h1>অভিযোগের অবস্থা দেখুন</h1>" in html(form)
    assert '<label for="id_tracking_number">ট্র্যাকিং নম্বর</label>' in html(form)

    typed = f"  {complaint.tracking_number.lower()} "
    response = client.get("/track/", {"tracking_number": typed, "lang": "en"})

    assert response.status_code == 302
    assert response["Location"] == f"/track/{complaint.tracking_number}/?lang=en"


def test_tracking_form_refuses_an_overlong_number(client):
    response = client.get("/track/", {"tracking_number": "X" * 21, "lang": "en"})

    assert response.status_code == 200
    assert 'class="error" role="alert"' in html(response)


def test_pages_load_only_our_own_stylesheet_and_no_inline_script(client, complaint):
    for url in (f"/track/{complaint.tracking_number}/", "/track/", "/wards/5/"):
        response = client.get(url)
        page = html(response)
        assert '<link rel="stylesheet" href="/static/public/public.css">' in page
        assert "<script" not in page
        assert "<style" not in page
        assert "http://" not in page
        assert "https://" not in page
        assert "script-src 'self'" in response["Content-Security-Policy"]


def test_ward_scorecard_in_both_languages(client):
    ComplaintFactory(ward_number="5")

    bengali = client.get("/wards/5/")
    english = client.get("/wards/5/", HTTP_ACCEPT_LANGUAGE="en")

    assert bengali.status_code == english.status_code == 200
    assert "<h1>ওয়ার্ড 5 · সবুজবাগ, আহমদবাগ</h1>" in html(bengali)
    assert "জমা থেকে সমাধান পর্যন্ত মধ্যমা দিন" in html(bengali)
    assert "<h1>Ward 5 · Sabujbagh, Ahmedbagh</h1>" in html(english)
    assert "Median days from filing to resolution" in html(english)
    assert '<span class="figure">1</span>' in html(english)


def test_unknown_ward_is_a_friendly_404_page(client):
    bengali = client.get("/wards/999/")
    english = client.get("/wards/999/?lang=en")

    assert bengali.status_code == english.status_code == 404
    assert "<h1>ওয়ার্ড পাওয়া যায়নি</h1>" in html(bengali)
    assert "The city has no ward numbered 999." in html(english)


def test_public_pages_refuse_writes(client, complaint):
    assert client.post("/track/", {"tracking_number": complaint.tracking_number}).status_code == 405
    assert client.post("/wards/5/").status_code == 405


@pytest.mark.parametrize(
    ("lang", "message"), [("bn", "এই তথ্যটি দিতে হবে।"), ("en", "This field is required.")]
)
def test_tracking_form_asks_again_for_a_blank_number(client, lang, message):
    response = client.get("/track/", {"tracking_number": "   ", "lang": lang})

    assert response.status_code == 200
    assert f'<p class="error" role="alert">{message}</p>' in html(response)


def test_a_resolved_complaint_shows_the_photo_of_the_fix(client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.complaints.services import complaint_change_status
    from apps.complaints.tests.factories import ComplaintFactory, photo_bytes
    from apps.users.tests.factories import UserFactory

    provider = UserFactory(user_type="service_provider")
    complaint = ComplaintFactory(status="প্রক্রিয়াধীন", assigned_to=provider)
    photo = SimpleUploadedFile("fixed.jpg", photo_bytes(color="blue"), content_type="image/jpeg")
    update = complaint_change_status(
        complaint=complaint, actor=provider, new_status="সমাধান হয়েছে", photo=photo
    )
    page = client.get(f"/track/{complaint.tracking_number}/").content.decode()
    assert update.photo.url in page
    assert 'class="proof"' in page
