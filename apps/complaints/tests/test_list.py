"""The complaint list (filters, search, ordering, query count), statistics and public tracking."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from apps.complaints.enums import Category, Priority, Status
from apps.complaints.models import Complaint, ComplaintImage, ComplaintUpdate
from core.testing import page_queries

from .factories import ComplaintFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/complaints/"


def tracking(response) -> list[str]:
    return [row["tracking_number"] for row in response.json()["results"]]


@pytest.fixture
def mix(cast):
    """Four complaints in ward 5 of different kinds, one in ward 9."""
    return {
        "water_high": ComplaintFactory(
            user=cast.owner, category=Category.WATER, priority=Priority.HIGH, title="No water"
        ),
        "road_low": ComplaintFactory(
            user=cast.owner, category=Category.ROADS, priority=Priority.LOW, title="Pothole"
        ),
        "waste_done": ComplaintFactory(
            user=cast.owner, status=Status.RESOLVED, resolved_at=timezone.now(), title="Bins"
        ),
        "assigned": ComplaintFactory(
            user=cast.other_citizen, assigned_to=cast.provider, title="Streetlight"
        ),
        "ward9": ComplaintFactory(ward_number="9", title="Far away"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=resolved", {"waste_done"}),
        ("status=সমাধান হয়েছে", {"waste_done"}),
        ("category=water", {"water_high"}),
        ("priority=low", {"road_low"}),
        ("ward_number=9", {"ward9"}),
        ("search=pothole", {"road_low"}),
        ("ward_number=০৯", {"ward9"}),
    ],
)
def test_filters_and_search(query, expected, mix, cast, api_as):
    response = api_as(cast.super_admin).get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert set(tracking(response)) == {mix[name].tracking_number for name in expected}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ward_number=5", {"water_high", "road_low", "waste_done", "assigned"}),
        ("ward_number=05", {"water_high", "road_low", "waste_done", "assigned"}),
        ("ward_number=6", set()),
        ("ward_number=9", set()),  # a ward that is not theirs answers nothing
        ("ward_number=9&status=submitted", set()),
    ],
)
def test_a_ward_admin_filters_within_their_own_wards(query, expected, mix, cast, api_as):
    response = api_as(cast.ward_admin).get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert set(tracking(response)) == {mix[name].tracking_number for name in expected}
    assert response.json()["count"] == len(expected)


def test_a_ward_filter_outside_the_wards_still_finds_work_assigned_there(mix, cast, api_as):
    Complaint.objects.filter(pk=mix["ward9"].pk).update(assigned_to=cast.ward_admin)
    client = api_as(cast.ward_admin)
    assert tracking(client.get(f"{LIST}?ward_number=9")) == [mix["ward9"].tracking_number]
    assert len(tracking(client.get(f"{LIST}?ward_number=5"))) == 4


def test_a_ward_of_their_own_is_asked_of_the_database_as_that_ward_alone(mix, cast):
    """policy.complaints_visible_to: "ward 5 and ward in (5, 6)" misleads PostgreSQL's estimate
    (it multiplies the two), so a ward of the admin's own is the only ward condition."""
    from apps.complaints.policy import complaints_visible_to

    def where(ward):
        return str(complaints_visible_to(cast.ward_admin, ward=ward).query).split(" WHERE ")[1]

    assert where("5").count("ward_number") == 1
    assert " IN " not in where("5")
    assert " IN " in where("9")
    assert " IN " in where(None)


def test_a_page_without_filters_builds_no_filter_set(mix, cast, api_as, monkeypatch):
    """core.filters.PlainFilterBackend: no filter named, nothing to build (page 1 of a queue)."""
    from apps.complaints import selectors

    def refuse(*args, **kwargs):
        raise AssertionError("the filter set was built")

    monkeypatch.setattr(selectors.ComplaintFilter, "__init__", refuse)
    response = api_as(cast.super_admin).get(f"{LIST}?page_size=50&ordering=priority")
    assert response.status_code == 200
    assert set(tracking(response)) == {complaint.tracking_number for complaint in mix.values()}


