"""Chat rooms (one conversation of a citizen with the city), their messages, and open sockets."""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.indexes import PortableExpressionIndex
from core.storage import private_storage

from .enums import SUBJECT_MAX_CHARS, MessageType


class ChatRoom(models.Model):
    """A citizen's conversation with the staff of the ward it was opened in.

    ``citizen_read_at`` / ``staff_read_at`` mark how far each side has read: the messages of the
    other side up to that moment are read (``ChatMessage.is_read`` says the same per message).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    citizen = models.ForeignKey(
        "users.User",
        on_delete=models.CASCADE,
        related_name="chat_rooms",
        verbose_name=_("citizen"),
        db_index=False,  # leads the open-room constraints below
    )
    ward_number = models.CharField(_("ward number"), max_length=10, null=True, blank=True)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chat_rooms",
        verbose_name=_("complaint"),
    )
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX_CHARS, null=True, blank=True)
    assigned_to = models.ForeignKey(
        "users.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_chat_rooms",
        verbose_name=_("assigned to"),
    )
    is_closed = models.BooleanField(_("closed"), default=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    last_message = models.ForeignKey(
        "chat.ChatMessage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last message"),
    )
    last_message_at = models.DateTimeField(_("last message at"), null=True, blank=True)
    citizen_read_at = models.DateTimeField(null=True, blank=True)
    staff_read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "chat_rooms"
        verbose_name = _("chat room")
        verbose_name_plural = _("chat rooms")
        ordering = ["-last_message_at", "-created_at"]
        indexes = [
            # The staff list: rooms of their wards, busiest first.
            models.Index(fields=["ward_number", "-last_message_at"], name="idx_chat_rooms_ward"),
            models.Index(fields=["citizen", "-last_message_at"], name="idx_chat_rooms_citizen"),
            # A super admin's list (selectors.room_list's order): without it every room is
            # joined to its people and last message before the top twenty are picked. SQLite
            # (whose sqlite3 shell refuses NULLS LAST in an index) sorts nulls last anyway.
            PortableExpressionIndex(
                F("last_message_at").desc(nulls_last=True),
                F("created_at").desc(),
                name="idx_chat_rooms_recent",
                sqlite_fields=["-last_message_at", "-created_at"],
            ),
        ]
        constraints = [
            # One open conversation per citizen and complaint, and one without a complaint.
            models.UniqueConstraint(
                fields=["citizen", "complaint"],
                condition=Q(is_closed=False, complaint__isnull=False),
                name="chat_rooms_one_open_per_complaint",
            ),
            models.UniqueConstraint(
                fields=["citizen"],
                condition=Q(is_closed=False, complaint__isnull=True),
                name="chat_rooms_one_open_general",
            ),
        ]

    def __str__(self) -> str:
        return self.subject or str(self.id)


def _chat_upload_to(instance, filename: str) -> str:
    return f"chat/{instance.room_id}/{filename}"


class ChatMessage(models.Model):
    """One message (the seeds' ``chat_messages`` table); files are private to the room."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    room = models.ForeignKey(
        ChatRoom, on_delete=models.CASCADE, related_name="messages", db_index=False
    )
    sender = models.ForeignKey(
        "users.User", on_delete=models.CASCADE, related_name="chat_messages_sent", db_index=False
    )
    # The seeds' column: who the message is for when one person is (the citizen, or the staff
    # member the room is assigned to); empty while a citizen writes to an unassigned room.
    receiver = models.ForeignKey(
        "users.User",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="chat_messages_received",
        db_index=False,
    )
    message = models.TextField(_("message"), blank=True, default="")
    message_type = models.CharField(
        _("message type"), max_length=20, choices=MessageType.choices, default=MessageType.TEXT
    )
    file = models.FileField(
        _("file"), upload_to=_chat_upload_to, storage=private_storage, max_length=500, blank=True
    )
    file_name = models.CharField(_("original file name"), max_length=255, null=True, blank=True)
    file_size = models.PositiveIntegerField(_("stored size (bytes)"), null=True, blank=True)
    is_read = models.BooleanField(_("read"), default=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "chat_messages"
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["sender"], name="idx_chat_sender_id"),
            models.Index(fields=["receiver"], name="idx_chat_receiver_id"),
            models.Index(fields=["-created_at"], name="idx_chat_created_at"),
            # History of one room, newest first (also serves the seeds' idx_chat_room_id).
            models.Index(fields=["room", "-created_at"], name="idx_chat_room_created"),
            # Unread counts of the room list: only unread rows are indexed.
            models.Index(
                fields=["room", "sender"], condition=Q(is_read=False), name="idx_chat_unread"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(message_type__in=MessageType.values),
                name="chat_messages_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(message_type=MessageType.TEXT) | ~Q(file=""),
                name="chat_messages_file_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.message[:40]}"


class ChatPresence(models.Model):
    """An open chat socket: who is watching which room, in which channel (across processes).

    A participant with a row here sees messages live, so is not sent a notification. A socket
    that dies without saying so (a killed process) leaves its row, which stops counting once it
    is older than the idle timeout, since a live socket refreshes it at least that often.
    """

    channel_name = models.CharField(max_length=200, primary_key=True)
    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey("users.User", on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        db_table = "chat_presence"
        indexes = [models.Index(fields=["room", "user"], name="idx_chat_presence_room_user")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.room_id}"
