"""REST endpoints of /notices/: the permission matrix, the board of each reader, bad input."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.notices.models import Notice, NoticeView, NoticeWard
from apps.users.models import ActivityAction, ActivityLog

from .conftest import ROLES, notice_admin
from .factories import NoticeFactory

pytestmark = pytest.mark.django_db

NOTICES = "/api/v1/notices/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client_for(api, api_as, person):
    return api if person is None else api_as(person)


def upload(content: bytes, name: str):
    buffer = io.BytesIO(content)
    buffer.name = name
    return buffer


def ids(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def fields(**overrides) -> dict:
    return {
        "title": "পানি সরবরাহ বন্ধ থাকবে",
        "content": "পাইপলাইন মেরামতের জন্য শুক্রবার সকাল ১০টা থেকে বিকেল ৪টা পর্যন্ত পানি থাকবে না।",
        "category": "পানি সরবরাহ",
        "target_wards": ["5"],
        **overrides,
    }


@pytest.fixture
def board(db):
    """Ward 5's notice, a city-wide one, ward 12's, and ward 5's scheduled and withdrawn ones."""
    now = timezone.now()
    return {
        "ward5": NoticeFactory(target_wards=["5"]),
        "city": NoticeFactory(),
        "ward12": NoticeFactory(target_wards=["12"]),
        "scheduled5": NoticeFactory(target_wards=["5"], published_at=now + timedelta(days=1)),
        "withdrawn5": NoticeFactory(target_wards=["5"], is_active=False, withdrawn_at=now),
    }


# ---------------------------------------------------------------------------------------------
# The permission matrix
# ---------------------------------------------------------------------------------------------
LISTS = {
    "anonymous": {"city"},
    "citizen": {"ward5", "city"},
    "other_citizen": {"ward12", "city"},
    "provider": {"ward5", "city"},
    "ward_admin": {"ward5", "city", "scheduled5", "withdrawn5"},
    "other_admin": {"ward12", "city"},
    "super_admin": {"ward5", "city", "ward12", "scheduled5", "withdrawn5"},
}
READ_WARD5 = {"citizen", "provider", "ward_admin", "super_admin"}
WRITE_WARD5 = {"ward_admin", "super_admin"}


def write_status(who: str, allowed: set, *, success: int, hidden_from=("other_admin",)) -> int:
    if who == "anonymous":
        return 401
    if who in ("citizen", "other_citizen", "provider"):
        return 403
    if who in allowed:
        return success
    return 404 if who in hidden_from else 403


@pytest.mark.parametrize("who", ROLES)
class TestMatrix:
    def test_list(self, api, api_as, people, board, who):
        response = client_for(api, api_as, people[who]).get(NOTICES)
        names = {str(notice.pk): name for name, notice in board.items()}
        assert {names[i] for i in ids(response)} == LISTS[who]

    def test_detail_and_attachment(self, api, api_as, people, who):
        notice = NoticeFactory(target_wards=["5"])
        notice.attachment.save("rules.pdf", io.BytesIO(PDF))
        client = client_for(api, api_as, people[who])
        expected = 200 if who in READ_WARD5 else 404
        assert client.get(f"{NOTICES}{notice.pk}/").status_code == expected
        assert client.get(f"{NOTICES}{notice.pk}/attachment/").status_code == expected

    def test_create_for_a_ward(self, api, api_as, people, who):
        response = client_for(api, api_as, people[who]).post(NOTICES, fields(), format="json")
        expected = write_status(who, WRITE_WARD5, success=201, hidden_from=())
        assert response.status_code == expected
        assert Notice.objects.count() == (1 if expected == 201 else 0)

    def test_create_for_the_whole_city(self, api, api_as, people, who):
        response = client_for(api, api_as, people[who]).post(
            NOTICES, fields(target_wards=[], is_urgent=True), format="json"
        )
        expected = write_status(who, {"super_admin"}, success=201, hidden_from=())
        assert response.status_code == expected
        assert Notice.objects.count() == (1 if expected == 201 else 0)

    def test_edit(self, api, api_as, people, who):
        notice = NoticeFactory(target_wards=["5"], title="পুরনো শিরোনাম")
        client = client_for(api, api_as, people[who])
        patch = client.patch(f"{NOTICES}{notice.pk}/", {"title": "নতুন শিরোনাম"}, format="json")
        put = client.put(f"{NOTICES}{notice.pk}/", fields(title="আরও নতুন"), format="json")
        expected = write_status(who, WRITE_WARD5, success=200)
        assert (patch.status_code, put.status_code) == (expected, expected)
        notice.refresh_from_db()
        assert notice.title == ("আরও নতুন" if expected == 200 else "পুরনো শিরোনাম")

    def test_withdraw(self, api, api_as, people, who):
        notice = NoticeFactory(target_wards=["5"])
        response = client_for(api, api_as, people[who]).delete(f"{NOTICES}{notice.pk}/")
        expected = write_status(who, WRITE_WARD5, success=204)
        assert response.status_code == expected
        notice.refresh_from_db()
        assert Notice.objects.filter(pk=notice.pk).exists()  # kept for the record either way
        assert notice.is_active == (expected != 204)
        assert (notice.withdrawn_at is not None) == (expected == 204)


