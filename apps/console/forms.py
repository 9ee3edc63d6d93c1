"""Console forms: field names are the API's (phone, password, status, comment, assigned_to)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.complaints.enums import (
    CATEGORY_CODES,
    PRIORITY_CODES,
    STATUS_CODES,
    Category,
    Priority,
    Status,
)
from core.filters import SearchTextField
from core.phone import normalize_phone

STATUS_BY_CODE = {code: value for value, code in STATUS_CODES.items()}


def status_options() -> list[tuple[str, str]]:
    return [(code, Status(value).label) for value, code in STATUS_CODES.items()]


def category_options() -> list[tuple[str, str]]:
    return [(code, Category(value).label) for value, code in CATEGORY_CODES.items()]


def priority_options() -> list[tuple[str, str]]:
    return [(code, Priority(value).label) for value, code in PRIORITY_CODES.items()]


class SignInForm(forms.Form):
    phone = forms.CharField(label=_("Phone number"), max_length=32)
    password = forms.CharField(label=_("Password"), max_length=128, strip=False)

    def clean_phone(self) -> str:
        # A number we cannot read is still tried (and audited as a failed sign-in), so a typo
        # gets the same answer as a wrong password.
        raw = self.cleaned_data["phone"]
        try:
            return normalize_phone(raw)
        except ValidationError:
            return raw


class SignInCodeForm(forms.Form):
    # The API's name for an OTP (POST /auth/verify-otp/).
    otp_code = forms.CharField(label=_("Code from the SMS"), max_length=12)


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(label=_("Current password"), max_length=128, strip=False)
    new_password = forms.CharField(label=_("New password"), max_length=128, strip=False)


class StatusForm(forms.Form):
    # Every code is accepted here; which moves are allowed is the service's rule
    # (complaint_change_status), whose refusal is shown as a message.
    status = forms.ChoiceField(label=_("New status"), choices=status_options)
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False)
    # Decoded, size-checked and stripped of its metadata by the service, as over the API.
    photo = forms.FileField(label=_("Photo of the work"), required=False)

    def clean_status(self) -> str:
        return STATUS_BY_CODE[self.cleaned_data["status"]]


class AssignForm(forms.Form):
    # Empty takes the work back; whether the person may be given work is complaint_assign's rule.
    assigned_to = forms.UUIDField(label=_("Assign to"), required=False)


class QueueSearchForm(forms.Form):
    # The API's ?search= with its limits (no NUL, SEARCH_MAX_CHARS): a bad one is a message.
    search = SearchTextField(label=_("Search"))

    def text(self) -> str:
        """What to search for: blank when there is none or it was refused."""
        return self.cleaned_data["search"].strip() if self.is_valid() else ""
