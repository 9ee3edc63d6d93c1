"""HTTP endpoints of /admin-users/ (super admin only): staff accounts, permissions, activity."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi_errors import errors
from core.permissions import IsSuperAdmin

from . import admin_examples as examples
from . import admin_selectors as selectors
from . import admin_services as services
from .admin_serializers import (
    ActivityLogSerializer,
    AdminPermissionSerializer,
    AdminPermissionSetInputSerializer,
    AdminPermissionSetSerializer,
    AdminUserCreateSerializer,
    AdminUserSerializer,
    AdminUserUpdateSerializer,
)
from .models import ActivityLog, User

TAGS = ["admin-users"]


def _account_body(request, account: User) -> dict:
    """Re-read through the selector so the answer carries the permission rows as GET shows them."""
    account = selectors.staff_account_get(viewer=request.user, user_id=account.pk)
    return AdminUserSerializer(account, context={"request": request}).data


def _permissions_body(permissions) -> dict:
    return {"permissions": AdminPermissionSerializer(permissions, many=True).data}


@extend_schema(tags=TAGS)
class AdminUserListView(generics.ListAPIView):
    """Ward admins and service providers: list them, or create one."""

    permission_classes = [IsSuperAdmin]
    serializer_class = AdminUserSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = selectors.StaffAccountFilter
    ordering_fields = ["created_at", "name"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no signed-in user
            return User.objects.none()
        return selectors.staff_account_list(viewer=self.request.user)

    @extend_schema(
        parameters=[OpenApiParameter("search", str, description="Part of a name or phone.")],
        responses={200: AdminUserSerializer(many=True), **errors(400, 401, 403)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Create a ward admin or service provider",
        request=AdminUserCreateSerializer,
        responses={201: AdminUserSerializer, **errors(400, 401, 403)},
        examples=[examples.STAFF_CREATE, examples.STAFF_CREATED],
    )
    def post(self, request):
        serializer = AdminUserCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account = services.staff_account_create(
            actor=request.user, request=request, **serializer.validated_data
        )
        return Response(_account_body(request, account), status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class AdminUserDetailView(APIView):
    """One staff account: read, edit, or deactivate (accounts are never deleted)."""

    permission_classes = [IsSuperAdmin]

    @extend_schema(responses={200: AdminUserSerializer, **errors(401, 403, 404)})
    def get(self, request, user_id):
        account = selectors.staff_account_get(viewer=request.user, user_id=user_id)
        return Response(AdminUserSerializer(account, context={"request": request}).data)

    @extend_schema(
        request=AdminUserUpdateSerializer,
        responses={200: AdminUserSerializer, **errors(400, 401, 403, 404)},
        examples=[examples.STAFF_REPLACE, examples.STAFF_REPLACED],
    )
    def put(self, request, user_id):
        return self._update(request, user_id, partial=False)

    @extend_schema(
        request=AdminUserUpdateSerializer,
        responses={200: AdminUserSerializer, **errors(400, 401, 403, 404)},
        examples=[examples.STAFF_CHANGE, examples.STAFF_CHANGED],
    )
    def patch(self, request, user_id):
        return self._update(request, user_id, partial=True)

    @extend_schema(
        summary="Deactivate a staff account and end its sessions (never deleted)",
        responses={204: None, **errors(401, 403, 404)},
    )
    def delete(self, request, user_id):
        account = selectors.staff_account_get(viewer=request.user, user_id=user_id)
        services.staff_account_deactivate(actor=request.user, account=account, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _update(self, request, user_id, *, partial: bool):
        account = selectors.staff_account_get(viewer=request.user, user_id=user_id)
        serializer = AdminUserUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        account = services.staff_account_update(
            actor=request.user, account=account, data=serializer.validated_data, request=request
        )
        return Response(_account_body(request, account))


@extend_schema(tags=TAGS)
class AdminUserPermissionsView(APIView):
    """A staff account's permission set; PUT replaces the whole set in one transaction."""

    permission_classes = [IsSuperAdmin]

    @extend_schema(responses={200: AdminPermissionSetSerializer, **errors(401, 403, 404)})
    def get(self, request, user_id):
        account = selectors.staff_account_get(viewer=request.user, user_id=user_id)
        return Response(_permissions_body(selectors.admin_permission_list(account=account)))

    @extend_schema(
        request=AdminPermissionSetInputSerializer,
        responses={200: AdminPermissionSetSerializer, **errors(400, 401, 403, 404)},
        examples=[examples.PERMISSIONS_REPLACE, examples.PERMISSIONS_SAVED],
    )
    def put(self, request, user_id):
        account = selectors.staff_account_get(viewer=request.user, user_id=user_id)
        serializer = AdminPermissionSetInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        permissions = services.admin_permissions_replace(
            actor=request.user,
            account=account,
            permissions=serializer.validated_data["permissions"],
            request=request,
        )
        return Response(_permissions_body(permissions))


@extend_schema(
    tags=TAGS, responses={200: ActivityLogSerializer(many=True), **errors(400, 401, 403, 404)}
)
class AdminUserActivityLogView(generics.ListAPIView):
    """What a staff account did, newest first; filter by action, resource type and time."""

    permission_classes = [IsSuperAdmin]
    serializer_class = ActivityLogSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = selectors.ActivityLogFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ActivityLog.objects.none()
        return selectors.staff_activity_list(
            viewer=self.request.user, user_id=self.kwargs["user_id"]
        )
