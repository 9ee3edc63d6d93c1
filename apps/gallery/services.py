"""Writes of the gallery: staff add, edit and remove photos (audited); readers' views counted.

A photo is decoded and re-encoded before anything is written, and files written by a request
that then fails are removed, so a refused upload leaves neither a row nor a file. Files of a
removed or replaced photo go once the change is committed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from apps.users.models import ActivityAction, User
from apps.users.policy import Action
from apps.users.services import activity_record, ward_number_normalize
from core.exceptions import NotFound, PermissionDenied, ValidationFailed

from .models import GalleryCategory, GalleryImage
from .photos import PreparedPhoto, files_delete, photo_prepare, photo_store
from .policy import may_act

TEXT_FIELDS = ("title", "title_en", "description")
REQUIRED_TEXT = ("title",)
_REFUSALS = {
    "create": _("You can only add photos for wards you manage."),
    "update": _("You can only change photos of wards you manage."),
    "delete": _("You can only remove photos of wards you manage."),
}
CITY_WIDE_REFUSAL = _("Only a super admin can manage photos for the whole city.")
UNKNOWN_CATEGORY = _("There is no gallery category “%(slug)s”.")
IMAGE_REQUIRED = _("Choose a photo to upload.")


def _invalid(field: str, message) -> ValidationFailed:
    return ValidationFailed(message, details={field: [message]})


def _authorize(actor: User, ward: str | None, *, action: Action) -> None:
    if may_act(actor, ward, action=action):
        return
    message = _REFUSALS[action] if ward is not None else CITY_WIDE_REFUSAL
    raise PermissionDenied(message, details={"ward_number": [message]})


def category_by_slug(slug) -> GalleryCategory:
    """An active category named by its slug, or 400."""
    slug = str(slug or "").strip()
    category = GalleryCategory.objects.filter(slug=slug, is_active=True).first()
    if category is None:
        raise _invalid("category", UNKNOWN_CATEGORY % {"slug": slug[:50]})
    return category


def _fields_clean(*, data: dict, image: GalleryImage | None) -> dict:
    """The fields a create (``image`` None) or an edit would write; 400 for bad values."""
    fields: dict = {}
    for name in TEXT_FIELDS:
        if name in data or image is None:
            value = (data.get(name) or "").strip()
            if name in REQUIRED_TEXT and not value:
                raise _invalid(name, _("This field may not be blank."))
            fields[name] = value
    if "category" in data or image is None:
        fields["category"] = category_by_slug(data.get("category"))
    if "ward_number" in data or image is None:
        fields["ward_number"] = ward_number_normalize(data.get("ward_number"))
    return fields


def _photo_of(data: dict, *, required: bool) -> PreparedPhoto | None:
    upload = data.get("image")
    if upload is None:
        if required:
            raise _invalid("image", IMAGE_REQUIRED)
        return None
    return photo_prepare(upload)


def image_input_check(*, actor: User, data: dict, image: GalleryImage | None = None) -> None:
    """Raise what adding (or editing ``image`` with) ``data`` would raise; write nothing.
    Django admin and the console ask this first, so a refusal shows on their forms."""
    fields = _fields_clean(data=data, image=image)
    if image is None:
        _authorize(actor, fields["ward_number"], action="create")
    else:
        _authorize(actor, image.ward_number, action="update")
        if "ward_number" in fields:
            _authorize(actor, fields["ward_number"], action="update")
    _photo_of(data, required=image is None)


def image_create(*, actor: User, data: dict, request=None) -> GalleryImage:
    """Add a photo: fields checked, rights checked, photo re-encoded, then files and row."""
    fields = _fields_clean(data=data, image=None)
    _authorize(actor, fields["ward_number"], action="create")
    photo = _photo_of(data, required=True)
    saved: list[str] = []
    try:
        with transaction.atomic():
            image = GalleryImage(uploaded_by=actor, **fields)
            photo_store(image, photo, saved)
            image.save()
            activity_record(
                action=ActivityAction.GALLERY_IMAGE_CREATED,
                actor=actor,
                request=request,
                resource=image,
                details={"category": image.category.slug, "ward_number": image.ward_number},
            )
    except BaseException:
        files_delete(saved)
        raise
    return image


def image_update(*, image: GalleryImage, actor: User, data: dict, request=None) -> GalleryImage:
    """Change a photo's text, category, ward (within the actor's wards) or the photo itself."""
    photo = _photo_of(data, required=False)
    saved: list[str] = []
    try:
        with transaction.atomic():
            return _image_change(image, actor, data, photo, saved, request)
    except BaseException:
        files_delete(saved)
        raise


def _image_change(image, actor, data, photo, saved, request) -> GalleryImage:
    image = GalleryImage.objects.select_for_update().get(pk=image.pk)
    _authorize(actor, image.ward_number, action="update")
    fields = _fields_clean(data=data, image=image)
    if "ward_number" in fields and fields["ward_number"] != image.ward_number:
        _authorize(actor, fields["ward_number"], action="update")
    changed = [name for name, value in fields.items() if getattr(image, name) != value]
    for name in changed:
        setattr(image, name, fields[name])
    if photo is not None:
        old_files = [image.image.name, image.thumbnail.name]
        transaction.on_commit(lambda: files_delete(old_files), robust=True)
        photo_store(image, photo, saved)
        changed.append("image")
    if not changed:
        return image
    image.save()
    activity_record(
        action=ActivityAction.GALLERY_IMAGE_UPDATED,
        actor=actor,
        request=request,
        resource=image,
        details={"fields": changed},
    )
    return image


@transaction.atomic
def image_delete(*, image: GalleryImage, actor: User, request=None) -> None:
    """Remove a photo; its files go once the removal is committed."""
    image = GalleryImage.objects.select_for_update().get(pk=image.pk)
    _authorize(actor, image.ward_number, action="delete")
    activity_record(
        action=ActivityAction.GALLERY_IMAGE_DELETED,
        actor=actor,
        request=request,
        resource=image,
        details={"category": image.category.slug, "ward_number": image.ward_number},
    )
    old_files = [image.image.name, image.thumbnail.name]
    image.delete()
    transaction.on_commit(lambda: files_delete(old_files), robust=True)


def image_view_record(*, image_id) -> int:
    """Count one view in the database (``F() + 1``: concurrent views are all counted) and
    return the new count. The row stays locked by the update until the read, so each reader is
    answered the count their own view made."""
    with transaction.atomic():
        try:
            updated = GalleryImage.objects.filter(pk=image_id).update(
                view_count=F("view_count") + 1
            )
        except (ValueError, TypeError, ValidationError) as exc:
            raise NotFound() from exc
        if not updated:
            raise NotFound()
        return GalleryImage.objects.values_list("view_count", flat=True).get(pk=image_id)
