"""Paging through the complaint list: cursors in next/previous, deep page numbers, counts."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.complaints.enums import Priority
from apps.complaints.models import Complaint
from core import pagination

from .factories import ComplaintFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/complaints/"


@pytest.fixture
def thirteen(cast):
    """13 of the owner's complaints: pairs share a timestamp (ties the id must break), mixed
    priorities; one more in ward 9 that the ward admin never sees."""
    start = timezone.now() - timedelta(days=1)
    priorities = [Priority.HIGH, Priority.MEDIUM, Priority.LOW]
    rows = []
    for n in range(13):
        complaint = ComplaintFactory(user=cast.owner, ward_number="5", priority=priorities[n % 3])
        Complaint.objects.filter(pk=complaint.pk).update(
            created_at=start + timedelta(minutes=n // 2)
        )
        rows.append(complaint.pk)
    ComplaintFactory(ward_number="9")
    return rows


def walk(client, url: str, *, key: str = "next") -> tuple[list[str], list[dict]]:
    """Every id from ``url`` on, following ``key`` links; also each page's body."""
    ids, bodies = [], []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        bodies.append(body)
        ids += [row["id"] for row in body["results"]]
        url = body[key]
    return ids, bodies


def expected(viewer_ordering: str, client) -> list[str]:
    body = client.get(f"{LIST}?page_size=100&{viewer_ordering}").json()
    return [row["id"] for row in body["results"]]


@pytest.mark.parametrize(
    "ordering",
    [
        "",
        "ordering=priority",
        "ordering=-priority",
        "ordering=created_at",
        "ordering=-status",
        "status=submitted&ordering=status",
    ],
)
def test_next_cursors_walk_every_row_once_in_list_order(ordering, thirteen, cast, api_as):
    client = api_as(cast.ward_admin)
    everything = expected(ordering, client)
    assert len(everything) == 13
    ids, bodies = walk(client, f"{LIST}?page_size=4&{ordering}")
    assert ids == everything
    assert [len(body["results"]) for body in bodies] == [4, 4, 4, 1]
    assert {body["count"] for body in bodies} == {13}
    assert "cursor=" in bodies[0]["next"]
    assert "page=" not in bodies[0]["next"]
    assert (bodies[0]["previous"], bodies[-1]["next"]) == (None, None)
    for parameter in filter(None, ordering.split("&")):
        assert parameter in bodies[1]["next"]  # filters and ordering ride along


def test_previous_cursors_walk_back_to_the_first_page(thirteen, cast, api_as):
    client = api_as(cast.ward_admin)
    _ids, bodies = walk(client, f"{LIST}?page_size=5&ordering=priority")
    _back, back_bodies = walk(client, bodies[-1]["previous"], key="previous")
    pages = [[row["id"] for row in body["results"]] for body in bodies]
    assert [[row["id"] for row in body["results"]] for body in back_bodies] == pages[-2::-1]
    assert back_bodies[-1]["previous"] is None
    assert back_bodies[-1]["next"] is not None


def test_page_numbers_still_work_and_link_to_cursors(thirteen, cast, api_as):
    client = api_as(cast.ward_admin)
    everything = expected("", client)
    body = client.get(f"{LIST}?page=2&page_size=5").json()
    assert [row["id"] for row in body["results"]] == everything[5:10]
    assert body["count"] == 13
    following, _ = walk(client, body["next"])
    assert following == everything[10:]
    before, _ = walk(client, body["previous"], key="previous")
    assert before == everything[:5]
    assert client.get(f"{LIST}?page=4&page_size=5").status_code == 404


def test_a_deep_page_reads_keys_first_with_the_same_rows(
    thirteen, cast, api_as, monkeypatch, settings
):
    settings.LIST_CACHE_SECONDS = 0  # rendered each time: its queries are what is checked
    client = api_as(cast.ward_admin)
    shallow = client.get(f"{LIST}?page=3&page_size=4&ordering=priority").json()
    monkeypatch.setattr(pagination, "DEFERRED_OFFSET", 4)
    with CaptureQueriesContext(connection) as captured:
        deep = client.get(f"{LIST}?page=3&page_size=4&ordering=priority").json()
    assert deep == shallow
    keys_first = 'SELECT "complaints"."id" AS "pk" FROM'
    assert any(q["sql"].startswith(keys_first) for q in captured.captured_queries)


