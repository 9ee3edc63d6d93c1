"""Forms of the notices editor and the reports screen: field names and codes are the API's
(title, content, category, priority, is_urgent, target_wards, published_at, expires_at,
attachment; report_type, format, start). Which values are allowed is the services' rule."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.dashboard.models import ReportFormat, ReportType
from apps.dashboard.serializers import ReportRequestSerializer
from apps.notices.enums import CATEGORY_MAX_CHARS, CONTENT_MAX_CHARS, TITLE_MAX_CHARS, Priority
from core.moments import year_problem

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows


class LocalMomentField(forms.DateTimeField):
    """A datetime-local input, read and shown in Dhaka time (TIME_ZONE): Django makes the
    value aware in the current time zone and shows stored moments in it."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_MINUTE)

    def __init__(self, **kwargs):
        super().__init__(input_formats=[LOCAL_MINUTE, "%Y-%m-%d %H:%M"], **kwargs)

    def clean(self, value):
        moment = super().clean(value)
        if moment is not None and (problem := year_problem(moment)):
            raise forms.ValidationError(problem)
        return moment


def to_minute(moment):
    """A stored moment as the form shows it (datetime-local has no seconds)."""
    return moment.replace(second=0, microsecond=0) if moment is not None else None


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_CHARS)
    content = forms.CharField(
        label=_("Text"), max_length=CONTENT_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 6})
    )
    category = forms.CharField(
        label=_("Category"),
        max_length=CATEGORY_MAX_CHARS,
        help_text=_("A short word readers can filter by, e.g. “health” or “roads”."),
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    is_urgent = forms.BooleanField(
        label=_("Urgent: send it to the phones of every citizen of its wards"), required=False
    )
    target_wards = forms.MultipleChoiceField(
        label=_("Wards"), required=False, widget=forms.CheckboxSelectMultiple
    )
    published_at = LocalMomentField(
        label=_("Publish at"), required=False, help_text=_("Empty: now. Dhaka time.")
    )
    expires_at = LocalMomentField(
        label=_("Expires at"), required=False, help_text=_("Empty: never. Dhaka time.")
    )
    attachment = forms.FileField(
        label=_("Attachment (a PDF or a photo)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/*"}),
    )
    # The API's ``attachment: null``; only offered while the notice has a file.
    remove_attachment = forms.BooleanField(label=_("Remove the attachment"), required=False)

    def __init__(self, *args, wards: list[tuple[str, str]], city_wide: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_wards"].choices = wards
        self.fields["target_wards"].help_text = (
            _("None ticked: the whole city.")
            if city_wide
            else _("Tick at least one of the wards you manage.")
        )
        self.fields["priority"].initial = Priority.NORMAL

    def service_data(self, *, editing: bool) -> dict:
        """What the notice services take: every field for a new notice, only the changed ones
        for an edit (so an unchanged past expiry is not sent back as a new one)."""
        data = dict(self.cleaned_data)
        data["target_wards"] = list(data["target_wards"])
        remove = data.pop("remove_attachment", False)
        if not data.get("attachment"):
            data.pop("attachment", None)
        if not editing:
            return data
        changed = {name: data[name] for name in self.changed_data if name in data}
        if remove and "attachment" not in changed:
            changed["attachment"] = None
        return changed


def notice_initial(notice, wards: list[str]) -> dict:
    return {
        "title": notice.title,
        "content": notice.content,
        "category": notice.category,
        "priority": notice.priority,
        "is_urgent": notice.is_urgent,
        "target_wards": wards,
        "published_at": to_minute(timezone.localtime(notice.published_at)),
        "expires_at": to_minute(notice.expires_at and timezone.localtime(notice.expires_at)),
    }


class ReportForm(forms.Form):
    """The report request: shown as choices, checked by the API's own ReportRequestSerializer
    (so the console and the API refuse the same input with the same words)."""

    report_type = forms.CharField(
        label=_("Period"), widget=forms.Select(choices=ReportType.choices)
    )
    format = forms.CharField(label=_("Format"), widget=forms.Select(choices=ReportFormat.choices))
    start = forms.CharField(
        label=_("A day in the period"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: today."),
    )

    def clean(self):
        checked = ReportRequestSerializer(data=self.data)
        if not checked.is_valid():
            for field, errors in checked.errors.items():
                for error in errors:
                    self.add_error(field if field in self.fields else None, str(error))
            return {}
        return checked.validated_data
