"""REST endpoints of /chat/: the permission matrix, messages in every form, bad input."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.chat.models import ChatMessage, ChatRoom
from apps.complaints.tests.factories import ComplaintFactory, photo_bytes
from apps.notifications.models import Notification

from .factories import ChatMessageFactory, ChatRoomFactory

pytestmark = pytest.mark.django_db

ROOMS = "/api/v1/chat/rooms/"


def client_for(api, api_as, person):
    return api if person is None else api_as(person)


def upload(content: bytes, name: str):
    buffer = io.BytesIO(content)
    buffer.name = name
    return buffer


# ---------------------------------------------------------------------------------------------
# The permission matrix
# ---------------------------------------------------------------------------------------------
SEE = {"citizen", "ward_admin", "super_admin"}
ANSWER = {"citizen", "ward_admin", "super_admin"}
STAFF_ACT = {"ward_admin", "super_admin"}


@pytest.mark.parametrize(
    "who",
    ["anonymous", "citizen", "other_citizen", "ward_admin", "other_admin", "provider",
     "super_admin"],
)  # fmt: skip
class TestMatrix:
    def test_room_list(self, api, api_as, people, room, who):
        response = client_for(api, api_as, people[who]).get(ROOMS)
        if who == "anonymous":
            assert response.status_code == 401
            return
        assert response.status_code == 200
        ids = [row["id"] for row in response.json()["results"]]
        assert ids == ([str(room.pk)] if who in SEE else [])

    def test_room_detail_and_history(self, api, api_as, people, room, who):
        ChatMessageFactory(room=room)
        client = client_for(api, api_as, people[who])
        for path in (f"{ROOMS}{room.pk}/", f"{ROOMS}{room.pk}/messages/"):
            response = client.get(path)
            expected = 401 if who == "anonymous" else 200 if who in SEE else 404
            assert response.status_code == expected, path

    def test_post_message(self, api, api_as, people, room, who):
        response = client_for(api, api_as, people[who]).post(
            f"{ROOMS}{room.pk}/messages/", {"message": "হ্যালো"}, format="json"
        )
        expected = 401 if who == "anonymous" else 201 if who in ANSWER else 404
        assert response.status_code == expected
        assert ChatMessage.objects.count() == (1 if expected == 201 else 0)

    def test_read(self, api, api_as, people, room, who):
        response = client_for(api, api_as, people[who]).post(f"{ROOMS}{room.pk}/read/")
        assert response.status_code == (401 if who == "anonymous" else 200 if who in SEE else 404)

    def test_assign_and_close(self, api, api_as, people, room, who):
        client = client_for(api, api_as, people[who])
        assign = client.post(
            f"{ROOMS}{room.pk}/assign/", {"assigned_to": str(people["provider"].pk)}, format="json"
        )
        close = client.post(f"{ROOMS}{room.pk}/close/")
        if who == "anonymous":
            expected = 401
        elif who in ("citizen", "other_citizen"):
            expected = 403
        else:
            expected = 200 if who in STAFF_ACT else 404
        assert (assign.status_code, close.status_code) == (expected, expected)
        room.refresh_from_db()
        assert room.is_closed == (expected == 200)
        assert (room.assigned_to_id == people["provider"].pk) == (expected == 200)

    def test_open_room(self, api, api_as, people, who):
        response = client_for(api, api_as, people[who]).post(
            ROOMS, {"subject": "রাস্তার বাতি"}, format="json"
        )
        expected = (
            401 if who == "anonymous" else 201 if who in ("citizen", "other_citizen") else 403
        )
        assert response.status_code == expected
        assert ChatRoom.objects.count() == (1 if expected == 201 else 0)


def test_a_provider_sees_and_answers_a_room_handed_to_them(api_as, room, ward_admin, provider):
    api_as(ward_admin).post(
        f"{ROOMS}{room.pk}/assign/", {"assigned_to": str(provider.pk)}, format="json"
    )
    client = api_as(provider)
    assert [r["id"] for r in client.get(ROOMS).json()["results"]] == [str(room.pk)]
    assert client.post(f"{ROOMS}{room.pk}/messages/", {"message": "আসছি"}).status_code == 201


def test_an_admin_with_read_only_chat_rights_sees_but_cannot_answer(api_as, room):
    from .conftest import chat_admin

    reader = chat_admin(["5"], can_update=False)
    client = api_as(reader)
    assert client.get(f"{ROOMS}{room.pk}/messages/").status_code == 200
    response = client.post(f"{ROOMS}{room.pk}/messages/", {"message": "hi"}, format="json")
    assert response.status_code == 403
    assert ChatMessage.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# Opening rooms
# ---------------------------------------------------------------------------------------------
def test_one_open_room_per_complaint(api_as, citizen):
    complaint = ComplaintFactory(user=citizen, ward_number="7")
    client = api_as(citizen)
    first = client.post(ROOMS, {"complaint": str(complaint.pk)}, format="json")
    again = client.post(ROOMS, {"complaint": str(complaint.pk)}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["ward_number"] == "7"  # the complaint's ward, not the citizen's
    assert first.json()["complaint"] == str(complaint.pk)
    general = client.post(ROOMS, {}, format="json")
    assert general.status_code == 201
    assert general.json()["ward_number"] == "5"
    assert ChatRoom.objects.count() == 2


def test_a_room_about_another_citizens_complaint_is_refused(api_as, citizen, other_citizen):
    complaint = ComplaintFactory(user=other_citizen)
    response = api_as(citizen).post(ROOMS, {"complaint": str(complaint.pk)}, format="json")
    assert response.status_code == 400
    assert response.json()["details"]["complaint"]
    assert ChatRoom.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------------------------
def test_text_message_round_trip(api_as, room, citizen, ward_admin):
    sent = api_as(citizen).post(
        f"{ROOMS}{room.pk}/messages/", {"message": "  ড্রেন উপচে পড়ছে  "}, format="json"
    )
    assert sent.status_code == 201
    body = sent.json()
    assert body["message"] == "ড্রেন উপচে পড়ছে"
    assert body["sender_id"] == str(citizen.pk)
    assert body["message_type"] == "text"
    assert body["file_url"] is None
    staff_rooms = api_as(ward_admin).get(ROOMS).json()["results"]
    assert staff_rooms[0]["unread_count"] == 1
    assert staff_rooms[0]["last_message"]["message"] == "ড্রেন উপচে পড়ছে"
    assert api_as(citizen).get(ROOMS).json()["results"][0]["unread_count"] == 0


def test_history_is_newest_first_and_paginated(api_as, room, citizen):
    for n in range(3):
        ChatMessageFactory(room=room, message=f"m{n}")
    page = api_as(citizen).get(f"{ROOMS}{room.pk}/messages/?page_size=2").json()
    assert page["count"] == 3
    assert [m["message"] for m in page["results"]] == ["m2", "m1"]


def test_a_photo_is_reencoded_without_metadata_and_served_to_participants_only(
    api, api_as, room, citizen, other_citizen
):
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    photo = upload(photo_bytes(exif=exif.tobytes()), "drain.jpg")
    response = api_as(citizen).post(
        f"{ROOMS}{room.pk}/messages/",
        {"message_type": "image", "file": photo},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    url = response.json()["file_url"]
    assert url.startswith("http://testserver/api/v1/chat/messages/")
    served = api_as(citizen).get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    content = b"".join(served.streaming_content)
    assert b"PhoneMaker" not in content
    assert not Image.open(io.BytesIO(content)).getexif()
    assert api_as(other_citizen).get(url).status_code == 404
    assert api.get(url).status_code == 401


def test_a_pdf_is_accepted_by_its_bytes(api_as, room, citizen):
    pdf = upload(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "bill.pdf")
    response = api_as(citizen).post(
        f"{ROOMS}{room.pk}/messages/", {"message_type": "file", "file": pdf}, format="multipart"
    )
    assert response.status_code == 201
    assert response.json()["file_name"] == "bill.pdf"


@pytest.mark.parametrize(
    ("data", "status", "field"),
    [
        ({"message": ""}, 400, "message"),
        ({"message": "   "}, 400, "message"),
        ({"message": "x" * 20_000}, 400, "message"),
        ({"message": "hi", "message_type": "video"}, 400, "message_type"),
        ({"message_type": "image"}, 400, "file"),
    ],
)
def test_bad_text_messages_store_nothing(api_as, room, citizen, data, status, field):
    response = api_as(citizen).post(f"{ROOMS}{room.pk}/messages/", data, format="json")
    assert response.status_code == status
    assert field in response.json()["details"]
    assert ChatMessage.objects.count() == 0


def test_fake_image_and_fake_pdf_are_415(api_as, room, citizen):
    client = api_as(citizen)
    fake_photo = upload(b"%PDF-1.4 not a photo", "photo.jpg")
    fake_pdf = upload(photo_bytes(), "doc.pdf")
    for message_type, file in (("image", fake_photo), ("file", fake_pdf)):
        response = client.post(
            f"{ROOMS}{room.pk}/messages/",
            {"message_type": message_type, "file": file},
            format="multipart",
        )
        assert response.status_code == 415, message_type
    assert ChatMessage.objects.count() == 0


def test_oversize_files_are_413(api_as, room, citizen, settings):
    settings.IMAGE_MAX_BYTES = 1000
    client = api_as(citizen)
    big_photo = upload(photo_bytes(size=(900, 900)), "big.jpg")
    response = client.post(
        f"{ROOMS}{room.pk}/messages/",
        {"message_type": "image", "file": big_photo},
        format="multipart",
    )
    assert response.status_code == 413
    big_pdf = upload(b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "big.pdf")
    response = client.post(
        f"{ROOMS}{room.pk}/messages/", {"message_type": "file", "file": big_pdf}, format="multipart"
    )
    assert response.status_code == 413
    assert ChatMessage.objects.count() == 0


def test_the_rate_limit_answers_429(api_as, room, citizen, settings):
    settings.CHAT_RATE_MESSAGES = 3
    client = api_as(citizen)
    codes = [
        client.post(f"{ROOMS}{room.pk}/messages/", {"message": f"{n}"}).status_code
        for n in range(4)
    ]
    assert codes == [201, 201, 201, 429]
    assert ChatMessage.objects.count() == 3


# ---------------------------------------------------------------------------------------------
# Reading, closing, reopening
# ---------------------------------------------------------------------------------------------
def test_read_marks_only_what_the_reader_received(api_as, room, citizen, ward_admin):
    ChatMessageFactory(room=room, sender=citizen)
    ChatMessageFactory(room=room, sender=ward_admin)
    result = api_as(ward_admin).post(f"{ROOMS}{room.pk}/read/").json()
    assert result["marked"] == 1
    assert ChatMessage.objects.get(sender=citizen).is_read
    assert not ChatMessage.objects.get(sender=ward_admin).is_read
    assert api_as(citizen).get(ROOMS).json()["results"][0]["unread_count"] == 1


def test_staff_cannot_write_in_a_closed_room_but_the_citizen_reopens_it(
    api_as, room, citizen, ward_admin
):
    api_as(ward_admin).post(f"{ROOMS}{room.pk}/close/")
    refused = api_as(ward_admin).post(f"{ROOMS}{room.pk}/messages/", {"message": "x"})
    assert refused.status_code == 409
    assert refused.json()["code"] == "room_closed"
    reopened = api_as(citizen).post(f"{ROOMS}{room.pk}/messages/", {"message": "আবার"})
    assert reopened.status_code == 201
    room.refresh_from_db()
    assert not room.is_closed


def test_assigning_tells_the_colleague(api_as, room, ward_admin, provider):
    response = api_as(ward_admin).post(
        f"{ROOMS}{room.pk}/assign/", {"assigned_to": str(provider.pk)}, format="json"
    )
    assert response.json()["assigned_to_name"] == provider.name
    assert Notification.objects.filter(user=provider, kind="chat.assigned").count() == 1


def test_a_room_cannot_go_to_a_citizen(api_as, room, ward_admin, other_citizen):
    response = api_as(ward_admin).post(
        f"{ROOMS}{room.pk}/assign/", {"assigned_to": str(other_citizen.pk)}, format="json"
    )
    assert response.status_code == 400
    room.refresh_from_db()
    assert room.assigned_to is None


def test_room_list_makes_a_fixed_number_of_queries(
    api_as, ward_admin, django_assert_max_num_queries
):
    for _ in range(5):
        room = ChatRoomFactory()
        ChatMessageFactory(room=room)
    client = api_as(ward_admin)
    with django_assert_max_num_queries(8):
        rows = client.get(ROOMS).json()["results"]
    assert len(rows) == 5
    assert all(row["unread_count"] == 1 for row in rows)


def test_the_room_list_reads_only_what_it_shows_of_people(api_as, ward_admin, provider):
    room = ChatRoomFactory(assigned_to=provider)
    room.last_message = ChatMessageFactory(room=room)
    room.save(update_fields=["last_message"])
    client = api_as(ward_admin)
    client.get(ROOMS)
    with CaptureQueriesContext(connection) as captured:
        row = client.get(ROOMS).json()["results"][0]
    assert row["citizen_name"] == room.citizen.name
    assert row["assigned_to_name"] == provider.name
    assert row["last_message"]["sender_name"] == room.citizen.name
    page = next(query["sql"] for query in captured if "ORDER BY" in query["sql"])
    for column in ("password", "phone", "nid", "address"):
        assert f'"{column}"' not in page
