"""PostgreSQL-only: readers counted once and urgent pushes started once under real concurrency."""

import threading
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import pytest
from django.db import connection, connections

from apps.notices import services, tasks
from apps.notices.models import Notice, NoticeView
from apps.users.tests.factories import UserFactory

from .factories import NoticeFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgresql():
    assert connection.vendor == "postgresql", "make test-services runs these against PostgreSQL"


def together(count: int, work):
    """Run ``work(index)`` in ``count`` threads released at the same moment."""
    start = threading.Barrier(count)

    def run(index):
        try:
            start.wait()
            return work(index)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_concurrent_visits_count_each_reader_once(wards):
    notice = NoticeFactory()
    same = UserFactory()
    others = [UserFactory() for _ in range(6)]
    readers = [same] * 6 + others

    counts = together(len(readers), lambda i: services.notice_view_record(
        notice=notice, reader=readers[i]
    ))  # fmt: skip

    assert NoticeView.objects.filter(notice=notice).count() == 7
    notice.refresh_from_db()
    assert notice.view_count == 7
    assert max(counts) == 7


def test_two_concurrent_starts_claim_an_urgent_notice_once(wards, settings):
    settings.NOTICE_URGENT_BATCH_SIZE = 2
    for _ in range(5):
        UserFactory(ward_number="12")
    notice = NoticeFactory(is_urgent=True, target_wards=["12"])

    with mock.patch.object(tasks.notice_urgent_push, "delay") as queued:
        batches = together(4, lambda i: services.notice_urgent_start(notice_id=notice.pk))

    assert sorted(batches) == [0, 0, 0, 3]
    assert queued.call_count == 3
    assert Notice.objects.get(pk=notice.pk).urgent_sent_at is not None
