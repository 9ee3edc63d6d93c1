"""The gallery screen: a grid of every photo's thumbnail (the API's list and filters), adding,
editing and removing through the gallery services, whose refusals show on the form."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.gallery import selectors, services
from apps.gallery.policy import RESOURCE, covers, may_act, may_upload, wards_for
from apps.users.selectors import ward_list, ward_list_permitted
from core.exceptions import ApplicationError

from ..gallery_forms import GalleryImageForm, gallery_initial
from .access import refused, section_required
from .common import attempt, found_or_404, paged, show_refusal

PAGE_SIZE = 24
NOT_YOURS = gettext_lazy(
    "You may not change this photo: it is city-wide or of a ward you do not manage."
)


def _bengali() -> bool:
    return (get_language() or "").startswith("bn")


def _category_choices() -> list[tuple[str, str]]:
    bengali = _bengali()
    return [
        (category.slug, category.name_bn if bengali else category.name_en)
        for category in selectors.categories_for_choice()
    ]


def _labelled(wards) -> list[tuple[str, str]]:
    bengali = _bengali()
    return [
        (ward.number, f"{ward.number} · {ward.name_bn if bengali else ward.name_en}")
        for ward in wards
    ]


def _ward_choices(viewer, action: str) -> tuple[list[tuple[str, str]], bool]:
    """The wards ``viewer`` may ``action`` photos for, and whether the whole city too (the
    gallery policy's rule, read not repeated)."""
    wards = ward_list_permitted(viewer=viewer, resource=RESOURCE, action=action)
    return _labelled(wards), may_act(viewer, None, action=action)


def _form(request, *, action: str, editing: bool, initial=None) -> GalleryImageForm:
    wards, city_wide = _ward_choices(request.user, action)
    return GalleryImageForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        categories=_category_choices(),
        wards=wards,
        city_wide=city_wide,
        editing=editing,
    )


@require_safe
@section_required("gallery")
def gallery_list(request):
    filters = selectors.GalleryFilter(request.GET, queryset=selectors.image_list())
    try:
        images = filters.qs
    except ApplicationError as exc:  # a hand-edited address naming no category or ward
        messages.error(request, str(exc.message))
        images = selectors.image_list()
    listing = paged(request, images, size=PAGE_SIZE)
    bengali = _bengali()
    changes = wards_for(request.user, action="update")
    removes = wards_for(request.user, action="delete")
    for image in listing["page"]:
        image.category_label = image.category.name_bn if bengali else image.category.name_en
        image.may_change = covers(changes, image.ward_number)
        image.may_remove = covers(removes, image.ward_number)
    return render(
        request,
        "console/gallery.html",
        {
            **listing,
            "chosen": request.GET,
            "categories": _category_choices(),
            "wards": _labelled(ward_list()),  # the gallery is public: every ward's photos
            "may_add": may_upload(request.user),
        },
    )


@section_required("gallery")
def gallery_new(request):
    form = _form(request, action="create", editing=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.image_create(
                actor=request.user, data=form.service_data(editing=False), request=request
            )
        except ApplicationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("The photo has been added to the gallery."))
            return redirect("console:gallery")
    return render(request, "console/gallery_form.html", {"form": form, "image": None})


@section_required("gallery")
def gallery_edit(request, image_id):
    image = found_or_404(selectors.image_get, image_id=image_id)
    if not may_act(request.user, image.ward_number, action="update"):
        return refused(request, NOT_YOURS)
    form = _form(request, action="update", editing=True, initial=gallery_initial(image))
    if request.method == "POST" and form.is_valid():
        try:
            services.image_update(
                image=image,
                actor=request.user,
                data=form.service_data(editing=True),
                request=request,
            )
        except ApplicationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("The photo has been saved."))
            return redirect("console:gallery")
    return render(request, "console/gallery_form.html", {"form": form, "image": image})


@require_POST
@section_required("gallery")
def gallery_remove(request, image_id):
    image = found_or_404(selectors.image_get, image_id=image_id)
    attempt(
        request,
        lambda: services.image_delete(image=image, actor=request.user, request=request),
        success=_("The photo has been removed."),
    )
    return redirect("console:gallery")
