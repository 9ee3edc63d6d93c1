"""Every service that changes a dashboard figure retires the cached answers, after its commit."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.authentication.services import auth_register, auth_verify_registration
from apps.complaints import services as complaints
from apps.dashboard.cache import dashboard_version
from apps.donations.services import donation_follow_payment
from apps.payments.models import PayableService, Payment
from apps.payments.services import payment_process, payments_reconcile
from apps.users import services as users

pytestmark = pytest.mark.django_db

SUBMITTED, RESOLVED = "জমা দেওয়া হয়েছে", "সমাধান হয়েছে"
FIELDS = {"title": "Bin", "description": "Not emptied for days", "category": "বর্জ্য ব্যবস্থাপনা",
          "priority": "মধ্যম", "location": "Road 4", "ward_number": "1"}  # fmt: skip


@pytest.fixture
def bumps(django_capture_on_commit_callbacks):
    """``bumps(write)``: runs ``write()``; the version must stay until commit, then move."""

    def check(write):
        before = dashboard_version()
        with django_capture_on_commit_callbacks(execute=True):
            write()
            assert dashboard_version() == before, "bumped before the write committed"
        assert dashboard_version() > before, "the write did not retire the cached answers"

    return check


def _submitted(city):
    return next(c for c in city.complaints if c.status == SUBMITTED and c.ward_number == "1")


def _resolved_unrated(city):
    return next(c for c in city.complaints if c.status == RESOLVED and c.rating is None)


def test_filing_a_complaint(city, bumps):
    bumps(lambda: complaints.complaint_create(user=city.citizen, data=dict(FIELDS)))


def test_the_owner_editing_a_complaint(city, bumps):
    mine = _submitted(city)
    bumps(lambda: complaints.complaint_update(complaint=mine, actor=mine.user, data={"title": "X"}))


def test_staff_moving_a_complaint_to_another_ward(city, bumps):
    moved = _submitted(city)
    bumps(
        lambda: complaints.complaint_update(
            complaint=moved, actor=city.super_admin, data={"ward_number": "2"}
        )
    )


def test_a_status_change(city, bumps):
    bumps(
        lambda: complaints.complaint_change_status(
            complaint=_submitted(city), actor=city.super_admin, new_status="প্রক্রিয়াধীন"
        )
    )


def test_an_assignment(city, bumps):
    bumps(
        lambda: complaints.complaint_assign(
            complaint=_submitted(city), actor=city.super_admin, assignee_id=city.provider.pk
        )
    )


def test_a_rating(city, bumps):
    rated = _resolved_unrated(city)
    bumps(lambda: complaints.complaint_rate(complaint=rated, actor=rated.user, rating=4))


def test_withdrawing_a_complaint(city, bumps):
    mine = _submitted(city)
    bumps(lambda: complaints.complaint_delete(complaint=mine, actor=mine.user))


def test_opening_a_payment(city, bumps):
    PayableService.objects.filter(code="waste_collection_fee").update(fixed_fee=Decimal("150.00"))
    bumps(
        lambda: payment_process(
            user=city.citizen, service_type="waste_collection_fee", amount=Decimal("150.00"),
            payment_method="bkash", phone_number="+8801711000005",
        )
    )  # fmt: skip


def test_settling_a_payment(api, api_as, city):
    from apps.payments.tests.test_flow import come_back, pay, start

    PayableService.objects.filter(code="waste_collection_fee").update(fixed_fee=Decimal("150.00"))
    started = start(api_as(city.citizen), "nagad").json()
    way_back = pay(api, started["payment_url"])
    before = dashboard_version()
    come_back(api, way_back)  # the client runs the request's on-commit callbacks
    assert Payment.objects.get(pk=started["payment_id"]).status == "completed"
    assert dashboard_version() > before


def test_the_reconciler_cancelling_an_abandoned_payment(city, bumps):
    stale = Payment.objects.get(status="processing", service_type="holding_tax")
    Payment.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=2))
    bumps(payments_reconcile)
    assert Payment.objects.get(pk=stale.pk).status == "cancelled"


def test_a_donation_following_its_payment(city, bumps):
    payment = Payment.objects.get(status="processing", service_type="donation")
    Payment.objects.filter(pk=payment.pk).update(status="failed")
    payment.refresh_from_db()
    bumps(lambda: donation_follow_payment(payment, announce=False))
    assert payment.donation.status == "failed"


def test_creating_an_account(db, bumps):
    bumps(lambda: users.user_create(phone="+8801711999001", name="New", password="pw-12345678"))


def test_a_profile_edit(city, bumps):
    bumps(lambda: users.user_update_profile(user=city.citizen, data={"ward_number": "7"}))


def test_a_staff_edit(city, bumps):
    bumps(
        lambda: users.user_update_by_staff(
            actor=city.super_admin, user=city.citizen, data={"is_verified": False}
        )
    )


def test_a_deactivation(city, bumps):
    bumps(lambda: users.user_deactivate(actor=city.super_admin, user=city.citizen))


def test_registration_and_its_verification(db, bumps, latest_code):
    phone = "+8801711999002"
    bumps(lambda: auth_register(phone=phone, name="Runa", password="long-pass-942"))
    bumps(lambda: auth_verify_registration(phone=phone, code=latest_code(phone)))


def test_a_write_that_changes_nothing_keeps_the_cache(city, django_capture_on_commit_callbacks):
    complaint = _submitted(city)
    before = dashboard_version()
    with django_capture_on_commit_callbacks(execute=True):
        complaints.complaint_update(
            complaint=complaint, actor=complaint.user, data={"title": complaint.title}
        )
    assert dashboard_version() == before
