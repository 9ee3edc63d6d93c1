"""Forms of the super admin's screens; field names are the API's (admin-users, refunds,
donation projects). They only parse: every rule is the service's."""

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.users.admin_services import PERMISSION_FLAGS
from apps.users.models import UserType
from apps.users.policy import PERMISSION_TYPES, STAFF_ACCOUNT_TYPES
from core.phone import normalize_phone


def staff_type_options() -> list[tuple[str, str]]:
    return [(value, UserType(value).label) for value in STAFF_ACCOUNT_TYPES]


def wards_split(text: str) -> list[str]:
    """ "5, 6 12" → ["5", "6", "12"]; whether each is a ward is the service's check."""
    return [part for part in re.split(r"[\s,]+", text or "") if part]


class StaffCreateForm(forms.Form):
    phone = forms.CharField(label=_("Phone number"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=100)
    password = forms.CharField(label=_("Password"), max_length=128, strip=False)
    user_type = forms.ChoiceField(label=_("Role"), choices=staff_type_options)
    email = forms.EmailField(label=_("Email"), max_length=255, required=False)
    ward_number = forms.CharField(label=_("Home ward"), max_length=10, required=False)
    ward_numbers = forms.CharField(
        label=_("Wards whose complaints they handle"), max_length=400, required=False
    )

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])  # its error names the form wanted

    def clean_ward_numbers(self) -> list[str]:
        return wards_split(self.cleaned_data["ward_numbers"])

    def clean_ward_number(self) -> str | None:
        return self.cleaned_data["ward_number"].strip() or None

    def clean_email(self) -> str | None:
        return self.cleaned_data["email"] or None


class StaffEditForm(forms.Form):
    """The fields the API's PUT admin-users/{id}/ replaces (empty email and ward are cleared)."""

    name = forms.CharField(label=_("Name"), max_length=100)
    email = forms.EmailField(label=_("Email"), max_length=255, required=False)
    ward_number = forms.CharField(label=_("Home ward"), max_length=10, required=False)
    user_type = forms.ChoiceField(label=_("Role"), choices=staff_type_options)

    def clean_ward_number(self) -> str | None:
        return self.cleaned_data["ward_number"].strip() or None

    def clean_email(self) -> str | None:
        return self.cleaned_data["email"] or None


class StaffActiveForm(forms.Form):
    is_active = forms.TypedChoiceField(
        choices=[("true", "true"), ("false", "false")], coerce=lambda value: value == "true"
    )


def permission_rows(post) -> list[dict]:
    """The permission matrix as the API's ``permissions`` list: one row per resource that has at
    least one right ticked. Inputs are named ``<permission_type>.<field>``."""
    rows = []
    for permission_type in PERMISSION_TYPES:
        flags = {flag: f"{permission_type}.{flag}" in post for flag in PERMISSION_FLAGS}
        if not any(flags.values()):
            continue
        rows.append(
            {
                "permission_type": permission_type,
                "resource_type": post.get(f"{permission_type}.resource_type") or None,
                "ward_numbers": wards_split(post.get(f"{permission_type}.ward_numbers", "")),
                **flags,
            }
        )
    return rows


class RefundRejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


MIN_TAKA = Decimal("0.01")  # amounts are above zero (the table's constraints)


class DonationProjectForm(forms.Form):
    slug = forms.SlugField(label=_("Code"), max_length=60)
    name_bn = forms.CharField(label=_("Name (Bengali)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    description_bn = forms.CharField(
        label=_("Description (Bengali)"), required=False, widget=forms.Textarea
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea
    )
    goal_amount = forms.DecimalField(
        label=_("Target (BDT)"), max_digits=12, decimal_places=2, required=False, min_value=MIN_TAKA
    )
    min_amount = forms.DecimalField(
        label=_("Smallest donation (BDT)"),
        max_digits=10,
        decimal_places=2,
        initial=10,
        min_value=MIN_TAKA,
    )
    ends_on = forms.DateField(label=_("Open until"), required=False)
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=0)
    is_active = forms.BooleanField(label=_("Open for donations"), required=False, initial=True)
