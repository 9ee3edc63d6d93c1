"""`/ws/staff/`: the live feed of a staff member's wards (new complaints, chats waiting, …).

At connect the socket joins the groups its permissions name: every ward some AdminPermission row
covers (``staff_ward_<n>``), or ``staff_all`` for a super admin. Each event names its resource
(``complaints``, ``chat``, ``emergency``), and is passed on only where the staff member may read
that resource in that ward, so a complaints-only admin never sees a citizen's chat.
"""

from __future__ import annotations

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from apps.users.models import UserType
from apps.users.policy import ALL_WARDS, PERMISSION_TYPES, permitted_wards
from core.websocket import (
    CLOSE_UNAUTHENTICATED,
    STAFF_ALL_GROUP,
    bearer_subprotocol,
    staff_ward_group,
)

CLOSE_NOT_STAFF = 4403
STAFF_TYPES = (UserType.ADMIN, UserType.SERVICE_PROVIDER, UserType.SUPER_ADMIN)


def _rights(user) -> dict:
    """{resource: ALL_WARDS or set of wards} the user may read, taken once per connection."""
    return {
        resource: permitted_wards(user, resource=resource, action="read")
        for resource in PERMISSION_TYPES
    }


class StaffFeedConsumer(AsyncJsonWebsocketConsumer):
    groups_joined: list[str] = []

    async def connect(self):
        user = self.scope.get("user")
        # Accepted before any refusal so the client reads the close code (not a bare 403).
        await self.accept(subprotocol=bearer_subprotocol(self.scope))
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if user.user_type not in STAFF_TYPES:
            await self.close(code=CLOSE_NOT_STAFF)
            return
        self.rights = await database_sync_to_async(_rights)(user)
        if user.user_type == UserType.SUPER_ADMIN:
            self.groups_joined = [STAFF_ALL_GROUP]
        else:
            wards = set().union(*(w for w in self.rights.values() if w is not ALL_WARDS))
            self.groups_joined = [staff_ward_group(ward) for ward in sorted(wards)]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.send_json({"type": "subscribed", "groups": self.groups_joined})

    async def disconnect(self, code):
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    @classmethod
    async def decode_json(cls, text_data):
        try:
            return json.loads(text_data)
        except (TypeError, ValueError, RecursionError):
            return None  # a malformed frame is ignored, never a crash

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def staff_event(self, event):
        """Handler for ``{"type": "staff.event", "resource", "ward_number", "payload"}``."""
        wards = self.rights.get(event.get("resource"), set())
        if wards is ALL_WARDS or event.get("ward_number") in wards:
            await self.send_json(event["payload"])