@pytest.mark.parametrize("query", ["status=nonsense", "category=potholes", "priority=urgent"])
def test_unknown_filter_values_are_400(query, mix, cast, api_as):
    response = api_as(cast.super_admin).get(f"{LIST}?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()["details"]


def test_filter_by_assignee_and_date_range(mix, cast, api_as):
    client = api_as(cast.super_admin)
    assigned = client.get(f"{LIST}?assigned_to={cast.provider.pk}")
    assert tracking(assigned) == [mix["assigned"].tracking_number]
    Complaint.objects.filter(pk=mix["ward9"].pk).update(
        created_at=timezone.now() - timedelta(days=10)
    )
    since = (timezone.now() - timedelta(days=1)).isoformat()
    recent = client.get(LIST, {"created_after": since})
    assert mix["ward9"].tracking_number not in tracking(recent)
    assert len(tracking(recent)) == 4


def test_search_by_tracking_number(mix, cast, api_as):
    number = mix["road_low"].tracking_number
    assert tracking(api_as(cast.owner).get(f"{LIST}?search={number}")) == [number]


def test_a_whole_tracking_number_is_looked_up_by_its_index_not_searched_for(mix, cast, api_as):
    number = mix["road_low"].tracking_number
    mention = ComplaintFactory(user=cast.owner, description=f"Same pothole as {number}, still open")
    client = api_as(cast.super_admin)
    client.get(LIST)
    with CaptureQueriesContext(connection) as captured:
        found = tracking(client.get(LIST, {"search": f"  {number.lower()} "}))
    assert found == [number]  # any case; a complaint that only mentions it is not a match
    page = next(query["sql"] for query in captured if "ORDER BY" in query["sql"])
    assert '"tracking_number" = ' in page
    assert "LIKE" not in page.upper()
    # Part of a number, or a number with more words, searches the text as before.
    assert len(tracking(client.get(LIST, {"search": number[:10]}))) == 6
    assert tracking(client.get(LIST, {"search": f"{number} still"})) == [mention.tracking_number]
    # Digits of other scripts are not a tracking number's.
    bengali = number[:2] + number[2:].translate(str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯"))
    assert tracking(client.get(LIST, {"search": bengali})) == []


def test_a_tracking_number_outside_the_callers_scope_finds_nothing(mix, cast, api_as):
    number = mix["ward9"].tracking_number
    assert tracking(api_as(cast.ward_admin).get(LIST, {"search": number})) == []
    assert tracking(api_as(cast.owner).get(LIST, {"search": number})) == []
    assert tracking(api_as(cast.other_admin).get(LIST, {"search": number})) == [number]


def test_ordering_by_priority_means_urgency(mix, cast, api_as):
    rows = api_as(cast.super_admin).get(f"{LIST}?ordering=priority").json()["results"]
    ranks = [{"high": 1, "medium": 2, "low": 3}[row["priority_code"]] for row in rows]
    assert ranks == sorted(ranks)
    newest_first = api_as(cast.super_admin).get(f"{LIST}?ordering=-created_at").json()["results"]
    assert newest_first[0]["tracking_number"] == mix["ward9"].tracking_number


def test_the_list_query_count_does_not_grow_with_the_page(cast, api_as):
    for n in range(25):
        complaint = ComplaintFactory(user=cast.owner, assigned_to=cast.provider)
        ComplaintImage.objects.create(
            complaint=complaint, image=f"complaints/x/{n}.jpg", thumbnail=f"complaints/x/t{n}.jpg",
            file_size=10, width=1, height=1,
        )  # fmt: skip
    client = api_as(cast.ward_admin)
    client.get("/api/v1/auth/me/")  # a token's first use also asks the revocation table
    client.get(LIST)  # and a staff member's first list reads their kept permissions
    assert page_queries(client, LIST, 2) == page_queries(client, LIST, 20)


def test_the_page_reads_only_the_names_of_the_people_it_shows(cast, api_as, settings):
    settings.LIST_CACHE_SECONDS = 0  # rendered each time: its query is what is checked
    ComplaintFactory(user=cast.owner, assigned_to=cast.provider)
    client = api_as(cast.ward_admin)
    client.get(LIST)
    with CaptureQueriesContext(connection) as captured:
        row = client.get(LIST).json()["results"][0]
    assert (row["user_name"], row["assigned_to_name"]) == (cast.owner.name, cast.provider.name)
    page = next(query["sql"] for query in captured if "ORDER BY" in query["sql"])
    assert '"name"' in page
    for column in ("password", "phone", "nid", "address"):
        assert f'"{column}"' not in page


def test_the_detail_reads_its_history_with_the_authors_names_in_one_query(cast, api_as, settings):
    settings.LIST_CACHE_SECONDS = 0  # rendered each time: its queries are what is checked
    complaint = ComplaintFactory(user=cast.owner, assigned_to=cast.provider)
    moves = [(None, Status.SUBMITTED, cast.owner), (Status.SUBMITTED, Status.IN_PROGRESS,
             cast.ward_admin), (Status.IN_PROGRESS, Status.RESOLVED, cast.provider)]  # fmt: skip
    for old, new, author in moves:
        ComplaintUpdate.objects.create(
            complaint=complaint, old_status=old, new_status=new, updated_by=author
        )
    client = api_as(cast.owner)
    client.get(f"{LIST}{complaint.pk}/")
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(f"{LIST}{complaint.pk}/").json()
    assert [row["updated_by_name"] for row in answer["updates"]] == [
        author.name for _old, _new, author in moves
    ]
    assert answer["user_name"] == cast.owner.name
    assert answer["assigned_to_name"] == cast.provider.name
    assert len(captured) == 3  # the complaint, its photos, its history with the authors
    for query in captured:
        assert '"password"' not in query["sql"]


def test_statistics_are_scoped_and_zero_filled(mix, cast, api_as):
    stats = api_as(cast.ward_admin).get("/api/v1/complaints/statistics/").json()
    assert stats["total"] == 4  # ward 9 is not theirs
    by_status = {row["code"]: row["count"] for row in stats["by_status"]}
    assert by_status == {"submitted": 3, "in_progress": 0, "resolved": 1, "cancelled": 0}
    by_category = {row["code"]: row["count"] for row in stats["by_category"]}
    assert sum(by_category.values()) == 4
    assert by_category["water"] == 1
    everything = api_as(cast.super_admin).get("/api/v1/complaints/statistics/").json()
    assert everything["total"] == 5


def test_statistics_keep_seed_001_keys_for_the_flutter_client(mix, cast, api_as):
    stats = api_as(cast.ward_admin).get("/api/v1/complaints/statistics/").json()
    assert stats["total_complaints"] == 4
    assert stats["pending_complaints"] == 3
    assert stats["in_progress_complaints"] == 0
    assert stats["resolved_complaints"] == 1
    rows = {row["category"]: row["count"] for row in stats["category_statistics"]}
    assert set(rows) == set(Category.values)
    assert all(set(row) == {"category", "count"} for row in stats["category_statistics"])
    assert rows[Category.WATER] == 1
    assert sum(rows.values()) == 4


@pytest.mark.parametrize(
    ("role", "expected"),
    [("owner", 403), ("ward_admin", 200), ("provider", 200), ("super_admin", 200)],
)
def test_statistics_are_for_staff(role, expected, cast, api_as):
    assert api_as(getattr(cast, role)).get("/api/v1/complaints/statistics/").status_code == expected


def test_public_tracking_shows_progress_without_personal_data(cast, complaint, api, api_as):
    api_as(cast.ward_admin).post(
        f"/api/v1/complaints/{complaint.pk}/updates/",
        {"status": "in_progress", "comment": "Call the owner on 01812345678"},
        format="json",
    )
    response = api.get(f"/api/v1/complaints/track/{complaint.tracking_number.lower()}/")

    assert response.status_code == 200
    body = response.json()
    assert body["status_code"] == "in_progress"
    assert body["category_code"] == "waste"
    assert [h["new_status_code"] for h in body["history"]] == ["in_progress"]
    raw = response.content.decode()
    for private in (cast.owner.name, cast.owner.phone, cast.ward_admin.name, "01812345678",
                    complaint.location, complaint.description, str(cast.owner.pk)):  # fmt: skip
        assert private not in raw
    assert ComplaintUpdate.objects.count() == 1


def test_unknown_tracking_number_is_404(api):
    response = api.get("/api/v1/complaints/track/CC000000000000/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("language", ["bn", "en"])
def test_display_labels_are_what_the_model_says(mix, cast, api_as, language):
    rows = api_as(cast.super_admin).get(LIST, HTTP_ACCEPT_LANGUAGE=language).json()["results"]
    with translation.override(language):
        for row in rows:
            complaint = Complaint.objects.get(pk=row["id"])
            assert row["category_display"] == complaint.get_category_display()
            assert row["priority_display"] == complaint.get_priority_display()
            assert row["status_display"] == complaint.get_status_display()
