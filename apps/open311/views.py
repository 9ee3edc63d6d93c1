"""GeoReport v2 endpoints: discovery, services, service definitions, requests, tokens.

Each path ends in ``.json`` or ``.xml``; that suffix alone picks the format. Errors leave in the
spec's shape (a list of ``{code, description}``) in the same format.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import NotFound
from core.idempotency import idempotent
from core.openapi import AutoSchema
from core.rls import as_system, public_reads

from . import catalog, examples
from .authentication import ApiKeyAuthentication, ApiKeyRequired
from .cache import open311_feed_cached
from .exceptions import open311_exception_handler
from .renderers import FormatSuffixNegotiation, Open311JSONRenderer, Open311XMLRenderer
from .selectors import RequestFilters, open311_request_get, open311_request_list
from .serializers import (
    Open311DiscoverySerializer,
    Open311ServiceDefinitionSerializer,
    Open311ServiceRequestCreatedSerializer,
    Open311ServiceRequestCreateSerializer,
    Open311ServiceRequestQuerySerializer,
    Open311ServiceRequestSerializer,
    Open311ServiceSerializer,
)
from .services import open311_request_create

TAG = "open311"
FORMAT = OpenApiParameter(
    "fmt", str, OpenApiParameter.PATH, enum=["json", "xml"], description="Response format."
)
# drf-spectacular wraps lists in arrays for 2xx answers only; the error list is spelled out.
ERRORS = OpenApiResponse(
    {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "code": {"type": "integer", "description": "The HTTP status."},
                "description": {"type": "string"},
            },
            "required": ["code", "description"],
        },
    },
    description="The spec's error list (XML: <errors><error><code/><description/>…).",
)
MEDIA_FIELD = "media"  # our extension: photos sent as multipart files under this name


def _joined(query) -> dict[str, str]:
    """``status=open&status=closed`` and ``status=open,closed`` mean the same (the spec allows
    both "declared multiple times" and "comma delimited")."""
    return {key: ",".join(values) for key, values in query.lists()}


class Open311Schema(AutoSchema):
    def _get_format_parameters(self):
        return []  # no ?format=: the path's suffix is the only way to pick a format

    def error_response(self, status):
        return ERRORS

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        # A suffix other than .json/.xml matches no Open311 route, so the project's JSON 404
        # answers instead of the spec's list: both shapes are real.
        responses = operation["responses"]
        responses.setdefault("404", self._get_response_for_code(ERRORS, "404"))
        content = responses["404"]["content"]["application/json"]
        content["schema"] = {"oneOf": [content["schema"], {"$ref": "#/components/schemas/Error"}]}
        return operation


class Open311View(APIView):
    """Reads are open to anyone (no key, no JWT); only POST to requests needs an api_key."""

    schema = Open311Schema()
    metadata_class = None  # OPTIONS is CORS preflight (answered by the middleware) or 405
    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [Open311JSONRenderer, Open311XMLRenderer]
    parser_classes = [FormParser, MultiPartParser]
    content_negotiation_class = FormatSuffixNegotiation
    open311_root = "response"

    def get_exception_handler(self):
        return open311_exception_handler

    def dispatch(self, request, *args, **kwargs):
        # Open311 publishes every request to anyone: reads are public (row-level security,
        # core/rls.py). A POST proves its sender by the api_key and is filed by the system.
        acting = public_reads() if request.method in SAFE_METHODS else as_system()
        with acting:
            return super().dispatch(request, *args, **kwargs)


class DiscoveryView(Open311View):
    """Where the GeoReport v2 endpoint is, its formats, and how to get an API key."""

    open311_root = "discovery"

    @extend_schema(
        tags=[TAG],
        summary="Service discovery",
        operation_id="open311_discovery",
        parameters=[FORMAT],
        responses={200: Open311DiscoverySerializer},
    )
    def get(self, request, fmt=None):
        discovery = reverse("open311:discovery", kwargs={"fmt": "json"})
        endpoint_url = request.build_absolute_uri(discovery.rsplit("/", 1)[0])
        return Response(
            {
                "changeset": catalog.CHANGESET,
                "contact": catalog.CONTACT,
                "key_service": catalog.KEY_SERVICE,
                "endpoints": [
                    {
                        "specification": catalog.SPECIFICATION,
                        "url": endpoint_url,
                        "changeset": catalog.CHANGESET,
                        "type": "production",
                        "formats": list(catalog.FORMATS),
                    }
                ],
            }
        )


class ServiceListView(Open311View):
    """The six complaint categories as GeoReport services (service_code = the English code)."""

    open311_root = "services"

    @extend_schema(
        tags=[TAG],
        summary="The complaint categories as services",
        operation_id="open311_services_list",
        parameters=[FORMAT],
        responses={200: Open311ServiceSerializer(many=True)},
    )
    def get(self, request, fmt=None):
        return Response([service.as_open311() for service in catalog.SERVICES])


class ServiceDefinitionView(Open311View):
    """A service's extra fields: none, so ``attributes`` is always empty."""

    open311_root = "service_definition"

    @extend_schema(
        tags=[TAG],
        summary="A service's definition (no extra attributes)",
        operation_id="open311_service_definition",
        parameters=[FORMAT, OpenApiParameter("service_code", str, OpenApiParameter.PATH)],
        responses={200: Open311ServiceDefinitionSerializer, 404: ERRORS},
    )
    def get(self, request, service_code, fmt=None):
        service = catalog.SERVICES_BY_CODE.get(service_code)
        if service is None:
            raise NotFound(_("There is no service %(code)s.") % {"code": service_code})
        return Response(service.definition())


