"""The chat inbox and conversations: every URL × role, the API's scope, answering by forms."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.chat.models import ChatMessage, ChatRoom
from apps.chat.services import message_send
from apps.chat.tests.factories import ChatMessageFactory, ChatRoomFactory
from apps.users.models import ActivityAction, ActivityLog
from apps.users.tests.factories import AdminPermissionFactory, UserFactory

ROLES = ["anonymous", "citizen", "provider", "ward_admin", "other_admin", "super_admin"]


@pytest.fixture
def duty(cast):
    """Chat rights: the ward admin for wards 5 and 6, the other admin for ward 9."""
    for admin, wards in ((cast.ward_admin, ["5", "6"]), (cast.other_admin, ["9"])):
        AdminPermissionFactory(
            admin=admin, permission_type="chat", resource_type="chat_room", ward_numbers=wards
        )
    return cast


@pytest.fixture
def room(duty, complaint):
    """The citizen's conversation about their ward-5 complaint; they wrote, nobody answered."""
    room = ChatRoomFactory(
        citizen=duty.citizen, complaint=complaint, ward_number="5", subject="Bin at Road 4"
    )
    message_send(room=room, sender=duty.citizen, text="When will the bin be emptied?")
    return room


@pytest.fixture
def far_room(duty):
    room = ChatRoomFactory(ward_number="9", subject="Ward nine drain")
    message_send(room=room, sender=room.citizen, text="Drain in ward nine")
    return room


def person(cast, role):
    return None if role == "anonymous" else getattr(cast, role)


def urls(room, actor):
    base = f"/console/chat/{room.pk}/"
    return {
        "inbox": ("get", "/console/chat/", {}),
        "room": ("get", base, {}),
        "send": ("post", f"{base}messages/", {"message": "We are on it"}),
        "assign": ("post", f"{base}assign/", {"assigned_to": str(actor.pk) if actor else ""}),
        "close": ("post", f"{base}close/", {}),
        "start": ("post", f"/console/complaints/{room.complaint_id}/chat/", {}),
    }


# The provider holds the complaint (so may open its page) but not the conversation; starting
# one is refused with a message and the complaint page again (302).
PAGES = ["inbox", "room", "send", "assign", "close", "start"]


def expect(*codes):
    return dict(zip(PAGES, codes, strict=True))


EXPECTED = {
    "anonymous": expect(302, 302, 302, 302, 302, 302),
    "citizen": expect(403, 403, 403, 403, 403, 403),
    "provider": expect(200, 404, 404, 404, 404, 302),
    "ward_admin": expect(200, 200, 302, 302, 302, 302),
    "other_admin": expect(200, 404, 404, 404, 404, 404),
    "super_admin": expect(200, 200, 302, 302, 302, 302),
}


def snapshot(room):
    return (
        ChatRoom.objects.values().get(pk=room.pk),
        list(ChatMessage.objects.values_list("pk", "is_read").order_by("pk")),
        ChatRoom.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PAGES)
def test_permission_matrix(duty, room, console_as, role, name):
    actor = person(duty, role)
    method, url, data = urls(room, actor)[name]
    before = snapshot(room)

    response = getattr(console_as(actor), method)(url, data)

    assert response.status_code == EXPECTED[role][name]
    if role == "anonymous":
        assert response["Location"].startswith("/console/login/?next=")
    if response.status_code in (403, 404) or role == "anonymous" or role == "provider":
        assert snapshot(room) == before
    elif name == "start":  # the open conversation about the complaint is the one it finds
        assert response["Location"] == f"/console/chat/{room.pk}/"
        assert ChatRoom.objects.count() == 1


def test_a_ward_admin_never_sees_another_wards_conversation(duty, room, far_room, console_as):
    client = console_as(duty.ward_admin)
    inbox = client.get("/console/chat/")
    assert [r.pk for r in inbox.context["page"]] == [room.pk]
    assert "Ward nine drain" not in inbox.content.decode()
    assert client.get(f"/console/chat/{far_room.pk}/").status_code == 404

    other = console_as(duty.other_admin)
    assert [r.pk for r in other.get("/console/chat/").context["page"]] == [far_room.pk]
    # Nor the conversation about a ward-5 complaint through that complaint's page.
    assert other.get(f"/console/complaints/{room.complaint_id}/").status_code == 404


