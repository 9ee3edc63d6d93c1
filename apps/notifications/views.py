"""HTTP endpoints of /notifications/: parse input, call one service or selector, serialise."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.lists import KeptPagesMixin, answer_kept
from core.openapi_errors import errors

from . import examples, pages, selectors, services
from .models import Notification
from .serializers import (
    DeviceRegisterSerializer,
    DeviceSerializer,
    NotificationListQuerySerializer,
    NotificationSerializer,
    ReadAllSerializer,
    UnreadCountSerializer,
)

TAG = ["notifications"]


@extend_schema(
    tags=TAG,
    summary="Your notifications, newest first",
    parameters=[
        OpenApiParameter(
            "unread", bool, description="true: only unread; false: only read; absent: all."
        )
    ],
    responses={200: NotificationSerializer(many=True), **errors(400, 401)},
)
class NotificationListView(KeptPagesMixin, generics.ListAPIView):
    """Pages kept until a write of one of the person's notifications retires them (pages.py)."""

    kept_list = pages.LIST
    kept_names = staticmethod(pages.page_names)
    permission_classes = [IsAuthenticated]
    serializer_class = NotificationSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no signed-in user
            return Notification.objects.none()
        query = NotificationListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.notification_list(
            user=self.request.user, unread=query.validated_data["unread"]
        )


class NotificationReadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAG,
        summary="Mark one notification read",
        request=None,
        responses={200: NotificationSerializer, **errors(401, 404)},
        examples=[examples.MARKED_READ],
    )
    def post(self, request, notification_id):
        notification = services.notification_mark_read(
            user=request.user, notification_id=notification_id
        )
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAG,
        summary="Mark all your notifications read",
        request=None,
        responses={200: ReadAllSerializer, **errors(401)},
        examples=[examples.ALL_MARKED_READ],
    )
    def post(self, request):
        return Response({"updated": services.notification_mark_all_read(user=request.user)})


class UnreadCountView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAG,
        summary="How many notifications are unread (the app's badge)",
        responses={200: UnreadCountSerializer, **errors(401)},
    )
    def get(self, request):
        """Kept as the inbox's pages are (pages.py)."""
        return answer_kept(
            self,
            request,
            list_name=pages.LIST,
            names=pages.page_names(request.user),
            answer=lambda: Response(
                {"unread": selectors.notification_unread_count(user=request.user)}
            ),
        )


class DeviceRegisterView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAG,
        summary="Register this app install's FCM token for push notifications",
        description="Registering a token already known moves it to you and reactivates it.",
        request=DeviceRegisterSerializer,
        responses={201: DeviceSerializer, **errors(400, 401)},
        examples=[examples.REGISTER_DEVICE, examples.DEVICE_REGISTERED],
    )
    def post(self, request):
        serializer = DeviceRegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        device = services.device_register(user=request.user, **serializer.validated_data)
        return Response(DeviceSerializer(device).data, status=status.HTTP_201_CREATED)


class DeviceUnregisterView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAG,
        summary="Stop push notifications to a device (on sign-out)",
        responses={204: None, **errors(401, 404)},
    )
    def delete(self, request, token):
        services.device_unregister(user=request.user, token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)
