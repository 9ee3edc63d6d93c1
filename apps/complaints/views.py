"""HTTP endpoints of /complaints/: each parses input, calls one service or selector, serialises."""

from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema, inline_serializer
from rest_framework import filters, generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.filters import BoundedSearchFilter, PlainFilterBackend, requested_ward
from core.idempotency import idempotent
from core.lists import KeptPagesMixin, answer_kept
from core.openapi_errors import errors
from core.pagination import KeysetPagination
from core.permissions import IsCitizen, IsStaffMember
from core.rls import public_reads

from . import examples, pages, selectors, services
from .enums import Category
from .models import Complaint
from .serializers import (
    AssignSerializer,
    ComplaintCreateSerializer,
    ComplaintDetailSerializer,
    ComplaintEditSerializer,
    ComplaintImageSerializer,
    ComplaintSerializer,
    ComplaintUpdateSerializer,
    RateSerializer,
    StatusChangeSerializer,
    TrackingSerializer,
)

TAG = ["complaints"]
IMAGE_FIELDS = ("images", "images[]")


class ComplaintSearchFilter(BoundedSearchFilter):
    """``?search=`` over SEARCH_FIELDS. One term is searched as the console searches its text
    (selectors.complaint_search: a whole tracking number found through the unique index);
    several must each match, as DRF's SearchFilter has them."""

    search_description = (
        "Text in the title, description or tracking number (any case; terms separated by spaces "
        "or commas must all match). A whole tracking number alone (CC and its digits) finds that "
        "complaint."
    )

    def filter_queryset(self, request, queryset, view):
        terms = self.get_search_terms(request)
        if len(terms) == 1:
            return selectors.complaint_search(queryset, terms[0])
        return super().filter_queryset(request, queryset, view)


_multipart_images = {
    "multipart/form-data": inline_serializer(
        "ComplaintCreateMultipart",
        fields={
            **ComplaintCreateSerializer().get_fields(),
            "images": serializers.ListField(
                child=serializers.FileField(), required=False, help_text="Up to 5 photos."
            ),
        },
    ),
    "application/json": ComplaintCreateSerializer,
}


def uploaded_images(request) -> list:
    """Photos sent as repeated ``images`` or ``images[]`` parts (mobile clients use both)."""
    return [upload for name in IMAGE_FIELDS for upload in request.FILES.getlist(name)]


def _detail(request, complaint) -> dict:
    fresh = selectors.complaint_after_write(complaint.pk)
    return ComplaintDetailSerializer(fresh, context={"request": request}).data


class OrderingByRank(filters.OrderingFilter):
    """``ordering=priority`` sorts by urgency and ``status`` by workflow, not alphabetically.

    Every ordering is made total for stable pages and keyset cursors, in the order an index of
    apps/complaints/models.py walks: newest first (then the id) within a rank, and a descending
    ordering is the exact reverse of the ascending list. A rank whose field the request filters
    to one value sorts nothing and is left out.
    """

    ranked = {"priority": "priority_rank", "status": "status_rank"}

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering:
            return ordering
        result = []
        for term in ordering:
            name = term.lstrip("-")
            if name in self.ranked and request.query_params.get(name):
                continue
            result.append(term.replace(name, self.ranked.get(name, name)))
        if not result:
            return list(selectors.LIST_ORDER)
        first = result[0]
        if first.lstrip("-") == "created_at":
            return [*result, first.replace("created_at", "id")]
        if first.startswith("-"):
            return [*result, *(term.lstrip("-") for term in selectors.LIST_ORDER)]
        return [*result, *selectors.LIST_ORDER]

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        return selectors.complaints_ranked(queryset, ordering).order_by(*ordering)


