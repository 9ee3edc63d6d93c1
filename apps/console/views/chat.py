"""The chat inbox, one conversation (read, answer, take, hand on, close), and starting one from a
complaint: every read through apps.chat.selectors, every write through apps.chat.services."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.chat import selectors, services
from apps.chat.enums import MESSAGE_MAX_CHARS
from apps.chat.models import ChatRoom
from apps.chat.policy import can_answer, is_participant
from apps.complaints import selectors as complaint_selectors
from apps.complaints.policy import can_manage as can_manage_complaint
from apps.users.selectors import users_assignable
from core.exceptions import ApplicationError, NotFound

from ..forms import AssignForm
from .access import section_required
from .complaints import _form_errors

PAGE_SIZE = 25
MESSAGES_SHOWN = 100


class MessageForm(forms.Form):
    """The API's `message` (text); its rules (blank, length, characters) are message_send's."""

    message = forms.CharField(
        label=gettext_lazy("Your answer"), max_length=MESSAGE_MAX_CHARS, strip=False
    )


@section_required("chat")
def inbox(request):
    page = Paginator(selectors.room_inbox(viewer=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "console/chat_inbox.html", {"page": page})


def _visible(request, room_id) -> ChatRoom:
    try:
        return selectors.room_get(viewer=request.user, room_id=room_id)
    except NotFound as exc:
        raise Http404 from exc


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
            "assignees": users_assignable(),
            "form": MessageForm(),
        },
    )


def _back(request, room):
    """Back to the conversation, or to the inbox once a hand-over took it out of view."""
    if selectors.room_list(viewer=request.user).filter(pk=room.pk).exists():
        return redirect("console:chat-room", room_id=room.pk)
    return redirect("console:chat")


@require_POST
@section_required("chat")
def message_send(request, room_id):
    room = _visible(request, room_id)
    form = MessageForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(request, room)
    try:
        services.message_send(room=room, sender=request.user, text=form.cleaned_data["message"])
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return _back(request, room)


@require_POST
@section_required("chat")
def room_assign(request, room_id):
    """Take the conversation (``assigned_to`` = oneself), hand it on, or give it back (empty)."""
    room = _visible(request, room_id)
    form = AssignForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(request, room)
    try:
        services.room_assign(
            room=room,
            actor=request.user,
            assignee_id=form.cleaned_data["assigned_to"],
            request=request,
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The assignment has been saved."))
    return _back(request, room)


@require_POST
@section_required("chat")
def room_close(request, room_id):
    room = _visible(request, room_id)
    try:
        services.room_close(room=room, actor=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The conversation is closed."))
    return _back(request, room)


def _may_open(viewer, complaint) -> bool:
    """Staff may open the conversation about a complaint with its citizen when they manage the
    complaint and could answer in its ward (the chat policy, asked of the room it would be)."""
    would_be = ChatRoom(citizen=complaint.user, ward_number=complaint.ward_number)
    return can_manage_complaint(viewer, complaint) and can_answer(viewer, would_be)


def complaint_conversations(viewer, complaint) -> dict:
    """For the complaint page: the viewer's visible rooms about the complaint, and whether they
    may start one (no open one yet)."""
    rooms = list(selectors.room_list(viewer=viewer).filter(complaint=complaint))
    may_start = all(room.is_closed for room in rooms) and _may_open(viewer, complaint)
    return {"chat_rooms": rooms, "may_start_chat": may_start, "complaint": complaint}


@require_POST
@section_required("chat")
def complaint_chat_start(request, complaint_id):
    """Open the conversation about a complaint with its citizen (or find the open one), as the
    citizen's own POST /chat/rooms/ would (``room_open``); the staff member then writes in it."""
    try:
        complaint = complaint_selectors.complaint_get(
            viewer=request.user, complaint_id=complaint_id
        )
    except NotFound as exc:
        raise Http404 from exc
    if not _may_open(request.user, complaint):
        messages.error(request, _("You cannot start a conversation about this complaint."))
        return redirect("console:complaint", complaint_id=complaint.pk)
    room, _created = services.room_open(
        citizen=complaint.user, complaint_id=complaint.pk, subject=complaint.title
    )
    return redirect("console:chat-room", room_id=room.pk)
