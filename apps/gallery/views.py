"""HTTP endpoints of /gallery/: each parses input, calls one service or selector, serialises."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi_errors import errors
from core.permissions import IsWardAdminOrSuperAdmin

from . import examples, selectors, services
from .models import GalleryImage
from .serializers import (
    GalleryCategorySerializer,
    GalleryImageCreateSerializer,
    GalleryImageSerializer,
    GalleryImageWriteSerializer,
)

TAG = ["gallery"]
PARSERS = [MultiPartParser, FormParser]
WRITE_RULES = (
    "Staff with `gallery` rights (create, update or delete) for the photo's ward; a photo of "
    "the whole city (no `ward_number`) only by a super admin. Multipart: the photo is the "
    "`image` file part, decoded before anything is stored (415 when it is not a JPEG, PNG, "
    "WebP or HEIC photo, 413 past 5 MB or 40 megapixels), re-encoded without metadata with "
    "its long side at most 1920 px, plus a thumbnail. `category` is a slug from categories/ "
    "(unknown: 400)."
)


@extend_schema(tags=TAG)
class GalleryListCreateView(generics.ListAPIView):
    """GET: every photo, newest first (anyone). POST: staff add one."""

    serializer_class = GalleryImageSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = selectors.GalleryFilter
    parser_classes = PARSERS

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsWardAdminOrSuperAdmin()]
        return [AllowAny()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return GalleryImage.objects.none()
        return selectors.image_list()

    @extend_schema(
        summary="The gallery: every photo, newest first",
        description="Anyone may browse it. Filters: `category` (a slug; unknown: 400) and "
        "`ward_number` (Bengali digits and leading zeros accepted; unknown ward: 400).",
        parameters=[
            OpenApiParameter("category", OpenApiTypes.STR, description="A category's slug."),
            OpenApiParameter("ward_number", OpenApiTypes.STR),
        ],
        responses={200: GalleryImageSerializer(many=True), **errors(400, 429)},
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    @extend_schema(
        summary="Add a photo to the gallery (staff)",
        description=WRITE_RULES,
        request={"multipart/form-data": GalleryImageCreateSerializer},
        responses={201: GalleryImageSerializer, **errors(400, 401, 403, 413, 415)},
        examples=[examples.CREATE, examples.CREATED],
    )
    def post(self, request):
        serializer = GalleryImageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        image = services.image_create(
            actor=request.user, data=serializer.validated_data, request=request
        )
        return Response(_answer(request, image), status=status.HTTP_201_CREATED)


@extend_schema(tags=TAG)
class GalleryDetailView(APIView):
    parser_classes = PARSERS

    def get_permissions(self):
        if self.request.method == "GET":
            return [AllowAny()]
        return [IsWardAdminOrSuperAdmin()]

    @extend_schema(
        summary="One photo; every opening counts a view",
        description="`view_count` grows by one in the database (concurrent views all count) "
        "and the answer carries the new count.",
        responses={200: GalleryImageSerializer, **errors(404, 429)},
    )
    def get(self, request, image_id):
        count = services.image_view_record(image_id=image_id)
        image = selectors.image_get(image_id=image_id)
        image.view_count = count
        return Response(GalleryImageSerializer(image, context={"request": request}).data)

    @extend_schema(
        summary="Replace a photo's details (staff); left out: the defaults, the photo stays",
        description=WRITE_RULES,
        request={"multipart/form-data": GalleryImageWriteSerializer},
        responses={200: GalleryImageSerializer, **errors(400, 401, 403, 404, 413, 415)},
        examples=[examples.REPLACE, examples.REPLACED],
    )
    def put(self, request, image_id):
        return self._edit(request, image_id, partial=False)

    @extend_schema(
        summary="Change some details of a photo, or the photo itself (staff)",
        description=WRITE_RULES,
        request={"multipart/form-data": GalleryImageWriteSerializer},
        responses={200: GalleryImageSerializer, **errors(400, 401, 403, 404, 413, 415)},
        examples=[examples.RENAME, examples.RENAMED],
    )
    def patch(self, request, image_id):
        return self._edit(request, image_id, partial=True)

    @extend_schema(
        summary="Remove a photo and its files (staff)",
        responses={204: None, **errors(401, 403, 404)},
    )
    def delete(self, request, image_id):
        image = selectors.image_get(image_id=image_id)
        services.image_delete(image=image, actor=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _edit(self, request, image_id, *, partial: bool):
        image = selectors.image_get(image_id=image_id)
        serializer = GalleryImageWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        image = services.image_update(
            image=image, actor=request.user, data=serializer.validated_data, request=request
        )
        return Response(_answer(request, image))


@extend_schema(
    tags=TAG,
    summary="The gallery's categories with how many photos each holds",
    responses={200: GalleryCategorySerializer(many=True), **errors(429)},
)
class GalleryCategoryListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = GalleryCategorySerializer
    pagination_class = None  # a short managed list

    def get_queryset(self):
        return selectors.category_list()


def _answer(request, image) -> dict:
    fresh = selectors.image_get(image_id=image.pk)
    return GalleryImageSerializer(fresh, context={"request": request}).data