# ---------------------------------------------------------------------------------------------
# The board
# ---------------------------------------------------------------------------------------------
def test_a_ward_12_citizen_sees_ward_12_and_city_wide_notices_and_ward_5_only_city_wide(
    api, api_as, citizen, other_citizen
):
    city = NoticeFactory(title="city")
    ward12 = NoticeFactory(title="ward 12", target_wards=["12"])
    both = NoticeFactory(title="wards 12 and 30", target_wards=["12", "30"])
    NoticeFactory(title="ward 30", target_wards=["30"])

    assert set(ids(api_as(other_citizen).get(NOTICES))) == {str(city.pk), str(ward12.pk),
                                                            str(both.pk)}  # fmt: skip
    assert ids(api_as(citizen).get(NOTICES)) == [str(city.pk)]  # ward 5
    assert ids(api.get(NOTICES)) == [str(city.pk)]


def test_the_board_is_urgent_first_then_by_priority_then_newest(api):
    now = timezone.now()
    old_high = NoticeFactory(priority="high", published_at=now - timedelta(days=3))
    new_low = NoticeFactory(priority="low", published_at=now - timedelta(minutes=5))
    urgent = NoticeFactory(is_urgent=True, published_at=now - timedelta(days=5))
    new_normal = NoticeFactory(published_at=now - timedelta(minutes=10))
    old_normal = NoticeFactory(published_at=now - timedelta(days=1))

    assert ids(api.get(NOTICES)) == [
        str(n.pk) for n in (urgent, old_high, new_normal, old_normal, new_low)
    ]


def test_the_notice_object(api_as, citizen, super_admin):
    notice = NoticeFactory(
        target_wards=["12", "5"], priority="high", created_by=super_admin, title="শিরোনাম"
    )
    body = api_as(citizen).get(f"{NOTICES}{notice.pk}/").json()
    assert body["target_wards"] == ["5", "12"]
    assert (body["title"], body["priority"], body["is_urgent"]) == ("শিরোনাম", "high", False)
    assert (body["is_active"], body["state"], body["view_count"]) == (True, "published", 1)
    assert body["created_by_name"] == super_admin.name
    assert body["attachment_url"] is None
    assert (
        api_as(citizen)
        .get(f"{NOTICES}{notice.pk}/", HTTP_ACCEPT_LANGUAGE="en")
        .json()["priority_display"]
        == "High"
    )


def test_one_view_per_reader(api, api_as, citizen, provider):
    notice = NoticeFactory(target_wards=["5"])
    for _ in range(3):
        assert api_as(citizen).get(f"{NOTICES}{notice.pk}/").json()["view_count"] == 1
    city = NoticeFactory()
    assert api.get(f"{NOTICES}{city.pk}/").json()["view_count"] == 0  # anonymous: not counted
    assert api_as(provider).get(f"{NOTICES}{notice.pk}/").json()["view_count"] == 2
    assert NoticeView.objects.filter(notice=notice).count() == 2
    notice.refresh_from_db()
    assert notice.view_count == 2


def test_staff_previewing_a_scheduled_notice_is_not_a_reader(api_as, ward_admin):
    notice = NoticeFactory(target_wards=["5"], published_at=timezone.now() + timedelta(hours=2))
    body = api_as(ward_admin).get(f"{NOTICES}{notice.pk}/").json()
    assert (body["state"], body["view_count"]) == ("scheduled", 0)
    assert not NoticeView.objects.exists()


