"""The chat inbox, one conversation (read, answer, take, hand on, close), and starting one from a
complaint: every read through apps.chat.selectors, every write through apps.chat.services."""

from __future__ import annotations

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from apps.chat import selectors, services
from apps.chat.enums import MESSAGE_MAX_CHARS
from apps.chat.models import ChatRoom
from apps.chat.policy import can_answer, is_participant
from apps.complaints import selectors as complaint_selectors

from .access import section_required
from .common import assign_from_form, attempt, found_or_404, paged, posted

MESSAGES_SHOWN = 100


class MessageForm(forms.Form):
    """The API's `message` (text); its rules (blank, length, characters) are message_send's."""

    message = forms.CharField(
        label=gettext_lazy("Your answer"), max_length=MESSAGE_MAX_CHARS, strip=False
    )


@require_safe
@section_required("chat")
def inbox(request):
    return render(
        request,
        "console/chat_inbox.html",
        paged(request, selectors.room_inbox(viewer=request.user)),
    )


def _visible(request, room_id) -> ChatRoom:
    return found_or_404(selectors.room_get, viewer=request.user, room_id=room_id)


@require_safe
@section_required("chat")
def room_detail(request, room_id):
    """The conversation, oldest first; opening it marks what the city received as read."""
    room = _visible(request, room_id)
    if is_participant(request.user, room) and room.unread_count:
        services.room_mark_read(room=room, reader=request.user)
    shown = list(selectors.message_list(room=room)[:MESSAGES_SHOWN])
    shown.reverse()
    return render(
        request,
        "console/chat_room.html",
        {
            "room": room,
            "chat_messages": shown,
            "may_answer": can_answer(request.user, room),
            "assignees": selectors.room_assignees(room=room),
            "form": MessageForm(),
        },
    )


def _back(request, room):
    """Back to the conversation, or to the inbox once a hand-over took it out of view."""
    if selectors.room_visible(viewer=request.user, room_id=room.pk):
        return redirect("console:chat-room", room_id=room.pk)
    return redirect("console:chat")


@require_POST
@section_required("chat")
def message_send(request, room_id):
    room = _visible(request, room_id)
    posted(
        request,
        MessageForm(request.POST),
        lambda data: services.message_send(room=room, sender=request.user, text=data["message"]),
        success=None,
    )
    return _back(request, room)


@require_POST
@section_required("chat")
def room_assign(request, room_id):
    """Take the conversation (``assigned_to`` = oneself), hand it on, or give it back (empty)."""
    room = _visible(request, room_id)
    assign_from_form(
        request,
        lambda assignee_id: services.room_assign(
            room=room, actor=request.user, assignee_id=assignee_id, request=request
        ),
    )
    return _back(request, room)


@require_POST
@section_required("chat")
def room_close(request, room_id):
    room = _visible(request, room_id)
    attempt(
        request,
        lambda: services.room_close(room=room, actor=request.user, request=request),
        success=_("The conversation is closed."),
    )
    return _back(request, room)


@require_POST
@section_required("chat")
def complaint_chat_start(request, complaint_id):
    """Open the conversation about a complaint with its citizen (or find the open one) through
    ``room_open_about_complaint``; the staff member then writes in it."""
    complaint = found_or_404(
        complaint_selectors.complaint_get, viewer=request.user, complaint_id=complaint_id
    )
    opened = attempt(
        request,
        lambda: services.room_open_about_complaint(actor=request.user, complaint=complaint),
    )
    if opened is None:
        return redirect("console:complaint", complaint_id=complaint.pk)
    room, _created = opened
    return redirect("console:chat-room", room_id=room.pk)