def test_the_complaint_page_links_its_conversation_for_those_who_may_see_chats(
    duty, room, console_as
):
    link = f'href="/console/chat/{room.pk}/"'
    page = console_as(duty.ward_admin).get(f"/console/complaints/{room.complaint_id}/")
    assert link in page.content.decode()
    assert "When will the bin be emptied?" in page.content.decode()

    complaints_only = UserFactory(user_type="admin")
    AdminPermissionFactory(admin=complaints_only, ward_numbers=["5"])
    page = console_as(complaints_only).get(f"/console/complaints/{room.complaint_id}/")
    assert page.status_code == 200
    assert link not in page.content.decode()
    assert "When will the bin be emptied?" not in page.content.decode()
    assert 'id="complaint-chat"' not in page.content.decode()


def test_the_inbox_shows_what_the_api_lists_for_the_same_viewer(
    duty, room, far_room, console_as, api_as
):
    ChatRoomFactory(ward_number="6", assigned_to=duty.provider)
    for viewer in (duty.ward_admin, duty.other_admin, duty.provider, duty.super_admin):
        listed = api_as(viewer).get("/api/v1/chat/rooms/", {"page_size": 100}).json()
        shown = console_as(viewer).get("/console/chat/").context["page"]
        assert {str(r.pk) for r in shown} == {row["id"] for row in listed["results"]}


def test_waiting_unassigned_conversations_come_first_with_unread_counts(duty, console_as):
    now = timezone.now()
    answered = ChatRoomFactory(ward_number="5", subject="answered")
    ChatMessageFactory(room=answered)
    message_send(room=answered, sender=duty.ward_admin, text="Done")
    held = ChatRoomFactory(ward_number="5", subject="held", assigned_to=duty.ward_admin)
    message_send(room=held, sender=held.citizen, text="Still there?")
    waiting = ChatRoomFactory(ward_number="6", subject="waiting")
    message_send(room=waiting, sender=waiting.citizen, text="Hello?")
    message_send(room=waiting, sender=waiting.citizen, text="Anyone?")
    closed = ChatRoomFactory(ward_number="5", subject="closed", is_closed=True)
    for age, row in enumerate((closed, answered, held, waiting)):  # waiting is the oldest
        ChatRoom.objects.filter(pk=row.pk).update(last_message_at=now - timedelta(hours=age))

    page = console_as(duty.ward_admin).get("/console/chat/")
    rows = list(page.context["page"])

    assert [r.subject for r in rows] == ["waiting", "held", "answered", "closed"]
    assert [r.unread_count for r in rows] == [2, 1, 1, 0]
    assert [r.waiting for r in rows] == [True, True, False, False]
    assert "2 unread" in page.content.decode()


def test_opening_a_conversation_marks_it_read_and_an_answer_reaches_the_citizens_api(
    duty, room, console_as, api_as
):
    client = console_as(duty.ward_admin)
    opened = client.get(f"/console/chat/{room.pk}/")
    assert [m.message for m in opened.context["chat_messages"]] == ["When will the bin be emptied?"]
    assert ChatMessage.objects.get(room=room).is_read is True
    assert client.get("/console/chat/").context["page"][0].unread_count == 0

    answered = client.post(
        f"/console/chat/{room.pk}/messages/", {"message": "Tomorrow morning"}, follow=True
    )

    assert answered.redirect_chain == [(f"/console/chat/{room.pk}/", 302)]
    assert "Tomorrow morning" in answered.content.decode()
    seen = api_as(duty.citizen).get(f"/api/v1/chat/rooms/{room.pk}/messages/").json()
    assert (seen["results"][0]["message"], seen["results"][0]["sender_id"]) == (
        "Tomorrow morning",
        str(duty.ward_admin.pk),
    )


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        ({"message": "   "}, "Write a message first."),
        ({}, "This field is required."),
        ({"message": "x" * 4001}, "Ensure this value has at most 4000 characters"),
        ({"message": "bad\x00char"}, "Null characters are not allowed."),
    ],
)
def test_a_bad_message_is_explained_and_nothing_is_stored(duty, room, console_as, data, shown):
    before = ChatMessage.objects.count()
    response = console_as(duty.ward_admin).post(
        f"/console/chat/{room.pk}/messages/", data, follow=True
    )
    assert shown in response.content.decode()
    assert ChatMessage.objects.count() == before


def test_a_closed_conversation_takes_no_answer(duty, room, console_as):
    client = console_as(duty.ward_admin)
    closed = client.post(f"/console/chat/{room.pk}/close/", follow=True)
    assert "The conversation is closed." in closed.content.decode()
    assert ChatRoom.objects.get(pk=room.pk).is_closed is True

    refused = client.post(f"/console/chat/{room.pk}/messages/", {"message": "Hi"}, follow=True)

    assert "This conversation has been closed." in refused.content.decode()
    assert ChatMessage.objects.filter(room=room).count() == 1
    assert ActivityLog.objects.filter(action=ActivityAction.CHAT_CLOSED).count() == 1


