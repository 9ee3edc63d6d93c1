"""Text a person types (searches, filters, staff and permission forms) with a NUL character or
of absurd length is refused with a clear message or ignored, never a 500 (PostgreSQL cannot
store or compare NUL)."""

import pytest
from django.db import connection

NUL = "bad\x00text"
LONG = "x" * 5000

SEARCHES = [
    "/console/?search={}",
    "/console/complaints.csv?search={}",
    "/console/?ward_number={}",
    "/console/notices/?category={}",
    "/console/emergencies/?ward_number={}",
    "/console/refunds/?search={}",
    "/console/donations/?search={}",
    "/console/notices/?ward={}",
    "/console/audit/?actor={}",
    "/console/audit/?resource_type={}",
    "/console/staff/?search={}",
    "/console/staff/?ward_number={}",
    "/console/calendar/?month={}",
    "/console/calendar/?ward={}",
]


def _get_all(client, text):
    from urllib.parse import quote

    return {url: client.get(url.format(quote(text))).status_code for url in SEARCHES}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("text", [NUL, LONG], ids=["nul", "long"])
def test_console_searches_on_postgresql_never_answer_500(cast, complaint, console_as, text):
    assert connection.vendor == "postgresql"
    client = console_as(cast.super_admin)
    client.raise_request_exception = False
    answers = _get_all(client, text)
    assert {url: code for url, code in answers.items() if code >= 500} == {}


STAFF_POSTS = {
    "create": (
        "/console/staff/",
        {"phone": "01712345678", "name": NUL, "password": "long-enough-1", "user_type": "admin"},
    ),
    "create_long": (
        "/console/staff/",
        {"phone": "01712345678", "name": LONG, "password": "long-enough-1", "user_type": "admin"},
    ),
    "create_ward": (
        "/console/staff/",
        {
            "phone": "01712345678",
            "name": "New Admin",
            "password": "long-enough-1",
            "user_type": "admin",
            "ward_numbers": f"5 {NUL}",
        },
    ),
    "edit": ("/console/staff/{id}/edit/", {"name": NUL, "user_type": "admin"}),
    "edit_ward": (
        "/console/staff/{id}/edit/",
        {"name": "A", "ward_number": NUL, "user_type": "admin"},
    ),
    "edit_email": (
        "/console/staff/{id}/edit/",
        {"name": "A", "email": f"a{NUL}@b.bd", "user_type": "admin"},
    ),
    "permissions_type": (
        "/console/staff/{id}/permissions/",
        {"complaints.can_read": "on", "complaints.resource_type": NUL},
    ),
    "permissions_type_long": (
        "/console/staff/{id}/permissions/",
        {"complaints.can_read": "on", "complaints.resource_type": LONG},
    ),
    "permissions_wards": (
        "/console/staff/{id}/permissions/",
        {"complaints.can_read": "on", "complaints.ward_numbers": NUL},
    ),
    "permissions_wards_long": (
        "/console/staff/{id}/permissions/",
        {"complaints.can_read": "on", "complaints.ward_numbers": LONG},
    ),
}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_staff_forms_on_postgresql_refuse_bad_text_never_500(cast, console_as):
    assert connection.vendor == "postgresql"
    client = console_as(cast.super_admin)
    client.raise_request_exception = False
    answers = {
        name: client.post(url.format(id=cast.ward_admin.pk), data).status_code
        for name, (url, data) in STAFF_POSTS.items()
    }
    assert {name: code for name, code in answers.items() if code >= 500} == {}


# The same rules without PostgreSQL: the forms refuse, the screens say why.
@pytest.mark.parametrize("text", [NUL, "x" * 201], ids=["nul", "long"])
def test_the_shared_search_field_refuses_nul_and_absurd_length(text):
    from apps.console.forms import QueueSearchForm

    form = QueueSearchForm({"search": text})
    assert not form.is_valid()
    assert form.text() == ""
    assert QueueSearchForm({"search": " Road 4 "}).text() == "Road 4"
    assert QueueSearchForm({}).text() == ""


def test_a_refused_queue_search_is_a_message_and_searches_nothing(cast, complaint, console_as):
    client = console_as(cast.ward_admin)
    response = client.get("/console/", {"search": NUL})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Search: Null characters are not allowed." in page
    assert complaint.tracking_number in page
    export = client.get("/console/complaints.csv", {"search": "x" * 201})
    assert export.status_code == 302
    assert export["Location"].startswith("/console/?search=")


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/console/audit/", "actor"),
        ("/console/audit/", "resource_type"),
        ("/console/staff/", "search"),
        ("/console/notices/", "category"),
    ],
)
def test_refused_filter_text_is_a_message(cast, console_as, url, name):
    response = console_as(cast.super_admin).get(url, {name: "x" * 201})
    assert response.status_code == 200
    assert "Ensure this value has at most 200 characters" in response.content.decode()


@pytest.mark.parametrize("text", [NUL, "a " * 5000], ids=["nul", "long"])
def test_the_api_complaint_search_refuses_nul_and_absurd_length(cast, api_as, text):
    response = api_as(cast.ward_admin).get("/api/v1/complaints/", {"search": text})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert "search" in body["details"]


@pytest.mark.parametrize(
    ("name", "value"), [("name", NUL), ("name", "x" * 101), ("ward_number", NUL)]
)
def test_the_staff_forms_refuse_nul_and_text_longer_than_the_column(name, value):
    from apps.console.super_admin_forms import StaffCreateForm, StaffEditForm

    data = {"phone": "01712345678", "name": "New", "password": "pw-long-1", "user_type": "admin"}
    for form in (StaffCreateForm({**data, name: value}), StaffEditForm({**data, name: value})):
        assert not form.is_valid()
        assert name in form.errors


@pytest.mark.parametrize(
    ("field", "value"), [("resource_type", NUL), ("resource_type", "x" * 51), ("ward_numbers", NUL)]
)
def test_a_permission_matrix_with_bad_text_is_refused_and_nothing_changes(
    cast, console_as, field, value
):
    before = list(cast.ward_admin.admin_permissions.values_list("pk", flat=True))
    response = console_as(cast.super_admin).post(
        f"/console/staff/{cast.ward_admin.pk}/permissions/",
        {"complaints.can_read": "on", f"complaints.{field}": value},
        follow=True,
    )
    assert response.status_code == 200
    assert "Permissions saved." not in response.content.decode()
    assert list(cast.ward_admin.admin_permissions.values_list("pk", flat=True)) == before
