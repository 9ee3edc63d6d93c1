"""The bench settings' own endpoint (clean_care/settings/bench.py routes it; nothing else does).

/api/v1/bench/trivial/ goes through everything an API view goes through (middleware, JWT
authentication with its revocation check, the user and anon throttles, content negotiation,
the JSON renderer) and does nothing else: the floor each scenario's throughput is compared with.
"""

from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView


class TrivialView(APIView):
    """GET: a tiny JSON answer for any signed-in caller."""

    def get(self, request):
        return Response({"ok": True})


urlpatterns = [path("trivial/", TrivialView.as_view(), name="bench-trivial")]
