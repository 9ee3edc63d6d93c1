"""The parts of the city's complaints a kept page of the list shows, and the writes that retire
it (core/lists.py keeps the pages).

A page is kept under the parts its viewer's scope is made of (policy.complaints_visible_to):

- super admin: ``complaints:any``, which every write touches;
- ward admin: ``complaints:ward:<n>`` of each ward they may read, and
  ``complaints:assignee:<their id>`` for work outside those wards handed to them;
- service provider: ``complaints:assignee:<their id>``;
- citizen: ``complaints:owner:<their id>``.

A write of a complaint touches ``any``, its owner and the ward and assignee it had as loaded
(Complaint.from_db keeps them) and as written: a page it leaves goes as well as one it joins. A
photo's write touches its complaint's parts. A write that cannot say where the complaint was
(a row saved over without being loaded, an account deleted: its assignments are cleared by an
UPDATE that sends no signal) touches every page.
"""

from __future__ import annotations

from apps.users.models import User, UserType
from apps.users.policy import permitted_wards
from core.lists import list_bulk, list_touch
from core.rls import as_system

from .models import UNLOADED, Complaint
from .policy import RESOURCE

LIST = "complaints"
ANY = f"{LIST}:any"


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


def complaint_written(sender, instance: Complaint, created: bool = False, **kwargs) -> None:
    """post_save and post_delete of Complaint (connected in apps.py)."""
    now = (
        instance.__dict__.get("ward_number", UNLOADED),
        instance.__dict__.get("assigned_to_id", UNLOADED),
    )
    before = now if created else instance.__dict__.get("_listed")
    names = {ANY, _owner(instance.user_id)}
    for place in (before, now):
        if place is None or UNLOADED in place:  # where it was (or is) listed is not known
            names.add(list_bulk(LIST))
        else:
            names.update(_place(*place))
    list_touch(names)
    instance._listed = now


def photo_written(sender, instance, **kwargs) -> None:
    """post_save and post_delete of ComplaintImage: its complaint's pages show it."""
    complaint = instance._state.fields_cache.get("complaint")
    if complaint is None:
        with as_system():
            complaint = Complaint.objects.filter(pk=instance.complaint_id).first()
    if complaint is None:  # deleted with its complaint, whose own delete touched its pages
        return
    list_touch(
        {ANY, _owner(complaint.user_id), *_place(complaint.ward_number, complaint.assigned_to_id)}
    )


def account_deleted(sender, instance, **kwargs) -> None:
    """post_delete of the user model: the complaints it was assigned lose their assignee in an
    UPDATE that sends no signal, so every page is retired."""
    list_touch([list_bulk(LIST)])


def _place(ward, assignee) -> list[str]:
    """The parts a complaint in ``ward`` assigned to ``assignee`` is listed under."""
    return [_ward(ward)] if assignee is None else [_ward(ward), _assignee(assignee)]


def _ward(ward) -> str:
    return f"{LIST}:ward:{ward}"


def _assignee(user_id) -> str:
    return f"{LIST}:assignee:{user_id}"


def _owner(user_id) -> str:
    return f"{LIST}:owner:{user_id}"
