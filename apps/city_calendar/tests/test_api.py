"""REST endpoints of /calendar/: the permission matrix of each endpoint, filters, bad input."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.city_calendar.enums import CITY_TZ
from apps.city_calendar.models import Event, EventParticipant
from apps.users.models import ActivityAction, ActivityLog

from .conftest import ROLES
from .factories import EventFactory, EventParticipantFactory

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/calendar/events/"


def client_for(api, api_as, person):
    return api if person is None else api_as(person)


def titles(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {row["title"] for row in response.json()["results"]}


def fields(**overrides) -> dict:
    start = timezone.now() + timedelta(days=10)
    return {
        "title": "টিকা দিবস",
        "title_en": "Vaccination day",
        "description": "শিশুদের হাম-রুবেলা টিকা দেওয়া হবে।",
        "event_type": "vaccination",
        "start": start.isoformat(),
        "end": (start + timedelta(hours=4)).isoformat(),
        "location": "ওয়ার্ড কার্যালয়",
        "ward_number": "5",
        "capacity": 50,
        **overrides,
    }


def write_status(who: str, allowed: set, *, success: int) -> int:
    if who == "anonymous":
        return 401
    return success if who in allowed else 403


def audit_count(action) -> int:
    return ActivityLog.objects.filter(action=action).count()


# ---------------------------------------------------------------------------------------------
# Reading: anyone, every event, with counts
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ROLES)
def test_everyone_reads_the_whole_calendar_and_each_event(api, api_as, people, who):
    ward5 = EventFactory(title="ward5")
    EventFactory(title="ward12", ward_number="12")
    EventFactory(title="city", ward_number=None)
    client = client_for(api, api_as, people[who])
    assert titles(client.get(EVENTS)) == {"ward5", "ward12", "city"}
    answer = client.get(f"{EVENTS}{ward5.pk}/")
    assert answer.status_code == 200
    assert answer.json() == {
        "id": str(ward5.pk),
        "title": "ward5",
        "title_en": ward5.title_en,
        "description": "",
        "event_type": "cleanup",
        "start": timezone.localtime(ward5.start).isoformat(),
        "end": timezone.localtime(ward5.end).isoformat(),
        "all_day": False,
        "location": "",
        "ward_number": "5",
        "capacity": None,
        "participant_count": 0,
        "is_joined": False,
    }


def test_counts_and_is_joined_are_per_caller(api, api_as, citizen, other_citizen):
    event = EventFactory()
    EventParticipantFactory(event=event, user=citizen)
    EventParticipantFactory(event=event)
    EventFactory()  # nobody joined
    mine = {row["id"]: row for row in api_as(citizen).get(EVENTS).json()["results"]}
    assert (mine[str(event.pk)]["participant_count"], mine[str(event.pk)]["is_joined"]) == (2, True)
    theirs = api_as(other_citizen).get(f"{EVENTS}{event.pk}/").json()
    assert (theirs["participant_count"], theirs["is_joined"]) == (2, False)
    assert api.get(f"{EVENTS}{event.pk}/").json()["is_joined"] is False


def test_the_list_costs_the_same_queries_for_one_event_or_many(api_as, citizen):
    def list_queries():
        client = api_as(citizen)
        client.get(EVENTS)  # the token's first use: the revocation table, the account cached
        with CaptureQueriesContext(connection) as queries:
            assert client.get(EVENTS).status_code == 200
        return len(queries)

    event = EventFactory()
    EventParticipantFactory(event=event, user=citizen)
    few = list_queries()
    for _ in range(6):
        more = EventFactory()
        EventParticipantFactory(event=more)
        EventParticipantFactory(event=more)
    assert list_queries() == few


def test_unknown_event_is_404(api):
    assert api.get(f"{EVENTS}00000000-0000-0000-0000-000000000000/").status_code == 404


def test_month_is_asia_dhaka_and_keeps_events_overlapping_it(api):
    def at(day, hour):
        return datetime(2025, day[0], day[1], hour, tzinfo=CITY_TZ)

    EventFactory(title="march", start=at((3, 10), 9), end=at((3, 10), 12))
    # 1 April 02:00 in Dhaka is still 31 March in UTC: an April event.
    EventFactory(title="april-early", start=at((4, 1), 2), end=at((4, 1), 4))
    EventFactory(title="across", start=at((3, 30), 9), end=at((4, 2), 17))
    EventFactory(title="may", start=at((5, 1), 9), end=at((5, 1), 10))
    assert titles(api.get(EVENTS, {"month": "2025-03"})) == {"march", "across"}
    assert titles(api.get(EVENTS, {"month": "2025-04"})) == {"april-early", "across"}


def test_ward_filter_adds_the_city_wide_events_and_type_filters(api):
    EventFactory(title="ward5")
    EventFactory(title="ward12", ward_number="12")
    EventFactory(title="city", ward_number=None, event_type="holiday")
    assert titles(api.get(EVENTS, {"ward_number": "০৫"})) == {"ward5", "city"}
    assert titles(api.get(EVENTS, {"event_type": "holiday"})) == {"city"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"month": "2025-13"}, "month"),
        ({"month": "March"}, "month"),
        ({"event_type": "party"}, "event_type"),
        ({"ward_number": "999"}, "ward_number"),
    ],
)
def test_bad_filters_are_400(api, query, field):
    response = api.get(EVENTS, query)
    assert response.status_code == 400, response.json()
    assert field in response.json()["details"]


# ---------------------------------------------------------------------------------------------
# Writing: staff with calendar rights for the ward; city-wide events super admins only
# ---------------------------------------------------------------------------------------------
WRITE_WARD5 = {"ward_admin", "super_admin"}


@pytest.mark.parametrize("who", ROLES)
def test_create_ward_event_matrix(api, api_as, people, who):
    client = client_for(api, api_as, people[who])
    response = client.post(EVENTS, fields(), format="json")
    expected = write_status(who, WRITE_WARD5, success=201)
    assert response.status_code == expected, response.json()
    if expected == 201:
        body = response.json()
        event = Event.objects.get(pk=body["id"])
        assert (event.ward_number, event.capacity, event.created_by) == ("5", 50, people[who])
        assert (body["participant_count"], body["is_joined"]) == (0, False)
        log = ActivityLog.objects.get(action=ActivityAction.EVENT_CREATED)
        assert log.resource_id == event.pk
    else:
        assert not Event.objects.exists()
        assert audit_count(ActivityAction.EVENT_CREATED) == 0


@pytest.mark.parametrize("who", ROLES)
def test_create_city_wide_event_matrix(api, api_as, people, who):
    client = client_for(api, api_as, people[who])
    response = client.post(EVENTS, fields(ward_number=None), format="json")
    assert response.status_code == write_status(who, {"super_admin"}, success=201)
    assert Event.objects.filter(ward_number__isnull=True).exists() == (who == "super_admin")


@pytest.mark.parametrize("who", ROLES)
def test_update_matrix(api, api_as, people, who):
    event = EventFactory(capacity=10)
    client = client_for(api, api_as, people[who])
    response = client.patch(f"{EVENTS}{event.pk}/", {"capacity": 20}, format="json")
    expected = write_status(who, WRITE_WARD5, success=200)
    assert response.status_code == expected, response.json()
    event.refresh_from_db()
    assert event.capacity == (20 if expected == 200 else 10)
    assert audit_count(ActivityAction.EVENT_UPDATED) == (1 if expected == 200 else 0)
    if expected == 200:
        assert response.json()["capacity"] == 20


@pytest.mark.parametrize("who", ROLES)
def test_update_city_wide_event_matrix(api, api_as, people, who):
    event = EventFactory(ward_number=None)
    client = client_for(api, api_as, people[who])
    response = client.put(f"{EVENTS}{event.pk}/", fields(ward_number=None), format="json")
    assert response.status_code == write_status(who, {"super_admin"}, success=200)


@pytest.mark.parametrize("who", ROLES)
def test_delete_matrix(api, api_as, people, citizen, who):
    event = EventFactory()
    EventParticipantFactory(event=event, user=citizen)
    client = client_for(api, api_as, people[who])
    response = client.delete(f"{EVENTS}{event.pk}/")
    expected = write_status(who, WRITE_WARD5, success=204)
    assert response.status_code == expected
    assert Event.objects.filter(pk=event.pk).exists() == (expected != 204)
    assert EventParticipant.objects.exists() == (expected != 204)
    assert audit_count(ActivityAction.EVENT_DELETED) == (1 if expected == 204 else 0)


def test_moving_an_event_to_a_ward_one_does_not_manage_is_refused(api_as, ward_admin):
    event = EventFactory()
    for ward in ("12", None):
        response = api_as(ward_admin).patch(
            f"{EVENTS}{event.pk}/", {"ward_number": ward}, format="json"
        )
        assert response.status_code == 403, ward
    event.refresh_from_db()
    assert event.ward_number == "5"


def test_rights_are_per_action(api_as):
    from .conftest import calendar_admin

    reader = calendar_admin(["5"], can_create=False, can_update=False, can_delete=False)
    event = EventFactory()
    client = api_as(reader)
    assert client.post(EVENTS, fields(), format="json").status_code == 403
    assert client.patch(f"{EVENTS}{event.pk}/", {"capacity": 3}, format="json").status_code == 403
    assert client.delete(f"{EVENTS}{event.pk}/").status_code == 403


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end": (timezone.now() + timedelta(days=9)).isoformat()}, "end"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": -3}, "capacity"),
        ({"ward_number": "999"}, "ward_number"),
        ({"event_type": "party"}, "event_type"),
        ({"title": "  "}, "title"),
        ({"start": "tomorrow"}, "start"),
    ],
)
def test_bad_input_is_400_and_nothing_is_stored(api_as, super_admin, overrides, field):
    response = api_as(super_admin).post(EVENTS, fields(**overrides), format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "validation_error"
    assert field in response.json()["details"]
    assert not Event.objects.exists()
    assert audit_count(ActivityAction.EVENT_CREATED) == 0


def test_a_bad_edit_changes_nothing(api_as, ward_admin):
    event = EventFactory()
    before = (event.start, event.end, event.updated_at)
    earlier = (event.start - timedelta(hours=1)).isoformat()
    response = api_as(ward_admin).patch(
        f"{EVENTS}{event.pk}/", {"end": earlier}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["details"] == {"end": ["An event cannot end before it starts."]}
    event.refresh_from_db()
    assert (event.start, event.end, event.updated_at) == before


def test_an_all_day_event_covers_its_whole_days_in_dhaka(api_as, super_admin):
    body = fields(
        ward_number=None,
        all_day=True,
        event_type="holiday",
        start="2030-12-16T10:30:00+06:00",
        end="2030-12-16T08:00:00+06:00",  # before start, but the same day: fine for all day
    )
    response = api_as(super_admin).post(EVENTS, body, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["start"], response.json()["end"]) == (
        "2030-12-16T00:00:00+06:00",
        "2030-12-16T23:59:59+06:00",
    )


# ---------------------------------------------------------------------------------------------
# Joining and leaving
# ---------------------------------------------------------------------------------------------
def join_url(event) -> str:
    return f"{EVENTS}{event.pk}/join/"


@pytest.mark.parametrize("who", ROLES)
def test_join_and_leave_matrix(api, api_as, people, who):
    event = EventFactory(ward_number="12")  # anyone signed in may join any ward's event
    client = client_for(api, api_as, people[who])
    joined = client.post(join_url(event))
    assert joined.status_code == (401 if who == "anonymous" else 201)
    left = client.delete(join_url(event))
    assert left.status_code == (401 if who == "anonymous" else 204)
    assert not EventParticipant.objects.exists()


def test_joining_twice_is_harmless(api_as, citizen):
    event = EventFactory(capacity=1)
    client = api_as(citizen)
    first = client.post(join_url(event))
    assert first.status_code == 201
    assert (first.json()["participant_count"], first.json()["is_joined"]) == (1, True)
    again = client.post(join_url(event))
    assert again.status_code == 200  # not event_full: the one place is theirs
    assert again.json() == first.json()
    assert EventParticipant.objects.filter(event=event, user=citizen).count() == 1


def test_a_full_event_answers_409_event_full(api_as, citizen, other_citizen):
    event = EventFactory(capacity=1)
    assert api_as(other_citizen).post(join_url(event)).status_code == 201
    response = api_as(citizen).post(join_url(event))
    assert response.status_code == 409
    assert response.json()["code"] == "event_full"
    assert EventParticipant.objects.filter(event=event).count() == 1


def test_a_past_event_cannot_be_joined_or_left(api_as, citizen, other_citizen):
    now = timezone.now()
    event = EventFactory(start=now - timedelta(days=2), end=now - timedelta(days=1))
    EventParticipantFactory(event=event, user=other_citizen)
    response = api_as(citizen).post(join_url(event))
    assert (response.status_code, response.json()["code"]) == (409, "event_over")
    response = api_as(other_citizen).delete(join_url(event))
    assert (response.status_code, response.json()["code"]) == (409, "event_over")
    assert list(EventParticipant.objects.values_list("user", flat=True)) == [other_citizen.pk]


def test_an_all_day_event_can_be_joined_on_its_day(api_as, citizen):
    today = timezone.localdate()
    start = datetime.combine(today, datetime.min.time(), tzinfo=CITY_TZ)
    # The day's very end: at 23:59 the test would fail in the day's last minute.
    end = start.replace(hour=23, minute=59, second=59, microsecond=999999)
    event = EventFactory(all_day=True, start=start, end=end)
    assert api_as(citizen).post(join_url(event)).status_code == 201


def test_leaving_frees_the_place(api_as, citizen, other_citizen):
    event = EventFactory(capacity=1)
    api_as(citizen).post(join_url(event))
    assert api_as(citizen).delete(join_url(event)).status_code == 204
    assert api_as(citizen).delete(join_url(event)).status_code == 204  # again: harmless
    assert api_as(other_citizen).post(join_url(event)).status_code == 201


def test_joining_an_unknown_event_is_404(api_as, citizen):
    url = f"{EVENTS}00000000-0000-0000-0000-000000000000/join/"
    assert api_as(citizen).post(url).status_code == 404
    assert api_as(citizen).delete(url).status_code == 404