def test_staff_filter_by_state_category_and_ward(api_as, super_admin):
    now = timezone.now()
    live = NoticeFactory(target_wards=["5"], category="পানি")
    expired = NoticeFactory(published_at=now - timedelta(days=2), expires_at=now - timedelta(1))
    withdrawn = NoticeFactory(target_wards=["12"], is_active=False, withdrawn_at=now)
    client = api_as(super_admin)

    assert ids(client.get(NOTICES, {"is_active": "true"})) == [str(live.pk)]
    assert set(ids(client.get(NOTICES, {"is_active": "false"}))) == {
        str(expired.pk),
        str(withdrawn.pk),
    }
    assert ids(client.get(NOTICES, {"category": "পানি"})) == [str(live.pk)]
    assert ids(client.get(NOTICES, {"ward": "০১২"})) == [str(withdrawn.pk)]
    assert client.get(NOTICES, {"is_active": "maybe"}).status_code == 400


def test_a_citizen_may_filter_the_board_by_category(api_as, citizen):
    water = NoticeFactory(category="পানি", target_wards=["5"])
    NoticeFactory(category="বিদ্যুৎ")
    assert ids(api_as(citizen).get(NOTICES, {"category": "পানি"})) == [str(water.pk)]


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
def test_publishing_a_scheduled_notice(api, api_as, ward_admin, citizen):
    at = timezone.now() + timedelta(hours=3)
    response = api_as(ward_admin).post(
        NOTICES,
        fields(published_at=at.isoformat(), expires_at=(at + timedelta(days=7)).isoformat(),
               target_wards=["০৫", "5"], priority="urgent"),
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["is_active"], body["target_wards"]) == ("scheduled", True, ["5"])
    assert body["created_by_name"] == ward_admin.name
    assert ids(api_as(citizen).get(NOTICES)) == []  # not yet
    log = ActivityLog.objects.get(action=ActivityAction.NOTICE_CREATED)
    assert (log.user, str(log.resource_id)) == (ward_admin, body["id"])


def test_published_at_defaults_to_now(api_as, ward_admin, citizen):
    before = timezone.now()
    body = api_as(ward_admin).post(NOTICES, fields(), format="json").json()
    assert body["state"] == "published"
    notice = Notice.objects.get(pk=body["id"])
    assert before <= notice.published_at <= timezone.now()
    assert ids(api_as(citizen).get(NOTICES)) == [body["id"]]


def test_multipart_with_a_pdf_and_wards_as_parts(api_as, ward_admin, citizen, other_citizen):
    ward_admin.admin_permissions.update(ward_numbers=["5", "12"])
    response = api_as(ward_admin).post(
        NOTICES,
        {**fields(target_wards=["5", "12"]), "attachment": upload(PDF, "routine.pdf")},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["target_wards"] == ["5", "12"]
    assert body["attachment_name"] == "routine.pdf"
    url = body["attachment_url"]
    assert url == f"http://testserver/api/v1/notices/{body['id']}/attachment/"
    served = api_as(citizen).get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content) == PDF
    assert api_as(other_citizen).get(url).status_code == 200
    for _ in range(2):  # computed, then from the cache
        board = api_as(citizen).get(NOTICES).json()["results"]
        assert [(n["attachment_url"], n["created_by_name"]) for n in board] == [
            (url, ward_admin.name)
        ]
    # The kept board holds the path; each answer addresses it to the host it was asked at.
    board = api_as(citizen).get(NOTICES, HTTP_HOST="localhost").json()["results"]
    assert board[0]["attachment_url"] == url.replace("testserver", "localhost")