@extend_schema(tags=TAG)
class ComplaintListCreateView(KeptPagesMixin, generics.ListAPIView):
    """GET: the complaints the caller may see, pages kept until a write retires them
    (pages.py). POST: a citizen files one (JSON or multipart)."""

    kept_list = pages.LIST
    kept_names = staticmethod(pages.page_names)
    permission_classes = [IsAuthenticated]
    serializer_class = ComplaintSerializer
    filter_backends = [PlainFilterBackend, ComplaintSearchFilter, OrderingByRank]
    pagination_class = KeysetPagination
    filterset_class = selectors.ComplaintFilter
    search_fields = list(selectors.SEARCH_FIELDS)
    ordering_fields = ["created_at", "priority", "status"]

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsCitizen()]
        return [IsAuthenticated()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Complaint.objects.none()
        return selectors.complaint_rows(
            viewer=self.request.user, ward=requested_ward(self.request.query_params)
        )

    @extend_schema(
        summary="File a complaint (up to 5 photos); Idempotency-Key honoured",
        request=_multipart_images,
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER)],
        responses={201: ComplaintDetailSerializer, **errors(400, 401, 409, 413, 415, 429)},
        examples=[
            examples.CREATE,
            examples.CREATE_WITH_PHOTOS,
            examples.CREATED,
            examples.CREATED_WITH_PHOTO,
        ],
    )
    @idempotent(scope="complaints.create")
    def post(self, request):
        serializer = ComplaintCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        complaint = services.complaint_create(
            user=request.user,
            data=serializer.validated_data,
            images=uploaded_images(request),
        )
        return Response(_detail(request, complaint), status=status.HTTP_201_CREATED)


