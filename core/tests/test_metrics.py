"""Prometheus /metrics: allowed networks or the bearer token only (issue 13.5)."""

import pytest

pytestmark = pytest.mark.django_db

TOKEN = "metrics-token-for-the-test-0123456789"


@pytest.fixture(autouse=True)
def _metrics_settings(settings):
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.1/32", "10.20.0.0/16"]
    settings.METRICS_TOKEN = TOKEN


def _scrape(client, **kwargs):
    return client.get("/metrics", **kwargs)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.20.3.4"])
def test_an_allowed_network_reads_the_metrics(client, address):
    response = _scrape(client, REMOTE_ADDR=address)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    body = response.content.decode()
    assert "process_cpu_seconds_total" in body or "python_info" in body
    assert 'clean_care_info{environment="development",release="-"} 1.0' in body
    assert "clean_care_heartbeat_age_seconds" in body


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": f"Bearer {TOKEN}x"},
    ],
)
def test_other_networks_get_a_404_like_any_unknown_page(client, headers):
    response = _scrape(client, REMOTE_ADDR="203.0.113.9", headers=headers)
    assert response.status_code == 404
    assert b"process_cpu" not in response.content
    assert b"clean_care_" not in response.content


def test_the_bearer_token_opens_the_metrics_from_anywhere(client):
    response = _scrape(
        client, REMOTE_ADDR="203.0.113.9", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 200
    assert b"clean_care_info" in response.content


def test_no_token_configured_means_networks_only(client, settings):
    settings.METRICS_TOKEN = ""
    response = _scrape(client, REMOTE_ADDR="203.0.113.9", headers={"Authorization": "Bearer "})
    assert response.status_code == 404


def test_behind_nginx_the_forwarded_client_address_decides(client, settings):
    """nginx connects from 127.0.0.1: its address must not open the metrics to the internet."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    outside = _scrape(client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert outside.status_code == 404
    inside = _scrape(client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.20.0.7")
    assert inside.status_code == 200


def test_a_heartbeat_is_reported_with_its_age(client):
    from datetime import timedelta

    from django.utils import timezone

    from core.models import Heartbeat

    Heartbeat.objects.create(name="beat", beat_at=timezone.now() - timedelta(seconds=90))
    body = _scrape(client, REMOTE_ADDR="127.0.0.1").content.decode()
    line = next(
        x
        for x in body.splitlines()
        if x.startswith('clean_care_heartbeat_age_seconds{name="beat"}')
    )
    assert 90 <= float(line.split()[-1]) < 120


def test_a_bad_network_in_the_settings_is_a_system_check_error(settings):
    from core.checks import metrics_networks

    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.1/32", "intranet"]
    assert [error.id for error in metrics_networks()] == ["core.E001"]


@pytest.mark.services
def test_the_database_pool_of_the_process_is_reported(client):
    import os

    body = _scrape(client, REMOTE_ADDR="127.0.0.1").content.decode()
    pid = os.getpid()
    assert f'clean_care_db_pool{{figure="pool_max",pid="{pid}"}} ' in body, body
    assert f'clean_care_db_pool{{figure="pool_size",pid="{pid}"}} ' in body


def test_an_unreachable_database_still_leaves_the_process_figures(client, monkeypatch):
    from django.db import OperationalError

    from core.models import Heartbeat

    def down(*args, **kwargs):
        raise OperationalError("database is down")

    monkeypatch.setattr(Heartbeat.objects, "values_list", down)
    response = _scrape(client, REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert b"clean_care_info" in response.content