class ServiceRequestListView(Open311View):
    """GET: complaints as public service requests (no personal data). POST (api_key): file one.

    GET looks at the last 90 days unless start_date/end_date say otherwise (90 days at most);
    ``service_request_id`` (comma-separated tracking numbers) overrides every other filter.
    POST takes the spec's form fields, plus optional photos as multipart ``media`` files, and
    honours ``Idempotency-Key``.
    """

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [ApiKeyRequired]
    open311_root = "service_requests"

    @extend_schema(
        tags=[TAG],
        summary="Service requests (newest first; 90 days and 1000 at most)",
        operation_id="open311_requests_list",
        parameters=[FORMAT, Open311ServiceRequestQuerySerializer],
        responses={200: Open311ServiceRequestSerializer(many=True), 400: ERRORS},
    )
    def get(self, request, fmt=None):
        query = Open311ServiceRequestQuerySerializer(data=_joined(request.query_params))
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        if not filters.whole_feed:
            return Response(self._requests(request, filters))
        # The whole feed is the same for every reader: kept until the complaints change.
        renderer = request.accepted_renderer
        body = open311_feed_cached(
            fmt=renderer.format,
            render=lambda: renderer.render(
                self._requests(request, filters), renderer_context=self.get_renderer_context()
            ),
        )
        return HttpResponse(body, content_type=f"{renderer.media_type}; charset={renderer.charset}")

    @staticmethod
    def _requests(request, filters: RequestFilters) -> list[dict]:
        complaints = open311_request_list(filters=filters)
        return Open311ServiceRequestSerializer(
            complaints, many=True, context={"request": request}
        ).data

    @extend_schema(
        tags=[TAG],
        summary="Submit a service request (files a complaint)",
        operation_id="open311_requests_create",
        parameters=[FORMAT],
        request=Open311ServiceRequestCreateSerializer,
        responses={
            201: Open311ServiceRequestCreatedSerializer(many=True),
            400: ERRORS,
            403: ERRORS,
            404: ERRORS,
        },
        examples=[examples.SUBMIT, examples.SUBMIT_WITH_PHOTOS, examples.SUBMITTED],
    )
    @idempotent(scope="open311.requests.create")
    def post(self, request, fmt=None):
        form = Open311ServiceRequestCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        complaint = open311_request_create(
            api_key=request.auth,
            data=form.validated_data,
            images=request.FILES.getlist(MEDIA_FIELD),
        )
        created = Open311ServiceRequestCreatedSerializer([complaint], many=True)
        return Response(created.data, status=201)


class ServiceRequestDetailView(Open311View):
    """One service request by its id (the tracking number), as a list of one."""

    open311_root = "service_requests"

    @extend_schema(
        tags=[TAG],
        summary="One service request (a list of one)",
        operation_id="open311_request_retrieve",
        parameters=[FORMAT, OpenApiParameter("service_request_id", str, OpenApiParameter.PATH)],
        responses={200: Open311ServiceRequestSerializer(many=True), 404: ERRORS},
    )
    def get(self, request, service_request_id, fmt=None):
        complaint = open311_request_get(service_request_id=service_request_id)
        return Response(
            Open311ServiceRequestSerializer(
                [complaint], many=True, context={"request": request}
            ).data
        )


class TokenView(Open311View):
    """Always 404: every service is realtime, so POST returns the id and never a token."""

    open311_root = "service_requests"

    @extend_schema(
        tags=[TAG],
        summary="Token lookup (never needed: requests are created in real time)",
        operation_id="open311_token_retrieve",
        parameters=[FORMAT, OpenApiParameter("token", str, OpenApiParameter.PATH)],
        responses={404: ERRORS},
    )
    def get(self, request, token, fmt=None):
        # Every service is "realtime": POST answers with the service_request_id itself, so no
        # token is ever issued and none can be found.
        raise NotFound(
            _("No such token: service requests are created at once and no tokens are issued.")
        )


@extend_schema(exclude=True)
class UnknownPathView(Open311View):
    """Any other ``….json``/``….xml`` under the endpoint: 404 in the spec's shape."""

    def get(self, request, *args, **kwargs):
        raise NotFound()

    post = put = patch = delete = get
