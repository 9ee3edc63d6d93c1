"""HTTP endpoints of /chat/: each parses input, calls one service or selector, serialises."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.openapi_errors import errors
from core.permissions import IsCitizen, IsStaffMember

from . import examples, selectors, services
from .enums import MessageType
from .models import ChatMessage, ChatRoom
from .serializers import (
    ChatMessageSerializer,
    ChatRoomSerializer,
    MessageSendSerializer,
    ReadResultSerializer,
    RoomAssignSerializer,
    RoomOpenSerializer,
)

TAG = ["chat"]


@extend_schema(tags=TAG)
class RoomListCreateView(generics.ListAPIView):
    """GET: the conversations the caller may see. POST: a citizen opens one."""

    serializer_class = ChatRoomSerializer

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsCitizen()]
        return [IsAuthenticated()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ChatRoom.objects.none()
        return selectors.room_rows(viewer=self.request.user)

    @extend_schema(
        summary="Open a conversation (about a complaint, or in general)",
        description="The citizen's open conversation about the same complaint (or their open "
        "general one) is returned with 200 instead of a second one being opened.",
        request=RoomOpenSerializer,
        responses={201: ChatRoomSerializer, 200: ChatRoomSerializer, **errors(400, 401, 403)},
        examples=[examples.OPEN, examples.OPENED, examples.ALREADY_OPEN],
    )
    def post(self, request):
        serializer = RoomOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        room, created = services.room_open(
            citizen=request.user,
            complaint_id=serializer.validated_data.get("complaint"),
            subject=serializer.validated_data.get("subject"),
        )
        return Response(
            _room_after_write(request, room),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@extend_schema(tags=TAG)
class RoomDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ChatRoomSerializer, **errors(401, 404)})
    def get(self, request, room_id):
        room = selectors.room_get(viewer=request.user, room_id=room_id)
        return Response(ChatRoomSerializer(room, context={"request": request}).data)


_message_request = {
    "application/json": inline_serializer(
        "ChatTextMessage",
        fields={
            "message": serializers.CharField(max_length=4000),
            "message_type": serializers.ChoiceField(
                choices=MessageType.choices,
                default=MessageType.TEXT,
                help_text="`text` here; photos and documents go as multipart.",
            ),
        },
    ),
    "multipart/form-data": MessageSendSerializer,
}


@extend_schema(tags=TAG)
class RoomMessagesView(generics.ListAPIView):
    """GET: the room's messages, newest first. POST: write in it (text, photo or PDF)."""

    permission_classes = [IsAuthenticated]
    serializer_class = ChatMessageSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ChatMessage.objects.none()
        return selectors.room_messages(viewer=self.request.user, room_id=self.kwargs["room_id"])

    @extend_schema(responses={200: ChatMessageSerializer(many=True), **errors(401, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Send a message: text (JSON), a photo or a PDF (multipart `file`)",
        description="A photo (message_type `image`) is decoded, stripped of its metadata and "
        "kept at most 5 MB; a document (message_type `file`) must be a PDF of at most 10 MB. "
        "The stored message is also sent to the room's open sockets.",
        request=_message_request,
        responses={201: ChatMessageSerializer, **errors(400, 401, 403, 404, 409, 413, 415, 429)},
        examples=[examples.SEND_TEXT, examples.SEND_PHOTO, examples.SENT, examples.PHOTO_SENT],
    )
    def post(self, request, room_id):
        room = selectors.room_get(viewer=request.user, room_id=room_id)
        serializer = MessageSendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.message_send(
            room=room,
            sender=request.user,
            text=serializer.validated_data.get("message"),
            message_type=serializer.validated_data["message_type"],
            file=serializer.validated_data.get("file"),
        )
        data = ChatMessageSerializer(message, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAG)
class RoomReadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Mark everything the caller received in the room as read",
        request=None,
        responses={200: ReadResultSerializer, **errors(401, 403, 404)},
        examples=[examples.READ],
    )
    def post(self, request, room_id):
        room = selectors.room_get(viewer=request.user, room_id=room_id)
        result = services.room_mark_read(room=room, reader=request.user)
        return Response(ReadResultSerializer(result).data)


@extend_schema(tags=TAG)
class RoomAssignView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(
        summary="Hand the conversation to a colleague (null hands it back to the ward)",
        request=RoomAssignSerializer,
        responses={200: ChatRoomSerializer, **errors(400, 401, 403, 404)},
        examples=[examples.ASSIGN, examples.ASSIGNED],
    )
    def post(self, request, room_id):
        room = selectors.room_get(viewer=request.user, room_id=room_id)
        serializer = RoomAssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        room = services.room_assign(
            room=room,
            actor=request.user,
            assignee_id=serializer.validated_data["assigned_to"],
            request=request,
        )
        return Response(_room_after_write(request, room))


@extend_schema(tags=TAG)
class RoomCloseView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(
        summary="Close the conversation (the citizen reopens it by writing)",
        request=None,
        responses={200: ChatRoomSerializer, **errors(401, 403, 404)},
        examples=[examples.CLOSED],
    )
    def post(self, request, room_id):
        room = selectors.room_get(viewer=request.user, room_id=room_id)
        room = services.room_close(room=room, actor=request.user, request=request)
        return Response(_room_after_write(request, room))


@extend_schema(
    tags=TAG,
    summary="Download a message's photo or document (participants and staff of the room)",
    responses={
        (200, "image/jpeg"): OpenApiTypes.BINARY,
        (200, "application/pdf"): OpenApiTypes.BINARY,
        **errors(401, 404),
    },
)
class MessageFileView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request, message_id):
        message = selectors.message_with_file(viewer=request.user, message_id=message_id)
        is_photo = message.message_type == MessageType.IMAGE
        response = FileResponse(
            message.file.open("rb"),
            as_attachment=not is_photo,
            filename=message.file_name or message.file.name.rsplit("/", 1)[-1],
            content_type="image/jpeg" if is_photo else "application/pdf",
        )
        response["Cache-Control"] = "private, max-age=3600"
        return response


def _room_after_write(request, room) -> dict:
    """The room as its actor left it, even if handing it on took it out of their view."""
    fresh = selectors.room_after_write(room_id=room.pk, viewer=request.user)
    return ChatRoomSerializer(fresh, context={"request": request}).data