def test_a_photo_attachment_loses_its_metadata(api_as, super_admin):
    from PIL import Image

    from apps.complaints.tests.factories import photo_bytes

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    photo = upload(photo_bytes(exif=exif.tobytes()), "a.jpg")
    response = api_as(super_admin).post(
        NOTICES, {**fields(target_wards=[]), "attachment": photo}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    served = api_as(super_admin).get(response.json()["attachment_url"])
    content = b"".join(served.streaming_content)
    assert served["Content-Type"] == "image/jpeg"
    assert b"PhoneMaker" not in content


def test_a_fake_pdf_is_refused_and_nothing_is_stored(api_as, ward_admin):
    response = api_as(ward_admin).post(
        NOTICES, {**fields(), "attachment": upload(b"MZ\x90\x00 not a pdf", "x.pdf")}
    )
    assert response.status_code == 415
    assert response.json()["details"]["attachment"]
    assert not Notice.objects.exists()


def test_editing_replaces_the_wards_and_removes_the_attachment(api_as, super_admin):
    notice = NoticeFactory(target_wards=["5", "6"])
    notice.attachment.save("rules.pdf", io.BytesIO(PDF))
    stored = notice.attachment.name
    response = api_as(super_admin).patch(
        f"{NOTICES}{notice.pk}/", {"target_wards": ["6", "7"], "attachment": None}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert not notice.attachment.storage.exists(stored)
    assert response.json()["target_wards"] == ["6", "7"]
    assert response.json()["attachment_url"] is None
    assert sorted(NoticeWard.objects.values_list("ward_number", flat=True)) == ["6", "7"]
    log = ActivityLog.objects.get(action=ActivityAction.NOTICE_UPDATED)
    assert log.details == {"fields": ["attachment", "target_wards"]}


def test_a_withdrawn_notice_cannot_be_edited(api_as, super_admin):
    notice = NoticeFactory(is_active=False, withdrawn_at=timezone.now(), title="আগের")
    response = api_as(super_admin).patch(f"{NOTICES}{notice.pk}/", {"title": "পরের"})
    assert response.status_code == 409
    assert response.json()["code"] == "notice_withdrawn"
    notice.refresh_from_db()
    assert notice.title == "আগের"


def test_withdrawing_is_audited_and_repeatable(api_as, ward_admin, citizen):
    notice = NoticeFactory(target_wards=["5"])
    client = api_as(ward_admin)
    assert client.delete(f"{NOTICES}{notice.pk}/").status_code == 204
    assert client.delete(f"{NOTICES}{notice.pk}/").status_code == 204
    assert ActivityLog.objects.filter(action=ActivityAction.NOTICE_WITHDRAWN).count() == 1
    assert ids(api_as(citizen).get(NOTICES)) == []
    assert client.get(f"{NOTICES}{notice.pk}/").json()["state"] == "withdrawn"


# ---------------------------------------------------------------------------------------------
# Ward admins' limits
# ---------------------------------------------------------------------------------------------
def test_ward_admins_act_only_within_the_rights_their_rows_grant(api_as, ward_admin):
    client = api_as(ward_admin)
    mixed = client.post(NOTICES, fields(target_wards=["5", "12"]), format="json")
    city = client.post(NOTICES, fields(target_wards=[]), format="json")
    assert (mixed.status_code, city.status_code) == (403, 403)
    assert city.json()["details"]["target_wards"]
    assert not Notice.objects.exists()

    shared = NoticeFactory(target_wards=["5", "12"], title="যৌথ")
    assert client.get(f"{NOTICES}{shared.pk}/").status_code == 200  # seen, as it touches ward 5
    assert client.patch(f"{NOTICES}{shared.pk}/", {"title": "x"}).status_code == 403
    assert client.delete(f"{NOTICES}{shared.pk}/").status_code == 403

    own = NoticeFactory(target_wards=["5"])
    moved = client.patch(f"{NOTICES}{own.pk}/", {"target_wards": ["12"]}, format="json")
    widened = client.patch(f"{NOTICES}{own.pk}/", {"target_wards": []}, format="json")
    assert (moved.status_code, widened.status_code) == (403, 403)
    assert list(own.wards.values_list("ward_number", flat=True)) == ["5"]
    shared.refresh_from_db()
    assert (shared.title, shared.is_active) == ("যৌথ", True)


@pytest.mark.parametrize(
    ("missing", "method", "expected"),
    [("can_create", "post", 403), ("can_update", "patch", 403), ("can_delete", "delete", 403)],
)
def test_each_right_is_its_own(api_as, missing, method, expected):
    admin = notice_admin(["5"], **{missing: False})
    notice = NoticeFactory(target_wards=["5"], title="আগের")
    client = api_as(admin)
    if method == "post":
        response = client.post(NOTICES, fields(), format="json")
    elif method == "patch":
        response = client.patch(f"{NOTICES}{notice.pk}/", {"title": "পরের"}, format="json")
    else:
        response = client.delete(f"{NOTICES}{notice.pk}/")
    assert response.status_code == expected
    assert Notice.objects.count() == 1
    notice.refresh_from_db()
    assert (notice.title, notice.is_active) == ("আগের", True)


def test_an_admin_without_read_rights_sees_only_the_city_board(api_as, board):
    admin = notice_admin(["5"], can_read=False)
    assert ids(api_as(admin).get(NOTICES)) == [str(board["city"].pk)]


# ---------------------------------------------------------------------------------------------
# Bad input: 400 and nothing stored
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ["a", "list"]}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"content": {"not": "text"}}, "content"),
        ({"category": ""}, "category"),
        ({"priority": "critical"}, "priority"),
        ({"is_urgent": "maybe"}, "is_urgent"),
        ({"target_wards": "5"}, "target_wards"),
        ({"target_wards": ["99"]}, "target_wards"),
        ({"target_wards": ["৫", "abc"]}, "target_wards"),
        ({"published_at": "tomorrow"}, "published_at"),
        ({"expires_at": 12}, "expires_at"),
        ({"published_at": "2031-05-02T10:00:00+06:00", "expires_at": "2031-05-01T10:00:00+06:00"},
         "expires_at"),
        ({"published_at": "2031-05-02T10:00:00+06:00", "expires_at": "2031-05-02T10:00:00+06:00"},
         "expires_at"),
        ({"expires_at": "2020-01-01T00:00:00+06:00"}, "expires_at"),
        ({"attachment": "not-a-file"}, "attachment"),
    ],
)  # fmt: skip
def test_bad_input_is_a_400_and_nothing_is_stored(api_as, super_admin, changes, field):
    response = api_as(super_admin).post(NOTICES, fields(**changes), format="json")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "validation_error"
    assert field in body["details"]
    assert not Notice.objects.exists()
    assert not NoticeWard.objects.exists()
    assert not ActivityLog.objects.exists()


