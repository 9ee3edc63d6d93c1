"""`/ws/staff/`: the live feed of a staff member's wards (new complaints, chats waiting, …).

At connect the socket joins the groups its permissions name: every ward some AdminPermission row
covers (``staff_ward_<n>``), or ``staff_all`` for a super admin. Each event names its resource
(``complaints``, ``chat``, ``emergency``), and is passed on only where the staff member may read
that resource in that ward, so a complaints-only admin never sees a citizen's chat. The session
and the rights are read again every SOCKET_RECHECK_SECONDS: a signed-out token or a deactivated
account ends the socket (4401), and changed rights change what it passes on.
"""

from __future__ import annotations

import asyncio
import random

from channels.db import database_sync_to_async
from django.conf import settings

from apps.users.models import UserType
from apps.users.policy import ALL_WARDS, PERMISSION_TYPES, permitted_wards
from core.websocket import (
    CLOSE_FORBIDDEN,
    CLOSE_UNAUTHENTICATED,
    STAFF_ALL_GROUP,
    JsonSocket,
    bearer_subprotocol,
    session_group,
    session_user,
    staff_ward_group,
)

STAFF_TYPES = (UserType.ADMIN, UserType.SERVICE_PROVIDER, UserType.SUPER_ADMIN)


def _rights(user, *, fresh: bool = False) -> dict:
    """{resource: ALL_WARDS or set of wards} the user may read (``fresh``: the permission rows
    as the database has them now, not as kept with the account)."""
    return {
        resource: permitted_wards(user, resource=resource, action="read", fresh=fresh)
        for resource in PERMISSION_TYPES
    }


def _groups(user, rights: dict) -> list[str]:
    if user.user_type == UserType.SUPER_ADMIN:
        return [STAFF_ALL_GROUP]
    wards = set().union(*(w for w in rights.values() if w is not ALL_WARDS))
    return [staff_ward_group(ward) for ward in sorted(wards)]


def _session_rights(token):
    """(user, rights) while the session stands, else (None, None): the periodic recheck, which
    reads the account and its rights from the database, whatever is cached."""
    user = session_user(token)
    if user is None:
        return None, None
    return user, _rights(user, fresh=True)


class StaffFeedConsumer(JsonSocket):
    groups_joined: list[str] = []
    rights: dict = {}
    watchdog = None

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.refuse(CLOSE_UNAUTHENTICATED)
            return
        if user.user_type not in STAFF_TYPES:
            await self.refuse(CLOSE_FORBIDDEN)
            return
        await self.accept(subprotocol=bearer_subprotocol(self.scope))
        self.rights = await database_sync_to_async(_rights)(user)
        await self._join([session_group(user.pk), *_groups(user, self.rights)])
        await self._announce()
        self.watchdog = asyncio.create_task(self._watch())

    async def disconnect(self, code):
        if self.watchdog is not None:
            self.watchdog.cancel()
        await self._join([])

    async def _join(self, groups: list[str]) -> bool:
        """Move the socket to exactly ``groups``; True if they changed."""
        for group in set(self.groups_joined) - set(groups):
            await self.channel_layer.group_discard(group, self.channel_name)
        for group in set(groups) - set(self.groups_joined):
            await self.channel_layer.group_add(group, self.channel_name)
        changed = groups != self.groups_joined
        self.groups_joined = groups
        return changed

    async def _announce(self) -> None:
        feed = [group for group in self.groups_joined if not group.startswith("session_")]
        await self.send_frame({"type": "subscribed", "groups": feed})

    async def _check(self) -> bool:
        """Take the rights as they are now; close with 4401 if the session is gone."""
        user, rights = await database_sync_to_async(_session_rights)(self.scope.get("access_token"))
        if user is None:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return False
        self.rights = rights
        if await self._join([session_group(user.pk), *_groups(user, rights)]):
            await self._announce()
        return True

    async def _watch(self) -> None:
        interval = settings.SOCKET_RECHECK_SECONDS
        # Spread the checks: sockets opened together must not all check at the same moment.
        spread = random.uniform(0.5, 1.0)  # noqa: S311 - spreading load, not a secret
        await asyncio.sleep(interval * spread)
        while await self._check():
            await asyncio.sleep(interval)

    async def session_recheck(self, event):
        """The user signed out, was switched off or had their rights changed: check now."""
        await self._check()

    async def staff_event(self, event):
        """Handler for ``{"type": "staff.event", "resource", "ward_number", "payload"}``."""
        wards = self.rights.get(event.get("resource"), set())
        if wards is ALL_WARDS or event.get("ward_number") in wards:
            await self.send_frame(event["payload"])
