"""URLs for core tests: the real project URLs plus views that exercise cross-cutting mechanisms."""

import uuid
from decimal import Decimal

from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.users.models import ActivityAction
from apps.users.services import activity_record
from clean_care.urls import urlpatterns as project_urlpatterns
from core.exceptions import ValidationFailed
from core.idempotency import idempotent


class BoomView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("password=hunter2 SELECT * FROM users")


def _no_connection():
    """What Django raises when the pool had no connection within DB_POOL_TIMEOUT."""
    from django.db import OperationalError
    from psycopg_pool import PoolTimeout

    try:
        raise PoolTimeout("couldn't get a connection after 10.00 sec")
    except PoolTimeout as exc:
        raise OperationalError(str(exc)) from exc


class BusyView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request):
        _no_connection()


def plain_busy(request):
    _no_connection()


class EchoView(APIView):
    """Writes one ActivityLog row per handled request, so replays are countable."""

    permission_classes = [IsAuthenticated]

    @idempotent(scope="tests.echo")
    def post(self, request):
        if request.data.get("fail"):
            raise ValidationFailed("refused on purpose")
        row = activity_record(
            action=ActivityAction.PROFILE_UPDATED,
            actor=request.user,
            details={"n": request.data.get("n")},
        )
        return Response({"id": str(row.id), "n": request.data.get("n")}, status=201)


class TypedEchoView(APIView):
    """Answers with values JSON has no type for (UUID, Decimal, datetime): hand-built bodies."""

    permission_classes = [IsAuthenticated]

    @idempotent(scope="tests.typed")
    def post(self, request):
        row = activity_record(action=ActivityAction.PROFILE_UPDATED, actor=request.user, details={})
        body = {
            "id": row.id,
            "amount": Decimal("120.50"),
            "at": timezone.now(),
            "ids": [uuid.uuid4()],
        }
        return Response(body, status=201)


def plain_boom(request):
    """A plain Django view (not DRF) under /api/ that fails."""
    raise RuntimeError("password=hunter2 SELECT * FROM users")


def plain_form(request):
    """A plain Django view (not DRF) under /api/ that reads its query string and form body."""
    return JsonResponse({"fields": len(request.GET) + len(request.POST)})


urlpatterns = [
    path("api/v1/tests/boom/", BoomView.as_view()),
    path("api/v1/tests/plain-boom/", plain_boom),
    path("api/v1/tests/busy/", BusyView.as_view()),
    path("api/v1/tests/plain-busy/", plain_busy),
    path("api/v1/tests/plain-form/", plain_form),
    path("api/v1/tests/echo/", EchoView.as_view()),
    path("api/v1/tests/typed/", TypedEchoView.as_view()),
    *project_urlpatterns,
]
