"""HTTP endpoints of /notices/: each parses input, calls one service or selector, serialises."""

from django.http import FileResponse
from django.utils.translation import get_language
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi_errors import errors
from core.parsers import JSONParser
from core.permissions import IsWardAdminOrSuperAdmin

from . import examples, selectors, services
from .attachments import attachment_content_type
from .models import Notice
from .policy import reads_as_staff
from .serializers import NoticeSerializer, NoticeWriteSerializer

TAG = ["notices"]
PARSERS = [JSONParser, MultiPartParser, FormParser]

LIST_DESCRIPTION = (
    "Citizens (and service providers) read the board of their ward: the notices for it and the "
    "city-wide ones on the board now (published, not expired, not withdrawn); anonymous "
    "visitors read the city-wide ones. Urgent first, then by priority (urgent, high, normal, "
    "low), then newest. The board is cached and retired by every change; a scheduled notice "
    "appears at its `published_at` and an expired one disappears at its `expires_at`.\n\n"
    "Ward admins and super admins list the notices they manage in every state (a ward admin: "
    "those for the wards their `notices` rights cover, and the city-wide ones on the board), "
    "filterable by `is_active`, `category` and `ward`."
)
WRITE_RULES = (
    "Staff with `notices` rights (create, update or delete, for every ward the notice is for); "
    "a notice for the whole city (no `target_wards`) only by a super admin. JSON, or multipart "
    "with an `attachment` file part (a PDF or a photo) and `target_wards` as repeated parts. "
    "An urgent notice is pushed to every citizen of its wards when it is published, once."
)


@extend_schema(tags=TAG)
class NoticeListCreateView(generics.ListAPIView):
    """GET: the board (or, for staff, the notices they manage). POST: staff publish one."""

    serializer_class = NoticeSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = selectors.NoticeFilter
    parser_classes = PARSERS

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsWardAdminOrSuperAdmin()]
        return [AllowAny()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notice.objects.none()
        return selectors.notice_list(viewer=self.request.user)

    @extend_schema(
        summary="The notice board (staff: the notices they manage)",
        description=LIST_DESCRIPTION,
        parameters=[
            OpenApiParameter("is_active", OpenApiTypes.BOOL, description="Staff only."),
            OpenApiParameter("ward", OpenApiTypes.STR, description="Staff only."),
        ],
        responses={200: NoticeSerializer(many=True), **errors(400, 429)},
    )
    def get(self, request, *args, **kwargs):
        if reads_as_staff(request.user):
            return self.list(request, *args, **kwargs)
        filters = selectors.NoticeFilter(request.query_params, queryset=Notice.objects.none())
        if not filters.is_valid():  # the same 400 as for staff, though only category applies
            raise translate_validation(filters.errors)
        board = selectors.notice_board(
            viewer=request.user,
            category=filters.form.cleaned_data.get("category"),
            # Written without the request: the rows keep an attachment's path, made absolute
            # below for the address this request came to.
            written=lambda notices: NoticeSerializer(notices, many=True).data,
            variant=get_language(),
        )
        page = self.paginate_queryset(board)
        return self.get_paginated_response([_addressed(request, row) for row in page])

    @extend_schema(
        summary="Publish a notice now or at published_at (staff)",
        description=WRITE_RULES,
        request={
            "application/json": NoticeWriteSerializer,
            "multipart/form-data": NoticeWriteSerializer,
        },
        responses={201: NoticeSerializer, **errors(400, 401, 403, 413, 415)},
        examples=[examples.CREATE, examples.CREATE_WITH_FILE, examples.CREATED],
    )
    def post(self, request):
        serializer = NoticeWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notice = services.notice_create(
            actor=request.user, data=serializer.validated_data, request=request
        )
        return Response(_answer(request, notice), status=status.HTTP_201_CREATED)


@extend_schema(tags=TAG)
class NoticeDetailView(APIView):
    parser_classes = PARSERS

    def get_permissions(self):
        if self.request.method == "GET":
            return [AllowAny()]
        return [IsWardAdminOrSuperAdmin()]

    @extend_schema(
        summary="One notice; a signed-in reader is counted once among its readers",
        responses={200: NoticeSerializer, **errors(404, 429)},
    )
    def get(self, request, notice_id):
        notice = selectors.notice_get(viewer=request.user, notice_id=notice_id)
        notice.view_count = services.notice_view_record(notice=notice, reader=request.user)
        return Response(NoticeSerializer(notice, context={"request": request}).data)

    @extend_schema(
        summary="Replace a notice (staff); fields left out take their defaults",
        description=WRITE_RULES,
        request={
            "application/json": NoticeWriteSerializer,
            "multipart/form-data": NoticeWriteSerializer,
        },
        responses={200: NoticeSerializer, **errors(400, 401, 403, 404, 409, 413, 415)},
        examples=[examples.REPLACE, examples.REPLACED],
    )
    def put(self, request, notice_id):
        return self._edit(request, notice_id, partial=False)

    @extend_schema(
        summary="Change some fields of a notice (staff)",
        description=WRITE_RULES,
        request={
            "application/json": NoticeWriteSerializer,
            "multipart/form-data": NoticeWriteSerializer,
        },
        responses={200: NoticeSerializer, **errors(400, 401, 403, 404, 409, 413, 415)},
        examples=[examples.EXTEND, examples.EXTENDED],
    )
    def patch(self, request, notice_id):
        return self._edit(request, notice_id, partial=True)

    @extend_schema(
        summary="Withdraw a notice (staff): off the board, kept for the record",
        responses={204: None, **errors(401, 403, 404)},
    )
    def delete(self, request, notice_id):
        notice = selectors.notice_get(viewer=request.user, notice_id=notice_id)
        services.notice_withdraw(notice=notice, actor=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _edit(self, request, notice_id, *, partial: bool):
        notice = selectors.notice_get(viewer=request.user, notice_id=notice_id)
        serializer = NoticeWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        notice = services.notice_update(
            notice=notice, actor=request.user, data=serializer.validated_data, request=request
        )
        return Response(_answer(request, notice))


@extend_schema(
    tags=TAG,
    summary="Download a notice's attachment (whoever may read the notice)",
    responses={
        (200, "application/pdf"): OpenApiTypes.BINARY,
        (200, "image/jpeg"): OpenApiTypes.BINARY,
        **errors(404),
    },
)
class NoticeAttachmentView(APIView):
    permission_classes = [AllowAny]

    def get(self, request, notice_id):
        notice = selectors.notice_with_attachment(viewer=request.user, notice_id=notice_id)
        content_type = attachment_content_type(notice.attachment.name)
        response = FileResponse(
            notice.attachment.open("rb"),
            as_attachment=content_type == "application/pdf",
            filename=notice.attachment_name or notice.attachment.name.rsplit("/", 1)[-1],
            content_type=content_type,
        )
        response["Cache-Control"] = "private, max-age=3600"
        return response


def _addressed(request, row: dict) -> dict:
    """A kept board row with its attachment's path made absolute for ``request``."""
    path = row["attachment_url"]
    return {**row, "attachment_url": request.build_absolute_uri(path)} if path else row


def _answer(request, notice) -> dict:
    """The notice as its author left it, even if it is not on their board."""
    fresh = selectors.notice_after_write(notice.pk)
    return NoticeSerializer(fresh, context={"request": request}).data
