"""Django admin for notices: publishing, editing and withdrawing go through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.notices.models import Notice
from apps.users.models import ActivityAction, ActivityLog

from .factories import NoticeFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/notices/notice/"


@pytest.fixture
def operator(client, super_admin):
    client.force_login(super_admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def form(**overrides) -> dict:
    published = timezone.localtime() - timedelta(minutes=5)
    return {
        "title": "রাস্তা মেরামত",
        "content": "বুধবার সারাদিন ৩ নম্বর সড়কে যান চলাচল বন্ধ থাকবে।",
        "category": "রাস্তাঘাট",
        "priority": "normal",
        "published_at_0": published.strftime("%Y-%m-%d"),
        "published_at_1": published.strftime("%H:%M:%S"),
        "expires_at_0": "",
        "expires_at_1": "",
        "target_wards": "5, ০১২",
        **overrides,
    }


def test_pages_render(operator):
    notice = NoticeFactory(target_wards=["5"])
    assert operator.get(f"{LIST}?is_active__exact=1").status_code == 200
    assert operator.get(f"{LIST}add/").status_code == 200
    page = operator.get(f"{LIST}{notice.pk}/change/")
    assert page.status_code == 200
    assert notice.title in page.content.decode()
    assert operator.get(f"{LIST}{notice.pk}/delete/").status_code == 403
    assert operator.get("/admin/notices/noticeview/").status_code == 200


def test_adding_publishes_through_the_service(operator, super_admin):
    response = operator.post(f"{LIST}add/", form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    notice = Notice.objects.get()
    assert sorted(notice.wards.values_list("ward_number", flat=True)) == ["12", "5"]
    assert notice.created_by == super_admin
    created = ActivityLog.objects.get(action=ActivityAction.NOTICE_CREATED)
    added = ActivityLog.objects.get(action=ActivityAction.ADMIN_ADDED)
    assert created.resource_id == added.resource_id == notice.pk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"target_wards": "5, 404"}, "target_wards"),
        ({"title": "  "}, "title"),
        ({"expires_at_0": "2020-01-01", "expires_at_1": "10:00:00"}, "expires_at"),
    ],
)
def test_a_refused_notice_shows_on_the_form_and_nothing_is_stored(operator, overrides, field):
    response = operator.post(f"{LIST}add/", form(**overrides))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Notice.objects.exists()
    assert not ActivityLog.objects.exists()


def test_editing_goes_through_the_service(operator):
    notice = NoticeFactory(target_wards=["5"], title="আগের")
    published = timezone.localtime(notice.published_at)
    response = operator.post(
        f"{LIST}{notice.pk}/change/",
        form(
            title="পরের",
            target_wards="5",
            published_at_0=published.strftime("%Y-%m-%d"),
            published_at_1=published.strftime("%H:%M:%S.%f"),
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    notice.refresh_from_db()
    assert notice.title == "পরের"
    log = ActivityLog.objects.get(action=ActivityAction.NOTICE_UPDATED)
    assert "title" in log.details["fields"]


def test_withdraw_action_goes_through_the_service(operator, super_admin):
    notice = NoticeFactory()
    response = operator.post(
        LIST, {"action": "withdraw_notices", "_selected_action": [str(notice.pk)]}, follow=True
    )
    assert response.status_code == 200
    notice.refresh_from_db()
    assert (notice.is_active, notice.withdrawn_at is not None) == (False, True)
    log = ActivityLog.objects.get(action=ActivityAction.NOTICE_WITHDRAWN)
    assert (log.user, log.resource_id) == (super_admin, notice.pk)
    assert operator.get(f"{LIST}{notice.pk}/change/").status_code == 200  # read-only now
