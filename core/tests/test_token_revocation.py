"""A signed-out access token stays refused across restarts and cache evictions (issue 8.2)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from apps.authentication.services import tokens_for_user
from apps.users.tests.factories import UserFactory
from core.authentication import access_token_revoke, access_token_revoked
from core.models import RevokedAccessToken
from core.tasks import revoked_access_tokens_purge

pytestmark = pytest.mark.django_db


def signed_in(api):
    user = UserFactory()
    pair = tokens_for_user(user)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    return pair


def test_a_signed_out_token_stays_refused_after_the_cache_is_lost(api):
    pair = signed_in(api)
    assert api.get("/api/v1/auth/me/").status_code == 200

    response = api.post("/api/v1/auth/logout/", {"refresh_token": pair["refresh"]}, format="json")
    assert response.status_code == 200
    cache.clear()  # a restart of an in-process cache, or Redis evicting the key

    refused = api.get("/api/v1/auth/me/")
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_not_valid"
    assert RevokedAccessToken.objects.filter(jti=AccessToken(pair["access"])["jti"]).exists()


def test_a_cached_ok_verdict_never_outlives_a_revocation(api):
    pair = signed_in(api)
    assert api.get("/api/v1/auth/me/").status_code == 200  # caches "not signed out"

    access_token_revoke(AccessToken(pair["access"]))

    assert api.get("/api/v1/auth/me/").status_code == 401


def test_revoking_twice_keeps_one_record():
    token = AccessToken(tokens_for_user(UserFactory())["access"])
    access_token_revoke(token)
    access_token_revoke(token)
    assert RevokedAccessToken.objects.count() == 1
    assert access_token_revoked(token)


def test_the_purge_forgets_only_expired_tokens():
    now = timezone.now()
    RevokedAccessToken.objects.create(jti="gone", expires_at=now - timedelta(seconds=1))
    RevokedAccessToken.objects.create(jti="live", expires_at=now + timedelta(hours=1))

    assert revoked_access_tokens_purge() == 1
    assert list(RevokedAccessToken.objects.values_list("jti", flat=True)) == ["live"]
