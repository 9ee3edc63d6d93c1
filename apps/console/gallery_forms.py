"""The console's gallery form: the API's fields (image, title, title_en, description, category
slug, ward_number), with the categories and wards the viewer may choose offered as lists."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.gallery.enums import DESCRIPTION_MAX_CHARS, TITLE_MAX_CHARS

FIELDS = ("title", "title_en", "description", "category", "ward_number")


class GalleryImageForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG, WebP or HEIC, at most 5 MB. Stored without its metadata."),
        widget=forms.FileInput(attrs={"accept": "image/*"}),
    )
    title = forms.CharField(label=_("Title (Bengali)"), max_length=TITLE_MAX_CHARS)
    title_en = forms.CharField(
        label=_("Title (English)"), max_length=TITLE_MAX_CHARS, required=False
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    category = forms.ChoiceField(label=_("Category"))
    ward_number = forms.ChoiceField(label=_("Ward"), required=False)

    def __init__(
        self,
        *args,
        categories: list[tuple[str, str]],
        wards: list[tuple[str, str]],
        city_wide: bool,
        editing: bool,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = categories
        city = [("", _("Whole city"))] if city_wide else []
        self.fields["ward_number"].choices = [*city, *wards]
        self.fields["ward_number"].required = not city_wide
        if editing:
            self.fields["image"].required = False
            self.fields["image"].help_text = _("Leave empty to keep the photo.")

    def service_data(self, *, editing: bool) -> dict:
        """What the gallery services take: every field for a new photo, only the changed ones
        (and a new photo, if one was chosen) for an edit."""
        data = {name: self.cleaned_data[name] for name in FIELDS}
        data["ward_number"] = data["ward_number"] or None
        if editing:
            data = {name: value for name, value in data.items() if name in self.changed_data}
        if self.cleaned_data.get("image"):
            data["image"] = self.cleaned_data["image"]
        return data


def gallery_initial(image) -> dict:
    return {
        "title": image.title,
        "title_en": image.title_en,
        "description": image.description,
        "category": image.category.slug,
        "ward_number": image.ward_number or "",
    }
