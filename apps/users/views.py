"""HTTP endpoints of /users/: own profile and avatar, staff user list and detail."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi_errors import errors
from core.permissions import IsSuperAdmin, IsWardAdminOrSuperAdmin

from . import examples, selectors, services
from .models import User
from .serializers import (
    AvatarUploadSerializer,
    ProfileUpdateSerializer,
    UserSerializer,
    UserStaffSerializer,
    UserStaffUpdateSerializer,
    WardSerializer,
)


class ProfileView(APIView):
    """The signed-in person's own profile."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["users"], responses={200: UserSerializer, **errors(401)})
    def get(self, request):
        return Response(UserSerializer(request.user, context={"request": request}).data)

    @extend_schema(
        tags=["users"],
        request=ProfileUpdateSerializer,
        responses={200: UserSerializer, **errors(400, 401)},
        examples=[examples.PROFILE_REPLACE, examples.PROFILE_SAVED],
    )
    def put(self, request):
        return self._update(request, partial=False)

    @extend_schema(
        tags=["users"],
        request=ProfileUpdateSerializer,
        responses={200: UserSerializer, **errors(400, 401)},
        examples=[examples.PROFILE_CHANGE, examples.PROFILE_CHANGED],
    )
    def patch(self, request):
        return self._update(request, partial=True)

    def _update(self, request, *, partial: bool):
        serializer = ProfileUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        user = services.user_update_profile(
            user=request.user, data=serializer.validated_data, request=request
        )
        return Response(UserSerializer(user, context={"request": request}).data)


class AvatarView(APIView):
    """Upload a profile picture (multipart field ``avatar``): stored as a compressed square."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=["users"],
        request={"multipart/form-data": AvatarUploadSerializer},
        responses={200: UserSerializer, **errors(400, 401, 413, 415)},
        examples=[examples.AVATAR_UPLOAD, examples.AVATAR_SAVED],
    )
    def post(self, request):
        serializer = AvatarUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_set_avatar(
            user=request.user, upload=serializer.validated_data["avatar"], request=request
        )
        return Response(UserSerializer(user, context={"request": request}).data)


@extend_schema(
    tags=["users"],
    parameters=[OpenApiParameter("search", str, description="Part of a name or phone number.")],
    responses={200: UserStaffSerializer(many=True), **errors(401, 403)},
)
class UserListView(generics.ListAPIView):
    """Accounts a staff member may see: all (super admin) or residents of their wards (admin)."""

    permission_classes = [IsWardAdminOrSuperAdmin]
    serializer_class = UserStaffSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = selectors.UserFilter
    ordering_fields = ["created_at", "name"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no signed-in user
            return User.objects.none()
        return selectors.user_list(viewer=self.request.user)


class UserDetailView(APIView):
    """One account: staff read it within their scope; only a super admin edits or deactivates."""

    def get_permissions(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return [IsWardAdminOrSuperAdmin()]
        return [IsSuperAdmin()]

    @extend_schema(tags=["users"], responses={200: UserStaffSerializer, **errors(401, 403, 404)})
    def get(self, request, user_id):
        user = selectors.user_get(viewer=request.user, user_id=user_id)
        return Response(UserStaffSerializer(user, context={"request": request}).data)

    @extend_schema(
        tags=["users"],
        request=UserStaffUpdateSerializer,
        responses={200: UserStaffSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[examples.ACCOUNT_REPLACE, examples.ACCOUNT_SAVED],
    )
    def put(self, request, user_id):
        return self._update(request, user_id, partial=False)

    @extend_schema(
        tags=["users"],
        request=UserStaffUpdateSerializer,
        responses={200: UserStaffSerializer, **errors(400, 401, 403, 404, 409)},
        examples=[examples.ACCOUNT_CHANGE, examples.ACCOUNT_SAVED],
    )
    def patch(self, request, user_id):
        return self._update(request, user_id, partial=True)

    @extend_schema(
        tags=["users"],
        summary="Deactivate an account (accounts are never deleted)",
        responses={204: None, **errors(401, 403, 404, 409)},
    )
    def delete(self, request, user_id):
        user = selectors.user_get(viewer=request.user, user_id=user_id)
        services.user_deactivate(actor=request.user, user=user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _update(self, request, user_id, *, partial: bool):
        user = selectors.user_get(viewer=request.user, user_id=user_id)
        serializer = UserStaffUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        user = services.user_update_by_staff(
            actor=request.user, user=user, data=serializer.validated_data, request=request
        )
        return Response(UserStaffSerializer(user, context={"request": request}).data)


@extend_schema(tags=["users"], responses={200: WardSerializer(many=True)})
class WardListView(generics.ListAPIView):
    """The city corporation's wards (for pickers in the app and console)."""

    permission_classes = [AllowAny]
    serializer_class = WardSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.ward_list()
