"""Who may read which dashboard endpoint: staff figures for admins, the home summary for all."""

import pytest

pytestmark = pytest.mark.django_db

STAFF_ENDPOINTS = [
    "kpi", "complaints-stats", "user-stats", "ward-performance", "satisfaction", "service-time",
    "sts-overview", "recent-complaints", "categories", "financial",
]  # fmt: skip
ROLES = ["anonymous", "citizen", "provider", "ward_admin", "other_admin", "bare_admin", "super"]
STAFF_ANSWER = {
    "anonymous": 401,
    "citizen": 403,
    "provider": 403,
    "ward_admin": 200,
    "other_admin": 200,  # an admin of another ward: their own wards' figures
    "bare_admin": 200,  # no permission rows: zeros
    "super": 200,
}


def _client(api, api_as, city, role):
    if role == "anonymous":
        return api
    viewer = {
        "citizen": city.citizen,
        "provider": city.provider,
        "ward_admin": city.ward_admin,
        "other_admin": city.other_admin,
        "bare_admin": city.bare_admin,
        "super": city.super_admin,
    }[role]
    return api_as(viewer)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", STAFF_ENDPOINTS)
def test_staff_endpoints(api, api_as, city, endpoint, role):
    response = _client(api, api_as, city, role).get(f"/api/v1/dashboard/{endpoint}/")
    assert response.status_code == STAFF_ANSWER[role], response.content
    if response.status_code != 200:
        body = response.json()
        assert body["code"] == ("not_authenticated" if role == "anonymous" else "permission_denied")
        assert set(body) == {"error", "code", "details"}


@pytest.mark.parametrize("role", ROLES)
def test_home_summary_is_for_anyone_signed_in(api, api_as, city, role):
    response = _client(api, api_as, city, role).get("/api/v1/dashboard/stats/")
    assert response.status_code == (401 if role == "anonymous" else 200)


def test_the_mobile_prefix_serves_the_same_routes(api_as, city):
    assert api_as(city.citizen).get("/api/dashboard/stats/").status_code == 200
    assert api_as(city.super_admin).get("/api/dashboard/kpi/").status_code == 200


@pytest.mark.parametrize("endpoint", [*STAFF_ENDPOINTS, "stats"])
def test_only_get_is_allowed(api_as, city, endpoint):
    response = api_as(city.super_admin).post(f"/api/v1/dashboard/{endpoint}/", {})
    assert response.status_code == 405


def test_an_inactive_ward_admin_is_refused(api_as, city):
    client = api_as(city.ward_admin)
    city.ward_admin.is_active = False
    city.ward_admin.save(update_fields=["is_active"])
    assert client.get("/api/v1/dashboard/kpi/").status_code == 401
