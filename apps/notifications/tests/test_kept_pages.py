"""Kept inbox pages and unread counts (core/lists.py, pages.py): asked again, they come from the
cache; a new notification, or marking one read, retires them at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.notifications.services import notification_send
from apps.users.tests.factories import UserFactory

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/notifications/"
COUNT = f"{BASE}unread-count/"


def kept(client, path):
    """The answer at ``path``, once it is kept: the write that follows must retire it."""
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    assert len(queries) == 0, "the answer was not kept"
    return response.json()


def test_the_inbox_and_its_count_are_kept_until_a_notification_arrives(api_as, citizen):
    NotificationFactory(user=citizen, title="First")
    inbox = api_as(citizen)
    assert [row["title"] for row in kept(inbox, BASE)["results"]] == ["First"]
    assert kept(inbox, COUNT) == {"unread": 1}

    notification_send(
        user=citizen, kind="notice.published", title="Second", body="", channels=("in_app",)
    )
    assert [row["title"] for row in inbox.get(BASE).json()["results"]] == ["Second", "First"]
    assert inbox.get(COUNT).json() == {"unread": 2}


def test_marking_read_retires_the_inbox_and_its_count(api_as, citizen):
    first, _second = NotificationFactory(user=citizen), NotificationFactory(user=citizen)
    inbox = api_as(citizen)
    kept(inbox, BASE)
    assert kept(inbox, COUNT) == {"unread": 2}

    assert inbox.post(f"{BASE}{first.pk}/read/").status_code == 200
    assert inbox.get(COUNT).json() == {"unread": 1}
    assert sum(row["is_read"] for row in inbox.get(BASE).json()["results"]) == 1

    kept(inbox, BASE)
    kept(inbox, COUNT)
    assert inbox.post(f"{BASE}read-all/").json() == {"updated": 1}
    assert inbox.get(COUNT).json() == {"unread": 0}
    assert all(row["is_read"] for row in inbox.get(BASE).json()["results"])


def test_another_persons_inbox_is_their_own(api_as, citizen):
    other_citizen = UserFactory()
    NotificationFactory(user=citizen, title="Mine")
    kept(api_as(citizen), BASE)
    assert api_as(other_citizen).get(BASE).json()["count"] == 0
    NotificationFactory(user=other_citizen, title="Theirs")
    assert [row["title"] for row in api_as(other_citizen).get(BASE).json()["results"]] == ["Theirs"]
    assert [row["title"] for row in api_as(citizen).get(BASE).json()["results"]] == ["Mine"]
