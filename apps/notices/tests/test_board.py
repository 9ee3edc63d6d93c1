"""The board over time (frozen): scheduled notices appear and expired ones vanish at the exact
moment, through the cache; every change retires the cache; the sweep marks expired ones."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.notices import tasks
from apps.notices.models import Notice

from .conftest import frozen
from .factories import NoticeFactory

pytestmark = pytest.mark.django_db

NOTICES = "/api/v1/notices/"
TICK = timedelta(microseconds=1)


def titles(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["title"] for row in response.json()["results"]]


def test_a_scheduled_notice_appears_and_expires_at_the_exact_moment(api, api_as, citizen):
    at = timezone.now() + timedelta(hours=2)
    until = at + timedelta(days=1)
    NoticeFactory(title="city", published_at=timezone.now() - timedelta(days=1))
    NoticeFactory(title="ward 5", target_wards=["5"], published_at=at, expires_at=until)

    for moment, expected in [
        (at - TICK, ["city"]),
        (at, ["ward 5", "city"]),
        (at + timedelta(hours=5), ["ward 5", "city"]),
        (until - TICK, ["ward 5", "city"]),
        (until, ["city"]),
    ]:
        with frozen(moment):
            # Twice: the second answer comes from the cache, and must be just as right.
            assert titles(api_as(citizen).get(NOTICES)) == expected, moment
            assert titles(api_as(citizen).get(NOTICES)) == expected, moment
            assert titles(api.get(NOTICES)) == ["city"]
    assert Notice.objects.filter(is_active=True).count() == 2  # no job had to run for that


def test_a_notice_opens_at_its_moment_and_not_before(api_as, citizen):
    at = timezone.now() + timedelta(minutes=30)
    notice = NoticeFactory(target_wards=["5"], published_at=at, expires_at=at + timedelta(1))
    with frozen(at - TICK):
        assert api_as(citizen).get(f"{NOTICES}{notice.pk}/").status_code == 404
    with frozen(at):
        body = api_as(citizen).get(f"{NOTICES}{notice.pk}/").json()
        assert (body["state"], body["view_count"]) == ("published", 1)
    with frozen(at + timedelta(1)):
        assert api_as(citizen).get(f"{NOTICES}{notice.pk}/").status_code == 404


def test_the_board_is_cached_and_retired_by_every_change(
    api, api_as, super_admin, django_assert_num_queries
):
    notice = NoticeFactory(title="আগের")
    assert titles(api.get(NOTICES)) == ["আগের"]
    with django_assert_num_queries(0):
        assert titles(api.get(NOTICES)) == ["আগের"]

    # A write behind the services' back is not seen until the cache expires...
    Notice.objects.filter(pk=notice.pk).update(title="পিছনের দরজা")
    assert titles(api.get(NOTICES)) == ["আগের"]

    # ...but every change through them retires it at once.
    staff = api_as(super_admin)
    assert staff.patch(f"{NOTICES}{notice.pk}/", {"content": "নতুন"}).status_code == 200
    assert titles(api.get(NOTICES)) == ["পিছনের দরজা"]

    created = staff.post(NOTICES, {"title": "নতুন", "content": "খবর", "category": "সেবা"})
    assert created.status_code == 201
    assert titles(api.get(NOTICES)) == ["নতুন", "পিছনের দরজা"]

    assert staff.delete(f"{NOTICES}{notice.pk}/").status_code == 204
    assert titles(api.get(NOTICES)) == ["নতুন"]


def test_each_ward_and_category_has_its_own_cached_board(api_as, citizen, other_citizen):
    NoticeFactory(title="5", target_wards=["5"], category="পানি")
    NoticeFactory(title="12", target_wards=["12"], category="পানি")
    NoticeFactory(title="city", category="বিদ্যুৎ")
    for _ in range(2):
        assert set(titles(api_as(citizen).get(NOTICES))) == {"5", "city"}
        assert set(titles(api_as(other_citizen).get(NOTICES))) == {"12", "city"}
        assert titles(api_as(citizen).get(NOTICES, {"category": "পানি"})) == ["5"]
        assert titles(api_as(citizen).get(NOTICES, {"category": "বিদ্যুৎ"})) == ["city"]


def test_a_citizen_who_moves_ward_reads_the_new_wards_board(api_as, citizen):
    NoticeFactory(title="5", target_wards=["5"])
    NoticeFactory(title="12", target_wards=["12"])
    assert titles(api_as(citizen).get(NOTICES)) == ["5"]
    citizen.ward_number = "12"
    citizen.save(update_fields=["ward_number"])
    assert titles(api_as(citizen).get(NOTICES)) == ["12"]


def test_the_sweep_marks_expired_notices_inactive_once(api_as, super_admin):
    now = timezone.now()
    expired = NoticeFactory(published_at=now - timedelta(days=2), expires_at=now - timedelta(1))
    lasting = NoticeFactory(expires_at=now + timedelta(hours=1))
    forever = NoticeFactory()

    assert tasks.notices_expire.delay().get() == 1
    assert tasks.notices_expire.delay().get() == 0
    assert [n.refresh_from_db() or n.is_active for n in (expired, lasting, forever)] == [
        False,
        True,
        True,
    ]
    assert expired.withdrawn_at is None  # expired, not withdrawn

    # Moving the expiry of an expired notice forward puts it back on the board.
    later = (now + timedelta(days=3)).isoformat()
    response = api_as(super_admin).patch(f"{NOTICES}{expired.pk}/", {"expires_at": later})
    assert (response.json()["is_active"], response.json()["state"]) == (True, "published")
    expired.refresh_from_db()
    assert expired.is_active


def test_the_kept_board_is_written_in_the_language_it_is_read_in(api, django_assert_num_queries):
    NoticeFactory(title="জরুরি", priority="high")
    labels = {}
    for _ in range(2):
        for language in ("bn", "en"):
            rows = api.get(NOTICES, HTTP_ACCEPT_LANGUAGE=language).json()["results"]
            labels.setdefault(language, set()).add(rows[0]["priority_display"])
    assert len(labels["bn"]) == len(labels["en"]) == 1
    assert labels["bn"] != labels["en"]
    with django_assert_num_queries(0):  # both kept: read again, no query
        api.get(NOTICES, HTTP_ACCEPT_LANGUAGE="en")
