"""GET requests and requests/{id}: fields, status mapping, filters, limits, formats."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from apps.complaints.enums import Category, Priority, Status
from apps.complaints.models import Complaint
from apps.complaints.services import tracking_number_next
from core.figures import dashboard_touch, dashboard_version

from .conftest import assert_errors, children, parse_xml, url

pytestmark = pytest.mark.django_db

REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["service_request_id"] for item in response.json()]


def set_status(complaint, status):
    """The row as a status change leaves it, with the version bump its service makes."""
    resolved_at = timezone.now() if status == Status.RESOLVED else None
    Complaint.objects.filter(pk=complaint.pk).update(status=status, resolved_at=resolved_at)
    dashboard_touch()


def test_a_request_in_json_has_the_spec_fields_and_values(api, file_complaint):
    complaint = file_complaint(
        category=Category.ROADS,
        location="Road 27, Dhanmondi",
        latitude=Decimal("23.74610000"),
        longitude=Decimal("90.37420000"),
    )

    response = api.get(url("requests"), HTTP_ACCEPT_LANGUAGE="en")

    assert response["Content-Type"] == "application/json; charset=utf-8"
    (item,) = response.json()
    assert list(item) == REQUEST_FIELDS
    complaint.refresh_from_db()
    assert item == {
        "service_request_id": complaint.tracking_number,
        "status": "open",
        "status_notes": "Submitted",
        "service_name": "Roads",
        "service_code": "roads",
        "description": "Roads",  # the service, never the citizen's own words
        "agency_responsible": "Dhaka South City Corporation",
        "service_notice": None,
        "requested_datetime": timezone.localtime(complaint.created_at).isoformat("T", "seconds"),
        "updated_datetime": timezone.localtime(complaint.updated_at).isoformat("T", "seconds"),
        "expected_datetime": None,
        "address": f"Ward {complaint.ward_number}, Dhaka South City Corporation",
        "address_id": None,
        "zipcode": None,
        "lat": 23.746,  # about 100 m: where, not whose door
        "long": 90.374,
        "media_url": None,
    }
    assert item["requested_datetime"].endswith("+06:00")
    assert item["updated_datetime"].endswith("+06:00")


def test_requests_in_xml_use_the_spec_elements(api, file_complaint):
    first = file_complaint(latitude=Decimal("23.7"), longitude=Decimal("90.4"))
    second = file_complaint(description="Drain blocked & smelly <again>")

    root = parse_xml(api.get(url("requests", "xml")))

    assert root.tag == "service_requests"
    assert children(root) == ["request", "request"]
    newest, oldest = root
    assert children(newest) == REQUEST_FIELDS
    assert newest.findtext("service_request_id") == second.tracking_number
    assert newest.findtext("description") == newest.findtext("service_name")
    assert b"Drain blocked" not in api.get(url("requests", "xml")).content
    assert newest.findtext("lat") == ""  # no coordinates: empty element
    assert oldest.findtext("service_request_id") == first.tracking_number
    assert (oldest.findtext("lat"), oldest.findtext("long")) == ("23.7", "90.4")
    assert oldest.findtext("requested_datetime").endswith("+06:00")
    assert oldest.findtext("status") == "open"


@pytest.mark.parametrize(
    ("status", "open311_status"),
    [
        (Status.SUBMITTED, "open"),
        (Status.IN_PROGRESS, "open"),
        (Status.RESOLVED, "closed"),
        (Status.CANCELLED, "closed"),
    ],
)
def test_status_mapping_and_notes(api, file_complaint, status, open311_status):
    complaint = file_complaint()
    set_status(complaint, status)

    (item,) = api.get(url(f"requests/{complaint.tracking_number}")).json()

    assert item["status"] == open311_status
    assert item["status_notes"] == str(Status(status).label)


def test_status_filter(api, file_complaint):
    submitted, in_progress, resolved, cancelled = (file_complaint() for _ in range(4))
    set_status(in_progress, Status.IN_PROGRESS)
    set_status(resolved, Status.RESOLVED)
    set_status(cancelled, Status.CANCELLED)

    opened = ids(api.get(url("requests"), {"status": "open"}))
    closed = ids(api.get(url("requests"), {"status": "closed"}))
    both = ids(api.get(url("requests"), {"status": "open,closed"}))
    repeated = ids(api.get(url("requests") + "?status=closed&status=open"))

    assert opened == [in_progress.tracking_number, submitted.tracking_number]
    assert closed == [cancelled.tracking_number, resolved.tracking_number]
    assert len(both) == len(repeated) == 4


def test_service_code_filter(api, file_complaint):
    waste = file_complaint(category=Category.WASTE)
    water = file_complaint(category=Category.WATER)
    file_complaint(category=Category.ROADS)

    assert ids(api.get(url("requests"), {"service_code": "water"})) == [water.tracking_number]
    assert ids(api.get(url("requests"), {"service_code": "waste,water"})) == [
        water.tracking_number,
        waste.tracking_number,
    ]


def test_date_filters_with_offsets(api, file_complaint):
    ten_days = file_complaint(days_ago=10)
    file_complaint(days_ago=40)
    file_complaint()
    start = (timezone.localtime() - timedelta(days=15)).isoformat("T", "seconds")
    end = (timezone.now() - timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%SZ")

    found = ids(api.get(url("requests"), {"start_date": start, "end_date": end}))

    assert found == [ten_days.tracking_number]


def test_a_plus_sign_left_unencoded_in_the_query_still_counts_as_the_offset(api, file_complaint):
    complaint = file_complaint(days_ago=2)
    start = (timezone.localtime() - timedelta(days=3)).isoformat("T", "seconds")

    response = api.get(url("requests") + f"?start_date={start}")  # "+06:00" arrives as " 06:00"

    assert ids(response) == [complaint.tracking_number]


def test_only_start_date_covers_the_90_days_after_it(api, file_complaint):
    file_complaint(days_ago=100)
    eighty = file_complaint(days_ago=80)
    start = (timezone.now() - timedelta(days=95)).isoformat()
    assert ids(api.get(url("requests"), {"start_date": start})) == [eighty.tracking_number]


def test_default_window_is_the_last_90_days(api, file_complaint):
    recent = file_complaint(days_ago=89)
    file_complaint(days_ago=91)

    assert ids(api.get(url("requests"))) == [recent.tracking_number]
    empty = {"start_date": "", "end_date": "", "status": "", "service_code": ""}
    assert ids(api.get(url("requests"), empty)) == [recent.tracking_number]  # empty = not sent


def test_default_limit_is_the_newest_1000(api, reporter_citizen):
    now = timezone.now()
    Complaint.objects.bulk_create(
        Complaint(
            user=reporter_citizen,
            tracking_number=tracking_number_next(),
            title=f"Bin {n}",
            description=f"Bin {n}",
            category=Category.WASTE,
            priority=Priority.MEDIUM,
            location="Road 4",
        )
        for n in range(1003)
    )
    for offset, pk in enumerate(Complaint.objects.order_by("title").values_list("pk", flat=True)):
        Complaint.objects.filter(pk=pk).update(created_at=now - timedelta(minutes=offset))
    newest_first = list(
        Complaint.objects.order_by("-created_at").values_list("tracking_number", flat=True)
    )

    found = ids(api.get(url("requests")))

    assert found == newest_first[:1000]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start_date": "2026-01-01T00:00:00"}, "start_date"),  # no offset
        ({"start_date": "2026-01-01"}, "start_date"),
        ({"end_date": "yesterday"}, "end_date"),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-02T00:00:00Z"}, "end_date"),
        ({"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-02-01T00:00:00Z"}, "end_date"),
        ({"status": "pending"}, "status"),
        ({"service_code": "potholes"}, "service_code"),
        # Years datetime cannot take 90 days from or add 90 days to: 400, never a 500.
        ({"end_date": "0001-01-02T00:00:00+00:00"}, "end_date"),
        ({"start_date": "9999-12-31T00:00:00+00:00"}, "start_date"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_filters_are_400_in_the_spec_shape(api, params, field, fmt):
    response = api.get(url("requests", fmt), params, HTTP_ACCEPT_LANGUAGE="en")

    descriptions = assert_errors(response, 400, fmt)
    assert descriptions[0].startswith(f"{field}: ")


def test_a_year_outside_1970_to_2999_is_refused_by_name(api):
    response = api.get(
        url("requests"), {"end_date": "0001-01-02T00:00:00+00:00"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert assert_errors(response, 400) == ["end_date: Use a year from 1970 to 2999."]


def test_ninety_days_exactly_is_allowed(api):
    params = {"start_date": "2026-01-01T00:00:00+06:00", "end_date": "2026-04-01T00:00:00+06:00"}
    assert api.get(url("requests"), params).status_code == 200


def test_ids_override_every_other_filter(api, file_complaint):
    old = file_complaint(days_ago=200, category=Category.WATER)
    recent = file_complaint()
    file_complaint()

    found = ids(
        api.get(
            url("requests"),
            {
                "service_request_id": f"{old.tracking_number}, {recent.tracking_number.lower()}",
                "service_code": "roads",
                "status": "closed",
                "start_date": "2020-01-01T00:00:00Z",
            },
        )
    )

    assert found == [recent.tracking_number, old.tracking_number]


def _listed_and_queries(api) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url("requests"))
    assert response.status_code == 200
    return len(response.json()), len(captured)


def test_listing_costs_one_query_however_many_requests_it_shows(api, file_complaint):
    for _ in range(3):
        file_complaint(ward_number="5", latitude=Decimal("23.7"), longitude=Decimal("90.4"))
    few = _listed_and_queries(api)
    for _ in range(27):
        file_complaint(ward_number="5", latitude=Decimal("23.7"), longitude=Decimal("90.4"))
    many = _listed_and_queries(api)

    assert (few, many) == ((3, 1), (30, 1))


def test_one_request_costs_one_query(api, file_complaint):
    complaint = file_complaint(ward_number="5", photo=True)

    with CaptureQueriesContext(connection) as captured:
        (item,) = api.get(url(f"requests/{complaint.tracking_number}")).json()

    assert item["address"] == "Ward 5, Dhaka South City Corporation"
    assert len(captured) == 1


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_one_request_is_a_list_of_one(api, file_complaint, fmt):
    complaint = file_complaint(days_ago=300)  # outside any window: ids are looked up directly
    path = url(f"requests/{complaint.tracking_number.lower()}", fmt)

    response = api.get(path)

    assert response.status_code == 200
    if fmt == "xml":
        root = parse_xml(response)
        assert (root.tag, children(root)) == ("service_requests", ["request"])
        assert root[0].findtext("service_request_id") == complaint.tracking_number
    else:
        assert ids(response) == [complaint.tracking_number]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_request_is_404_in_the_spec_shape(api, fmt):
    response = api.get(url("requests/CC202601019999", fmt), HTTP_ACCEPT_LANGUAGE="en")
    assert assert_errors(response, 404, fmt) == ["There is no service request CC202601019999."]


def test_photos_stay_behind_sign_in(api, file_complaint):
    complaint = file_complaint(photo=True)
    photo = complaint.images.get()

    response = api.get(url(f"requests/{complaint.tracking_number}"))

    (item,) = response.json()
    assert item["media_url"] is None
    assert photo.image.name not in response.content.decode()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_tokens_are_never_issued_so_any_token_is_404(api, fmt):
    response = api.get(url("tokens/12345", fmt), HTTP_ACCEPT_LANGUAGE="en")
    (description,) = assert_errors(response, 404, fmt)
    assert "no tokens are issued" in description


@pytest.mark.parametrize("language", ["bn", "en"])
def test_a_row_built_directly_from_the_selector_equals_the_field_by_field_one(
    file_complaint, language
):
    from rest_framework import serializers

    from apps.open311.selectors import RequestFilters, open311_request_list
    from apps.open311.serializers import Open311ServiceRequestSerializer

    filed = [
        file_complaint(ward_number="5", latitude="23.8103", longitude="90.4125"),
        file_complaint(ward_number="", category="রাস্তাঘাট"),
    ]
    for complaint, status in zip(filed, [Status.RESOLVED, Status.IN_PROGRESS], strict=True):
        set_status(complaint, status)
    complaints = list(Complaint.objects.order_by("-created_at"))
    rows = open311_request_list(filters=RequestFilters())  # what the list view serialises
    with translation.override(language):
        serializer = Open311ServiceRequestSerializer(rows, many=True)
        assert serializer.data == [
            serializers.Serializer.to_representation(serializer.child, complaint)
            for complaint in complaints
        ]


# ---------------------------------------------------------------------------------------------
# The latest feed (no dates) is kept for everyone until the complaints change
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_kept_feed_is_the_answer_computed_afresh(api, file_complaint, fmt):
    file_complaint(ward_number="5", latitude=Decimal("23.7"), longitude=Decimal("90.4"))
    file_complaint(ward_number="")
    computed = api.get(url("requests", fmt))

    with CaptureQueriesContext(connection) as captured:
        kept = api.get(url("requests", fmt))
    # A window the cache does not keep, holding the same two requests.
    week = {"start_date": (timezone.now() - timedelta(days=7)).isoformat()}
    afresh = api.get(url("requests", fmt), week)

    assert len(captured) == 0
    assert kept.content == computed.content == afresh.content
    assert kept.content.count(b"CC") == 2
    assert kept["Content-Type"] == computed["Content-Type"] == afresh["Content-Type"]


def test_a_filing_or_a_status_change_shows_in_the_feed_at_once(api, file_complaint):
    first = file_complaint()
    assert ids(api.get(url("requests"))) == [first.tracking_number]

    second = file_complaint()
    assert ids(api.get(url("requests"))) == [second.tracking_number, first.tracking_number]

    set_status(first, Status.RESOLVED)
    closed = ids(api.get(url("requests"), {"status": "closed"}))
    assert [item["status"] for item in api.get(url("requests")).json()] == ["open", "closed"]
    assert closed == [first.tracking_number]


def test_each_language_keeps_its_own_feed_and_filtered_answers_are_computed(api, file_complaint):
    file_complaint(category=Category.WATER)
    file_complaint(category=Category.ROADS)

    bengali = api.get(url("requests"), HTTP_ACCEPT_LANGUAGE="bn").json()
    english = api.get(url("requests"), HTTP_ACCEPT_LANGUAGE="en").json()
    with CaptureQueriesContext(connection) as captured:
        water = api.get(url("requests"), {"service_code": "water"}).json()
        api.get(url("requests"), {"service_code": "water"})

    with translation.override("bn"):
        submitted_in_bengali = str(Status.SUBMITTED.label)
    assert [item["status_notes"] for item in english] == ["Submitted", "Submitted"]
    assert [item["status_notes"] for item in bengali] == [submitted_in_bengali] * 2
    assert submitted_in_bengali != "Submitted"
    assert [item["service_code"] for item in water] == ["water"]
    assert len(captured) == 2


def test_a_change_replaces_the_kept_feed_rather_than_adding_one(api, file_complaint):
    """A feed is half a megabyte at city scale: one entry per format and language, whatever the
    number of writes, holding the version it was rendered at."""
    key = f"open311:feed:xml:en:{timezone.get_current_timezone_name()}"
    for _ in range(2):
        file_complaint()
        response = api.get(url("requests", "xml"), HTTP_ACCEPT_LANGUAGE="en")

        assert cache.get(key) == (dashboard_version(), response.content)