def test_take_hand_on_and_give_back(duty, room, console_as):
    client = console_as(duty.ward_admin)
    base = f"/console/chat/{room.pk}/"

    client.post(f"{base}assign/", {"assigned_to": str(duty.ward_admin.pk)})
    assert ChatRoom.objects.get(pk=room.pk).assigned_to == duty.ward_admin
    client.post(f"{base}assign/", {"assigned_to": ""})
    assert ChatRoom.objects.get(pk=room.pk).assigned_to is None
    refused = client.post(f"{base}assign/", {"assigned_to": str(duty.other_admin.pk)}, follow=True)
    assert "A conversation can be handed to active staff only." in refused.content.decode()
    assert ChatRoom.objects.get(pk=room.pk).assigned_to is None

    handed = client.post(f"{base}assign/", {"assigned_to": str(duty.provider.pk)})
    assert ChatRoom.objects.get(pk=room.pk).assigned_to == duty.provider
    assert handed["Location"] == base  # the ward admin still sees their ward's conversation
    provider_page = console_as(duty.provider).get(base)
    assert provider_page.status_code == 200
    assert provider_page.context["may_answer"] is True


def test_staff_start_a_conversation_about_a_complaint_with_its_citizen(
    duty, complaint, console_as, api_as
):
    client = console_as(duty.ward_admin)
    page = client.get(f"/console/complaints/{complaint.pk}/").content.decode()
    section = page[page.index('id="complaint-chat"') :]
    assert "Start a conversation with the citizen" in section
    assert 'name="csrfmiddlewaretoken" value="' in section[: section.index("</form>")]

    started = client.post(f"/console/complaints/{complaint.pk}/chat/")

    room = ChatRoom.objects.get()
    assert (room.citizen, room.complaint, room.ward_number) == (duty.citizen, complaint, "5")
    assert started["Location"] == f"/console/chat/{room.pk}/"
    client.post(f"/console/chat/{room.pk}/messages/", {"message": "Is the bin still full?"})
    listed = api_as(duty.citizen).get("/api/v1/chat/rooms/").json()["results"]
    assert [(r["id"], r["last_message"]["message"]) for r in listed] == [
        (str(room.pk), "Is the bin still full?")
    ]
    again = client.get(f"/console/complaints/{complaint.pk}/").content.decode()
    assert "Start a conversation with the citizen" not in again


def test_forms_need_the_csrf_token(duty, room):
    client = Client(enforce_csrf_checks=True)
    client.force_login(duty.ward_admin)
    base = f"/console/chat/{room.pk}/"
    before = snapshot(room)
    for path, data in (
        ("messages/", {"message": "Hi"}),
        ("assign/", {"assigned_to": str(duty.ward_admin.pk)}),
        ("close/", {}),
    ):
        assert client.post(base + path, data).status_code == 403
    assert client.post(f"/console/complaints/{room.complaint_id}/chat/").status_code == 403
    assert snapshot(room) == before


def test_the_hand_to_list_offers_only_staff_who_may_take_the_room(duty, room, console_as):
    """The chat policy's ``staff_may_take``: the room's ward's chat admins, super admins and
    providers; never the admin of another ward (who could not see the room)."""
    page = console_as(duty.super_admin).get(f"/console/chat/{room.pk}/")
    offered = set(page.context["assignees"])

    assert duty.ward_admin in offered
    assert duty.super_admin in offered
    assert duty.other_admin not in offered
    assert duty.citizen not in offered


def test_starting_a_chat_from_a_complaint_goes_through_the_chat_service(
    duty, room, console_as, monkeypatch
):
    from apps.chat import services

    called = []
    real = services.room_open_about_complaint
    monkeypatch.setattr(
        services,
        "room_open_about_complaint",
        lambda **kwargs: called.append(kwargs) or real(**kwargs),
    )
    response = console_as(duty.ward_admin).post(f"/console/complaints/{room.complaint_id}/chat/")

    assert response.status_code == 302
    assert [call["actor"] for call in called] == [duty.ward_admin]


def test_the_chat_service_refuses_staff_who_may_not_open_about_the_complaint(duty, complaint):
    from apps.chat.services import room_open_about_complaint
    from core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        room_open_about_complaint(actor=duty.other_admin, complaint=complaint)
