"""The super admin in a real browser: gives the demo ward admin a new ward (and the ward admin,
in a second browser, sees that ward's complaint at once), approves a refund, reads both in the
audit trail, opens a donation project; every screen on a laptop and a 360 px phone, checked
with axe-core, nothing fetched from another host."""

from decimal import Decimal
from urllib.parse import urlparse

import pytest

from apps.complaints.tests.factories import ComplaintFactory
from apps.payments.models import PayableService, Payment, Refund
from apps.payments.services import payment_process, refund_request
from apps.users.demo import demo_accounts_load
from apps.users.models import AdminPermission, User

from .test_public_pages import only_local, serious_violations

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo-password-42"
SUPER_ADMIN = "01700000001"
WARD_ADMIN = "01700000002"  # complaints of wards 1–10
CITIZEN = "+8801700000010"
FAR_CITIZEN = "+8801700000011"  # lives in ward 12


@pytest.fixture
def local(live_server, settings):
    port = urlparse(live_server.url).port
    base = f"http://127.0.0.1:{port}"
    settings.PAYMENT_PUBLIC_BASE_URL = base
    return base


@pytest.fixture
def city(wards):
    demo_accounts_load(password=PASSWORD)
    far = ComplaintFactory(
        user=User.objects.get(phone=FAR_CITIZEN),
        ward_number="12",
        title="ওয়ার্ড ১২-এর ড্রেন বন্ধ",
    )
    PayableService.objects.update_or_create(
        code="holding_tax",
        defaults={"name_bn": "হোল্ডিং ট্যাক্স", "name_en": "Holding tax", "min_amount": Decimal("1")},
    )
    return far


def new_page(browser, requested, *, width=1280, height=900):
    context = browser.new_context(locale="bn-BD", viewport={"width": width, "height": height})
    page = context.new_page()
    page.on("request", lambda request: requested.append(request.url))
    return page


def sign_in(page, base, phone):
    page.goto(f"{base}/console/login/")
    page.fill("input[name=phone]", phone)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("table.queue, p.count")


def paid_by_citizen(browser, base, requested) -> Payment:
    """The demo citizen pays 500 BDT holding tax on bKash's (simulated) page."""
    payment = payment_process(
        user=User.objects.get(phone=CITIZEN),
        service_type="holding_tax",
        amount=Decimal("500.00"),
        payment_method="bkash",
        phone_number="+8801711000005",
    )
    page = new_page(browser, requested)
    page.goto(payment.redirect_url)
    page.click("button[value=approve]")
    page.wait_for_url("**/payments/result/**", timeout=20_000)
    page.context.close()
    payment.refresh_from_db()
    assert payment.status == "completed"
    return payment


def look(page, artifacts, name):
    """Screenshot at desktop size, then at 360 px (no sideways scrolling), axe at both."""
    page.wait_for_selector("h1")
    assert serious_violations(page) == [], name
    page.screenshot(path=str(artifacts / f"console-admin-{name}.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
    assert serious_violations(page) == [], name
    page.screenshot(path=str(artifacts / f"console-admin-{name}-360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_super_admin_grants_a_ward_approves_a_refund_and_reads_the_audit_trail(
    browser, local, artifacts, city
):
    far = city
    requested = []
    payment = paid_by_citizen(browser, local, requested)
    refund = refund_request(payment=payment, actor=payment.user, reason="একই বিল দুবার পরিশোধ করেছি")
    ward_admin = User.objects.get(phone="+8801700000002")

    # The ward admin, in their own browser, does not see ward 12's complaint.
    theirs = new_page(browser, requested)
    sign_in(theirs, local, WARD_ADMIN)
    assert far.tracking_number not in theirs.inner_text("main")

    admin = new_page(browser, requested)
    sign_in(admin, local, SUPER_ADMIN)
    admin.click("nav.sections a[href='/console/staff/']")
    admin.wait_for_selector("table.queue")
    look(admin, artifacts, "staff")

    admin.fill("input[name=search]", "01700000002")
    admin.click("form.filters button[type=submit]")
    admin.click(f"a[href='/console/staff/{ward_admin.pk}/']")
    admin.wait_for_selector("table.matrix")
    look(admin, artifacts, "staff-account")
    wards = admin.locator("input[name='complaints.ward_numbers']")
    assert wards.input_value() == "1, 2, 3, 4, 5, 6, 7, 8, 9, 10"
    wards.fill("1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12")
    admin.click("form[action$='/permissions/'] button[type=submit]")
    admin.wait_for_selector(".messages li.success")
    assert wards.input_value() == "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12"
    complaints_row = AdminPermission.objects.get(admin=ward_admin, permission_type="complaints")
    assert complaints_row.ward_numbers[-1] == "12"

    # The ward admin's queue has ward 12's complaint on the next load.
    theirs.reload()
    theirs.wait_for_selector("table.queue")
    assert far.tracking_number in theirs.inner_text("table.queue")
    theirs.context.close()

    admin.click("nav.sections a[href='/console/refunds/']")
    admin.wait_for_selector(f"#refund-{refund.pk}")
    card = admin.inner_text(f"#refund-{refund.pk}")
    assert "হোল্ডিং ট্যাক্স" in card
    assert payment.transaction_id in card
    assert "holding_tax" not in card
    look(admin, artifacts, "refunds")
    admin.click(f"form[action='/console/refunds/{refund.pk}/approve/'] button")
    admin.wait_for_selector(".messages li.success")
    refund.refresh_from_db()
    payment.refresh_from_db()
    assert (refund.status, payment.status) == ("completed", "refunded")
    assert Refund.objects.filter(status="requested").count() == 0

    admin.click("nav.sections a[href='/console/audit/']")
    admin.wait_for_selector("form.filters")
    admin.fill("input[name=actor]", SUPER_ADMIN[-8:])
    admin.click("form.filters button[type=submit]")
    admin.wait_for_selector("table.audit")
    actions = admin.locator("table.audit tbody tr").evaluate_all(
        "rows => rows.map(row => row.dataset.action)"
    )
    assert actions[:2] == ["payments.refund_approved", "users.permissions_changed"]
    admin.select_option("select[name=action]", "users.permissions_changed")
    admin.click("form.filters button[type=submit]")
    admin.wait_for_selector("table.audit")
    assert admin.locator("table.audit tbody tr").count() == 1
    text = admin.inner_text("table.audit")
    assert "কর্মীর অনুমতি পরিবর্তন হয়েছে" in text
    assert "users.permissions_changed" not in text
    look(admin, artifacts, "audit")

    admin.click("nav.sections a[href='/console/donations/']")
    admin.wait_for_selector("form.admin-form")
    admin.fill("input[name=slug]", "tree-planting")
    admin.fill("input[name=name_bn]", "বৃক্ষরোপণ")
    admin.fill("input[name=name_en]", "Tree planting")
    admin.fill("input[name=goal_amount]", "20000")
    admin.click("form.admin-form button[type=submit]")
    admin.wait_for_selector(".messages li.success")
    assert "বৃক্ষরোপণ" in admin.inner_text("table.queue")
    look(admin, artifacts, "donations")
    admin.click("table.queue a:has-text('বৃক্ষরোপণ')")
    admin.wait_for_selector("form.admin-form")
    look(admin, artifacts, "donation-project")
    admin.context.close()

    assert only_local(requested) == {"127.0.0.1"}