@extend_schema(tags=TAG)
class ComplaintDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ComplaintDetailSerializer, **errors(401, 404)})
    def get(self, request, complaint_id):
        """Kept as the list's pages are (pages.py): the same writes retire it."""

        def answer():
            complaint = selectors.complaint_shown(viewer=request.user, complaint_id=complaint_id)
            return Response(ComplaintDetailSerializer(complaint, context={"request": request}).data)

        return answer_kept(
            self,
            request,
            list_name=pages.LIST,
            names=pages.page_names(request.user),
            answer=answer,
        )

    @extend_schema(
        summary="Owner edits text while submitted; staff change priority or ward",
        request=ComplaintEditSerializer,
        responses={200: ComplaintDetailSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[examples.EDIT, examples.EDIT_SAVED],
    )
    def put(self, request, complaint_id):
        return self._edit(request, complaint_id)

    @extend_schema(
        request=ComplaintEditSerializer,
        responses={200: ComplaintDetailSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[examples.REPRIORITISE, examples.REPRIORITISED_SAVED],
    )
    def patch(self, request, complaint_id):
        return self._edit(request, complaint_id)

    @extend_schema(
        summary="Owner withdraws while submitted; a super admin removes any",
        responses={204: None, **errors(401, 403, 404, 409)},
    )
    def delete(self, request, complaint_id):
        complaint = selectors.complaint_get(viewer=request.user, complaint_id=complaint_id)
        services.complaint_delete(complaint=complaint, actor=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _edit(self, request, complaint_id):
        complaint = selectors.complaint_get(viewer=request.user, complaint_id=complaint_id)
        serializer = ComplaintEditSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        complaint = services.complaint_update(
            complaint=complaint, actor=request.user, data=serializer.validated_data, request=request
        )
        return Response(_detail(request, complaint))


@extend_schema(tags=TAG)
class ComplaintImagesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Add photos (5 per complaint in all)",
        request={
            "multipart/form-data": inline_serializer(
                "ComplaintImagesUpload",
                fields={"images": serializers.ListField(child=serializers.FileField())},
            )
        },
        responses={
            201: ComplaintImageSerializer(many=True),
            **errors(400, 401, 403, 404, 409, 413, 415),
        },
        examples=[examples.ADD_PHOTO, examples.PHOTO_ADDED],
    )
    def post(self, request, complaint_id):
        complaint = selectors.complaint_get(viewer=request.user, complaint_id=complaint_id)
        rows = services.complaint_add_images(
            complaint=complaint, actor=request.user, images=uploaded_images(request)
        )
        data = ComplaintImageSerializer(rows, many=True, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAG)
class ComplaintUpdatesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Status history",
        responses={200: ComplaintUpdateSerializer(many=True), **errors(401, 404)},
    )
    def get(self, request, complaint_id):
        complaint = selectors.complaint_get(viewer=request.user, complaint_id=complaint_id)
        history = selectors.complaint_history(complaint=complaint)
        return Response(
            ComplaintUpdateSerializer(history, many=True, context={"request": request}).data
        )

    @extend_schema(
        summary="Change the status with a comment (staff); the citizen is notified",
        request=StatusChangeSerializer,
        responses={201: ComplaintUpdateSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[examples.TAKE_UP, examples.STATUS_CHANGED],
    )
    def post(self, request, complaint_id):
        complaint = selectors.complaint_get(viewer=request.user, complaint_id=complaint_id)
        serializer = StatusChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        update = services.complaint_change_status(
            complaint=complaint,
            actor=request.user,
            new_status=serializer.validated_data["status"],
            comment=serializer.validated_data.get("comment"),
            photo=serializer.validated_data.get("photo"),
            request=request,
        )
        data = ComplaintUpdateSerializer(update, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAG)
class ComplaintAssignView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(
        summary="Assign to a ward admin or service provider (null takes it back)",
        request=AssignSerializer,
        responses={200: ComplaintDetailSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[examples.ASSIGN, examples.ASSIGNED],
    )
    def post(self, request, complaint_id):
        complaint = selectors.complaint_get(viewer=request.user, complaint_id=complaint_id)
        serializer = AssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        complaint = services.complaint_assign(
            complaint=complaint,
            actor=request.user,
            assignee_id=serializer.validated_data["assigned_to"],
            request=request,
        )
        return Response(_detail(request, complaint))


@extend_schema(tags=TAG)
class ComplaintRateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="The citizen rates a resolved complaint (once)",
        request=RateSerializer,
        responses={200: ComplaintDetailSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[examples.RATE, examples.RATED_SAVED],
    )
    def post(self, request, complaint_id):
        complaint = selectors.complaint_get(viewer=request.user, complaint_id=complaint_id)
        serializer = RateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        complaint = services.complaint_rate(
            complaint=complaint, actor=request.user, **serializer.validated_data
        )
        return Response(_detail(request, complaint))


_count_rows = serializers.ListField(child=serializers.DictField())


@extend_schema(
    tags=TAG,
    summary="Totals by status, category and priority over the caller's complaints (staff)",
    responses={
        200: inline_serializer(
            "ComplaintStatistics",
            fields={
                "total": serializers.IntegerField(),
                "by_status": _count_rows,
                "by_category": _count_rows,
                "by_priority": _count_rows,
                # Seed 001's keys, read by the Flutter client.
                "total_complaints": serializers.IntegerField(),
                "pending_complaints": serializers.IntegerField(help_text="Status submitted."),
                "in_progress_complaints": serializers.IntegerField(),
                "resolved_complaints": serializers.IntegerField(),
                "category_statistics": serializers.ListField(
                    child=inline_serializer(
                        "CategoryCount",
                        fields={
                            "category": serializers.ChoiceField(choices=Category.choices),
                            "count": serializers.IntegerField(),
                        },
                    )
                ),
            },
        ),
        **errors(401, 403),
    },
)
class ComplaintStatisticsView(APIView):
    permission_classes = [IsStaffMember]

    def get(self, request):
        return Response(selectors.complaint_statistics(viewer=request.user))


@method_decorator(
    name="get",
    decorator=extend_schema(tags=TAG, responses={200: TrackingSerializer, **errors(404, 429)}),
)
class ComplaintTrackView(APIView):
    """Anyone with a tracking number sees its status history (no personal data)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request, tracking_number):
        with public_reads():
            complaint = selectors.complaint_by_tracking_number(tracking_number)
            return Response(TrackingSerializer(complaint, context={"request": request}).data)
