"""POST requests: filing a complaint under the key's account, api_key rules, validation, replays."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from apps.complaints.enums import Category
from apps.complaints.models import Complaint, TrackingCounter
from apps.complaints.tests.factories import photo_bytes
from apps.open311.catalog import SERVICES_BY_CODE
from apps.open311.models import Open311Request
from apps.open311.serializers import Open311ServiceRequestCreateSerializer
from apps.open311.services import open311_api_key_revoke, open311_request_create
from core.exceptions import NotFound

from .conftest import assert_errors, children, parse_xml, post_form, url

pytestmark = pytest.mark.django_db

REPORT = {
    "service_code": "waste",
    "lat": "23.7104",
    "long": "90.4074",
    "address_string": "House 12, Road 4, Dhanmondi, Dhaka",
    "description": "Garbage has not been collected from the corner of Road 4 for a week.",
}
REPORTER = {
    "email": "karim@example.org",
    "first_name": "Karim",
    "last_name": "Uddin",
    "phone": "01812 345678",
    "device_id": "device-42",
    "account_id": "acct-7",
}


def report(issued, **fields):
    return {"api_key": issued.secret, **REPORT, **fields}


def test_post_files_exactly_one_complaint_under_the_integration_account(api, issued):
    response = post_form(api, {**report(issued), **REPORTER, "attribute[WHISPAWN]": "123"})

    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get()
    assert response.json() == [
        {
            "service_request_id": complaint.tracking_number,
            "service_notice": response.json()[0]["service_notice"],
            "account_id": "acct-7",
        }
    ]
    assert complaint.tracking_number in response.json()[0]["service_notice"]
    assert complaint.category == Category.WASTE
    assert complaint.location == "House 12, Road 4, Dhanmondi, Dhaka"
    assert (complaint.latitude, complaint.longitude) == (Decimal("23.7104"), Decimal("90.4074"))
    assert complaint.description == REPORT["description"]
    assert complaint.title == REPORT["description"][:60]
    owner = issued.api_key.owner
    assert complaint.user == owner
    assert (owner.user_type, owner.is_verified, owner.name) == ("citizen", True, "Dhaka Fixit App")
    assert not owner.has_usable_password()
    record = Open311Request.objects.get()
    assert record.complaint == complaint
    assert record.api_key == issued.api_key
    assert (record.email, record.first_name, record.last_name) == (
        "karim@example.org",
        "Karim",
        "Uddin",
    )
    assert record.phone == "+8801812345678"  # normalised
    assert (record.device_id, record.account_id) == ("device-42", "acct-7")
    issued.api_key.refresh_from_db()
    assert issued.api_key.last_used_at is not None


def test_post_answers_in_xml(api, issued):
    response = post_form(api, report(issued), fmt="xml")

    assert response.status_code == 201
    root = parse_xml(response)
    assert root.tag == "service_requests"
    (request,) = root
    assert request.tag == "request"
    assert children(request) == ["service_request_id", "service_notice", "account_id"]
    assert request.findtext("service_request_id") == Complaint.objects.get().tracking_number
    assert request.findtext("account_id") == ""


def test_post_with_coordinates_only_uses_them_as_the_location(api, issued):
    data = report(issued, address_string="", description="")

    assert post_form(api, data).status_code == 201

    complaint = Complaint.objects.get()
    assert complaint.location == "23.7104, 90.4074"
    assert complaint.description == complaint.title == "Waste management"


def test_post_with_an_address_only(api, issued):
    data = report(issued)
    del data["lat"], data["long"]

    assert post_form(api, data).status_code == 201

    complaint = Complaint.objects.get()
    assert complaint.location == REPORT["address_string"]
    assert (complaint.latitude, complaint.longitude) == (None, None)


def test_a_phone_that_is_not_a_bangladeshi_mobile_is_kept_as_sent(api, issued):
    assert post_form(api, report(issued, phone="+44 20 7946 0958")).status_code == 201
    assert Open311Request.objects.get().phone == "+44 20 7946 0958"


def test_multipart_post_with_a_photo(api, issued):
    photo = SimpleUploadedFile("drain.jpg", photo_bytes(), content_type="image/jpeg")

    response = api.post(url("requests"), {**report(issued), "media": photo}, format="multipart")

    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get()
    assert complaint.images.count() == 1
    (item,) = api.get(url(f"requests/{complaint.tracking_number}")).json()
    assert item["media_url"] is None  # photos are for staff, not the public list


def test_a_bengali_description_is_stored_and_bengali_reads_back(api, issued):
    text = "রাস্তার মোড়ে এক সপ্তাহ ধরে ময়লা পড়ে আছে। দুর্গন্ধে চলা যায় না।"

    created = post_form(api, report(issued, description=text, service_code="cleanliness"))

    tracking = created.json()[0]["service_request_id"]
    assert Complaint.objects.get().description == text
    response = api.get(url(f"requests/{tracking}"), HTTP_ACCEPT_LANGUAGE="bn")
    (item,) = response.json()
    assert item["status_notes"] == "জমা দেওয়া হয়েছে"
    assert item["status_notes"].encode() in response.content  # UTF-8, not \u-escaped
    assert text.encode() not in response.content  # the reporter's words are not published
    root = parse_xml(api.get(url(f"requests/{tracking}", "xml"), HTTP_ACCEPT_LANGUAGE="bn"))
    assert root[0].findtext("status_notes") == "জমা দেওয়া হয়েছে"


def test_characters_xml_cannot_carry_do_not_break_the_xml(api, issued):
    assert post_form(api, report(issued, description="Bin\x01 overflowing")).status_code == 201

    root = parse_xml(api.get(url("requests", "xml")))

    assert root[0].findtext("service_code")


# --- one transaction: complaint_create's --------------------------------------------------------
def test_a_failed_reporter_record_files_nothing_and_leaves_no_photo(issued, monkeypatch, settings):
    def refuse(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Open311Request.objects, "create", refuse)
    photo = SimpleUploadedFile("drain.jpg", photo_bytes(), content_type="image/jpeg")
    data = {"service": SERVICES_BY_CODE["waste"], "address_string": "Road 4", "lat": None}

    with pytest.raises(RuntimeError):
        open311_request_create(api_key=issued.api_key, data=data, images=[photo])

    assert not Complaint.objects.exists()
    assert [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()] == []


@pytest.mark.django_db(transaction=True)
def test_the_tracking_number_is_committed_before_the_filing_not_held_in_a_savepoint(
    api, issued, wards
):
    """No transaction of Open311's own around complaint_create: its short tracking-number
    transaction must really commit (a savepoint would keep the day's counter row locked while
    the photos are written)."""
    counter = TrackingCounter._meta.db_table
    savepoints_at_counter = []

    def watch(execute, sql, params, many, context):
        if counter in sql and not sql.lstrip().upper().startswith("SELECT"):
            savepoints_at_counter.append(len(connection.savepoint_ids))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        response = post_form(api, report(issued))

    assert response.status_code == 201
    assert savepoints_at_counter == [0]
    assert Open311Request.objects.get().complaint == Complaint.objects.get()


# --- the form --------------------------------------------------------------------------------
def test_the_form_turns_service_code_into_the_catalog_service():
    form = Open311ServiceRequestCreateSerializer(data={**REPORT, "service_code": "water"})

    assert form.is_valid(), form.errors
    assert form.validated_data["service"] is SERVICES_BY_CODE["water"]
    assert "service_code" not in form.validated_data


def test_the_form_answers_an_unknown_service_code_with_not_found():
    form = Open311ServiceRequestCreateSerializer(data={**REPORT, "service_code": "potholes"})

    with pytest.raises(NotFound):
        form.is_valid()


# --- api_key -------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("key", ["missing", "unknown", "revoked", "owner_inactive"])
def test_post_without_a_valid_key_is_403_and_files_nothing(api, issued, key, fmt):
    data = report(issued)
    if key == "missing":
        del data["api_key"]
    elif key == "unknown":
        data["api_key"] = "o311_not-a-key-we-issued"
    elif key == "revoked":
        open311_api_key_revoke(api_key=issued.api_key)
    else:
        issued.api_key.owner.is_active = False
        issued.api_key.owner.save(update_fields=["is_active"])

    response = post_form(api, data, fmt=fmt, HTTP_ACCEPT_LANGUAGE="en")

    (description,) = assert_errors(response, 403, fmt)
    assert "api_key" in description
    assert not Complaint.objects.exists()
    assert not Open311Request.objects.exists()


def test_the_key_may_also_come_in_the_query_string(api, issued):
    data = report(issued)
    secret = data.pop("api_key")
    response = api.generic(
        "POST",
        url("requests") + f"?api_key={secret}",
        "&".join(f"{k}={v}" for k, v in data.items()),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 201


# --- validation ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "status", "expected"),
    [
        ({"service_code": ""}, 400, "service_code: "),
        ({"service_code": "potholes"}, 404, "There is no service potholes."),
        ({"lat": "", "long": "", "address_string": ""}, 400, "Give the location"),
        ({"address_id": "545483", "lat": "", "long": "", "address_string": ""}, 400, "Give"),
        ({"long": "", "address_string": ""}, 400, "long: "),
        ({"lat": "91"}, 400, "lat: "),
        ({"long": "east"}, 400, "long: "),
        ({"lat": "NaN"}, 400, "lat: "),
        ({"email": "not-an-email"}, 400, "email: "),
        ({"description": "x" * 4001}, 400, "description: "),
        ({"address_string": "x" * 256}, 400, "address_string: "),
    ],
)
def test_bad_reports_are_refused_and_nothing_is_written(api, issued, change, status, expected):
    response = post_form(api, report(issued, **change), HTTP_ACCEPT_LANGUAGE="en")

    descriptions = assert_errors(response, status)
    assert descriptions[0].startswith(expected)
    assert not Complaint.objects.exists()
    assert not Open311Request.objects.exists()


def test_every_invalid_field_is_its_own_error(api, issued):
    response = post_form(api, report(issued, lat="100", email="nope"))
    assert len(assert_errors(response, 400)) == 2


def test_a_json_body_is_415_in_the_spec_shape(api, issued):
    response = api.post(url("requests"), report(issued), format="json")
    assert_errors(response, 415)
    assert not Complaint.objects.exists()


# --- Idempotency-Key -----------------------------------------------------------------------------
def test_a_retry_with_the_same_idempotency_key_replays_and_files_nothing_new(api, issued):
    first = post_form(api, report(issued), HTTP_IDEMPOTENCY_KEY="retry-1")
    again = post_form(api, report(issued), fmt="xml", HTTP_IDEMPOTENCY_KEY="retry-1")

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Complaint.objects.count() == 1
    root = parse_xml(again)
    assert root[0].findtext("service_request_id") == first.json()[0]["service_request_id"]


def test_the_same_idempotency_key_with_another_report_is_409(api, issued):
    post_form(api, report(issued), HTTP_IDEMPOTENCY_KEY="retry-2")

    response = post_form(api, report(issued, service_code="roads"), HTTP_IDEMPOTENCY_KEY="retry-2")

    assert_errors(response, 409)
    assert Complaint.objects.count() == 1


def test_without_an_idempotency_key_each_post_files_a_report(api, issued):
    post_form(api, report(issued))
    post_form(api, report(issued))
    assert Complaint.objects.count() == 2


def test_status_changes_on_an_open311_request_text_nobody(api, issued):
    from apps.complaints.services import complaint_change_status
    from apps.notifications.models import Notification
    from apps.sandbox.models import SandboxSms
    from apps.users.tests.factories import UserFactory

    post_form(api, report(issued))
    complaint = Complaint.objects.get()
    staff = UserFactory(user_type="super_admin")
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        complaint_change_status(complaint=complaint, actor=staff, new_status="প্রক্রিয়াধীন")
    note = Notification.objects.get(kind="complaint.status_changed")
    assert note.sms_status == "skipped"
    assert not SandboxSms.objects.exists()
