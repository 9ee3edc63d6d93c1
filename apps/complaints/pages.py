"""What a viewer's kept complaint pages and answers (core/lists.py) carry, and what retires them.

A page is kept under the parts its viewer's scope is made of (policy.complaints_visible_to):

- super admin: ``complaints:any``, which every write touches;
- ward admin: ``complaints:ward:<n>`` of each ward they may read, and
  ``complaints:assignee:<their id>`` for work outside those wards handed to them;
- service provider: ``complaints:assignee:<their id>``;
- citizen: ``complaints:owner:<their id>``.

Each part a page carries has a token of its own, so a page kept under one set of parts is never
trusted for another: the scope read to name the parts and the one the page was rendered in may
differ only when the account changed between the two reads, which retires the page anyway.

A write of a complaint touches ``any`` and the owner, ward and assignee it has in the database
before the write (read by primary key, exact under the services' row lock, whatever copy the
writer holds) and as it is written: a page it leaves goes as well as one it joins. A photo's
write, or a status move's, touches its complaint's parts. An account's deletion touches every
kept answer: what it was assigned loses its assignee in an UPDATE that sends no signal.

These are signals, not calls in the services, so that every path that writes a row through the
ORM retires the pages (the admin, a shell, a cascade); a queryset ``update()`` or a bulk insert
sends none and must touch for itself (``list_touch``, or ``lists_touch_everything`` as
seed_city does).
"""

from __future__ import annotations

from uuid import UUID

from apps.users.models import User, UserType
from apps.users.policy import permitted_wards
from core.lists import list_touch, lists_touch_everything
from core.rls import as_system

from .models import Complaint, ComplaintImage, ComplaintUpdate
from .policy import RESOURCE

LIST = "complaints"
ANY = f"{LIST}:any"
# What a complaint's row says of where it is listed: owner, ward, assignee.
PLACE_FIELDS = ("user_id", "ward_number", "assigned_to_id")


def page_names(viewer: User) -> list[str]:
    """The parts of the complaints ``viewer``'s pages show (kept under their generations)."""
    if viewer.user_type == UserType.SUPER_ADMIN:
        return [ANY]
    if viewer.user_type == UserType.ADMIN:
        wards = permitted_wards(viewer, resource=RESOURCE, action="read")
        return [*(_ward(ward) for ward in wards), _assignee(viewer.pk)]
    if viewer.user_type == UserType.SERVICE_PROVIDER:
        return [_assignee(viewer.pk)]
    return [_owner(viewer.pk)]


def complaint_writing(sender, instance: Complaint, **kwargs) -> None:
    """pre_save and pre_delete of Complaint (connected in apps.py): the parts the row is in now
    and those the write puts it in, touched once the row is written (complaint_written)."""
    stored = None if instance._state.adding else _stored_place(instance.pk)
    written = tuple(
        instance.__dict__.get(name, stored[index] if stored else None)
        for index, name in enumerate(PLACE_FIELDS)
    )
    instance._list_parts = {*_names(*written), *(_names(*stored) if stored else ())}


def complaint_written(sender, instance: Complaint, **kwargs) -> None:
    """post_save and post_delete of Complaint: after the write, so that outside a transaction
    (a shell's save, where on_commit runs at once) no reader takes the new token to the old
    row."""
    list_touch(instance.__dict__.pop("_list_parts", ()))


def part_written(sender, instance: ComplaintImage | ComplaintUpdate, **kwargs) -> None:
    """post_save and post_delete of a complaint's photo or status move: the pages that show its
    complaint (a move shows on the complaint's own answer). The complaint's place is read from
    the database, not from a copy that may predate a move."""
    stored = _stored_place(instance.complaint_id)
    if stored is not None:  # else deleted with its complaint, which touched its own pages
        list_touch(_names(*stored))


def account_deleted(sender, instance: User, **kwargs) -> None:
    """post_delete of the user model: its assignments (complaints, emergencies) were cleared by
    an UPDATE that sends no signal."""
    lists_touch_everything()


def _stored_place(complaint_id: UUID) -> tuple | None:
    with as_system():  # the writer's own scope may not cover where the row is
        return Complaint.objects.filter(pk=complaint_id).values_list(*PLACE_FIELDS).first()


def _names(owner, ward, assignee) -> set[str]:
    """The parts a complaint of ``owner`` in ``ward`` assigned to ``assignee`` is listed in."""
    names = {ANY, _owner(owner), _ward(ward)}
    if assignee is not None:
        names.add(_assignee(assignee))
    return names


def _ward(ward: str | None) -> str:
    return f"{LIST}:ward:{ward}"


def _assignee(user_id: UUID) -> str:
    return f"{LIST}:assignee:{user_id}"


def _owner(user_id: UUID) -> str:
    return f"{LIST}:owner:{user_id}"