def test_a_missing_title_or_content_is_a_400(api_as, super_admin):
    response = api_as(super_admin).post(NOTICES, {"category": "সেবা"}, format="json")
    assert response.status_code == 400
    assert {"title", "content"} <= set(response.json()["details"])
    assert not Notice.objects.exists()


def test_a_bad_edit_changes_nothing(api_as, super_admin):
    notice = NoticeFactory(target_wards=["5"], title="আগের")
    before = Notice.objects.filter(pk=notice.pk).values().get()
    client = api_as(super_admin)
    for body in (
        {"title": "পরের", "target_wards": ["5", "404"]},
        {"title": "পরের", "expires_at": (notice.published_at - timedelta(1)).isoformat()},
        {"title": ""},
    ):
        assert client.patch(f"{NOTICES}{notice.pk}/", body, format="json").status_code == 400
    assert Notice.objects.filter(pk=notice.pk).values().get() == before
    assert list(notice.wards.values_list("ward_number", flat=True)) == ["5"]
    assert not ActivityLog.objects.exists()


def test_unknown_ids_are_404(api, api_as, super_admin):
    missing = "6e0b3f2a-9c14-4d7e-b851-3a2f90c4d6e8"
    assert api.get(f"{NOTICES}{missing}/").status_code == 404
    assert api_as(super_admin).patch(f"{NOTICES}{missing}/", {"title": "x"}).status_code == 404
    assert api_as(super_admin).get(f"{NOTICES}{missing}/attachment/").status_code == 404
    notice = NoticeFactory()
    assert api_as(super_admin).get(f"{NOTICES}{notice.pk}/attachment/").status_code == 404


@pytest.mark.parametrize(
    "query",
    [{"category": "a\x00b"}, {"is_active": "maybe"}, {"ward": "\x00"}],
)
def test_bad_filters_are_a_400_for_every_reader(api, api_as, super_admin, query):
    assert api.get(NOTICES, query).status_code == 400
    assert api_as(super_admin).get(NOTICES, query).status_code == 400


@pytest.mark.parametrize(
    "moment", ["2026-05-01T10:00:00+23:39", "0791-10-31T10:12:59+06:00", "3001-01-01T00:00:00Z"]
)
def test_times_the_database_cannot_compare_are_a_400(api_as, super_admin, moment):
    response = api_as(super_admin).post(NOTICES, fields(published_at=moment), format="json")
    assert response.status_code == 400
    assert response.json()["details"]["published_at"]
    assert not Notice.objects.exists()


def test_making_a_notice_urgent_needs_the_right_to_publish(api_as, db):
    from apps.notices.services import notice_create
    from apps.users.tests.factories import UserFactory

    from .conftest import notice_admin

    boss = UserFactory(user_type="super_admin")
    notice = notice_create(
        actor=boss,
        data={"title": "পানি", "content": "পানি থাকবে না", "category": "সেবা", "target_wards": ["5"]},
    )
    editor = notice_admin(["5"], can_create=False, can_delete=False)
    response = api_as(editor).patch(
        f"/api/v1/notices/{notice.pk}/", {"is_urgent": True}, format="json"
    )
    assert response.status_code == 403
    notice.refresh_from_db()
    assert not notice.is_urgent