@pytest.mark.parametrize(
    "cursor",
    ["not-base64!", "e30", "eyJvIjogWyItY3JlYXRlZF9hdCIsICItaWQiXSwgInYiOiBbMSwgMl19", "W10"],
)
def test_a_bad_cursor_is_a_404_in_the_error_shape(cursor, thirteen, cast, api_as):
    response = api_as(cast.ward_admin).get(f"{LIST}?cursor={cursor}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_cursor_of_another_ordering_is_refused(thirteen, cast, api_as):
    client = api_as(cast.ward_admin)
    following = client.get(f"{LIST}?page_size=4").json()["next"]
    assert client.get(f"{following}&ordering=priority").status_code == 404


def test_a_cursor_cannot_reach_outside_the_callers_scope(thirteen, cast, api_as):
    """A cursor is only a position: the viewer's scope and filters still apply past it."""
    following = api_as(cast.super_admin).get(f"{LIST}?page_size=1").json()["next"]
    token = following.split("cursor=")[1]
    ids, _ = walk(api_as(cast.other_admin), f"{LIST}?cursor={token}")
    visible = set(Complaint.objects.filter(ward_number="9").values_list("id", flat=True))
    assert {str(pk) for pk in visible} >= set(ids)


def test_large_counts_are_cached_per_caller_and_small_ones_exact(
    thirteen, cast, api_as, monkeypatch
):
    cache.clear()
    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 10)
    client = api_as(cast.ward_admin)
    page = f"{LIST}?page_size=5"  # full pages: the count is asked of the database
    assert client.get(page).json()["count"] == 13
    ComplaintFactory(user=cast.owner, ward_number="5")
    assert client.get(page).json()["count"] == 13  # over the limit: the cached count
    assert api_as(cast.super_admin).get(page).json()["count"] == 15  # another caller's own
    assert client.get(f"{page}&priority=high").json()["count"] == 5  # under it: exact
    cache.clear()
    assert client.get(page).json()["count"] == 14


def test_a_first_page_that_is_not_full_counts_exactly_whatever_the_cache(
    thirteen, cast, api_as, monkeypatch
):
    cache.clear()
    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 10)
    client = api_as(cast.ward_admin)
    assert client.get(f"{LIST}?page_size=5").json()["count"] == 13  # cached
    ComplaintFactory(user=cast.owner, ward_number="5")
    assert client.get(LIST).json()["count"] == 14  # all 14 on page 1: their number


def test_a_search_count_is_kept_for_a_minute_per_caller_and_query(cast, api_as):
    """Counting a search reads every candidate row's text, so its count is cached like a large
    one; the page itself is always read fresh."""
    cache.clear()
    for _ in range(3):
        ComplaintFactory(user=cast.owner, ward_number="5", title="ডাস্টবিন উপচে পড়ছে")
    ComplaintFactory(user=cast.owner, ward_number="5", title="রাস্তার বাতি নষ্ট")
    client = api_as(cast.ward_admin)
    search = f"{LIST}?page_size=2&search=ডাস্টবিন"  # full pages: the count is asked for
    assert client.get(search).json()["count"] == 3
    ComplaintFactory(user=cast.owner, ward_number="5", title="ডাস্টবিন ভাঙা")
    body = client.get(search).json()
    assert body["count"] == 3  # kept
    assert body["results"][0]["title"] == "ডাস্টবিন ভাঙা"  # the rows are fresh
    assert client.get(f"{LIST}?search=ডাস্টবিন").json()["count"] == 4  # one page: exact
    cache.clear()
    assert client.get(search).json()["count"] == 4


def test_a_descending_ordering_is_the_reverse_of_the_ascending_one(thirteen, cast, api_as):
    client = api_as(cast.ward_admin)
    for name in ("priority", "status", "created_at"):
        assert expected(f"ordering=-{name}", client) == expected(f"ordering={name}", client)[::-1]


def test_a_rank_pinned_by_a_filter_keeps_the_default_order(thirteen, cast, api_as):
    client = api_as(cast.ward_admin)
    high = expected("priority=high", client)
    assert expected("priority=high&ordering=-priority", client) == high
