"""Shapes of the dashboard's answers: they render the selectors' figures and document them."""

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.complaints.enums import Category, Priority, Status
from apps.payments.models import PaymentMethod
from apps.users.models import UserType

from .models import Report, ReportFormat, ReportStatus, ReportType


def _hundredths(**kwargs) -> serializers.DecimalField:
    """A two-place decimal, rendered as a string ("12.50") like money."""
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


class StatusCountSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, help_text="Stored (Bengali) value.")
    code = serializers.CharField(help_text="English code: submitted, in_progress, …")
    count = serializers.IntegerField()


class ComplaintStatsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_status = StatusCountSerializer(many=True, help_text="Every status, in workflow order.")


class CategoryShareSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    code = serializers.CharField(help_text="English code: cleanliness, waste, …")
    count = serializers.IntegerField()
    percentage = _hundredths(help_text="Share of all complaints; the shares sum to 100.00.")


class RatingCountSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    count = serializers.IntegerField()


class SatisfactionSerializer(serializers.Serializer):
    average_rating = _hundredths(allow_null=True, help_text="Null when nothing was rated.")
    rated_count = serializers.IntegerField()
    distribution = RatingCountSerializer(many=True, help_text="Ratings 1 to 5, zeros included.")


class ServiceTimeSerializer(serializers.Serializer):
    mean_hours = _hundredths(allow_null=True)
    median_hours = _hundredths(allow_null=True)
    resolved_count = serializers.IntegerField()


class WardPerformanceSerializer(serializers.Serializer):
    ward_number = serializers.CharField()
    total = serializers.IntegerField()
    resolved = serializers.IntegerField()
    resolution_rate = _hundredths(help_text="Resolved as a percentage of the ward's complaints.")
    avg_service_hours = _hundredths(allow_null=True, help_text="Null when none is resolved.")


class RecentComplaintSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    tracking_number = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    category_code = serializers.CharField()
    priority = serializers.ChoiceField(choices=Priority.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    status_code = serializers.CharField()
    ward_number = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()


class RecentComplaintsSerializer(serializers.Serializer):
    since = serializers.DateTimeField(help_text="One hour before the answer was computed.")
    count = serializers.IntegerField(help_text="All complaints filed since then.")
    complaints = RecentComplaintSerializer(many=True, help_text="The latest 20, newest first.")


class UserTypeCountSerializer(serializers.Serializer):
    user_type = serializers.ChoiceField(choices=UserType.choices)
    count = serializers.IntegerField()


class UserStatsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_user_type = UserTypeCountSerializer(many=True)
    total_users = serializers.IntegerField(help_text="Citizens (seed 002's name).")
    total_admins = serializers.IntegerField()
    total_super_admins = serializers.IntegerField()
    total_service_providers = serializers.IntegerField()
    verified_users = serializers.IntegerField()
    active_users = serializers.IntegerField()
    new_this_month = serializers.IntegerField(help_text="Created since the 1st, Dhaka time.")


class MethodRevenueSerializer(serializers.Serializer):
    payment_method = serializers.ChoiceField(choices=PaymentMethod.choices)
    amount = _hundredths()
    count = serializers.IntegerField()


class ServiceRevenueSerializer(serializers.Serializer):
    service_type = serializers.CharField()
    amount = _hundredths()
    count = serializers.IntegerField()


class ProjectDonationsSerializer(serializers.Serializer):
    project_id = serializers.UUIDField()
    project = serializers.CharField(help_text="The project's code (slug).")
    name_bn = serializers.CharField()
    name_en = serializers.CharField()
    amount = _hundredths(help_text="Completed donations net of their refunds.")
    count = serializers.IntegerField()


class FinancialSerializer(serializers.Serializer):
    currency = serializers.CharField()
    total_revenue = _hundredths()
    completed_count = serializers.IntegerField()
    monthly_revenue = _hundredths()
    monthly_count = serializers.IntegerField()
    revenue_by_method = MethodRevenueSerializer(many=True)
    revenue_by_service_type = ServiceRevenueSerializer(many=True)
    pending_amount = _hundredths()
    pending_count = serializers.IntegerField()
    refunded_amount = _hundredths()
    refunded_count = serializers.IntegerField()
    donations_total = _hundredths()
    donations_by_project = ProjectDonationsSerializer(many=True)


class EmergencyTypeCountSerializer(serializers.Serializer):
    emergency_type = serializers.CharField()
    code = serializers.CharField()
    count = serializers.IntegerField()


class EmergencyStatsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    open = serializers.IntegerField(help_text="Submitted or in progress.")
    unassigned_open = serializers.IntegerField(help_text="Open and nobody has taken them.")
    escalated = serializers.IntegerField(help_text="Super admins had to be told.")
    responded = serializers.IntegerField(help_text="A staff member has acted on them.")
    mean_response_minutes = _hundredths(allow_null=True)
    median_response_minutes = _hundredths(allow_null=True)
    by_type = EmergencyTypeCountSerializer(many=True)


class KpiSerializer(serializers.Serializer):
    complaint_stats = ComplaintStatsSerializer()
    user_stats = UserStatsSerializer()
    citizen_satisfaction = _hundredths(allow_null=True, help_text="Mean rating (1-5).")
    avg_service_time_hours = _hundredths(allow_null=True, help_text="Mean hours to resolve.")
    ward_performance = WardPerformanceSerializer(many=True, help_text="The 10 best wards.")
    satisfaction = SatisfactionSerializer()
    service_time = ServiceTimeSerializer()
    categories = CategoryShareSerializer(many=True)
    emergency_stats = EmergencyStatsSerializer(
        help_text="Emergencies in the wards the viewer holds emergency rights for."
    )


class StsDaySerializer(serializers.Serializer):
    date = serializers.DateField(help_text="A day in Asia/Dhaka.")
    load_tons = _hundredths(allow_null=True, help_text="The day's last reading; null: none.")
    utilization_percent = _hundredths(allow_null=True)


class StsStationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    ward_number = serializers.CharField()
    capacity_tons = _hundredths()
    current_load_tons = _hundredths(allow_null=True, help_text="The newest reading's load.")
    utilization_percent = _hundredths(
        allow_null=True, help_text="current_load_tons as a share of capacity_tons, in percent."
    )
    last_reading_at = serializers.DateTimeField(allow_null=True)
    alert_level = serializers.ChoiceField(
        choices=[0, 80, 100], help_text="0, or the warning level (80, 100) the load stands at."
    )
    trend = StsDaySerializer(many=True, help_text="The last 7 days, oldest first, today last.")


class HomeStatsSerializer(serializers.Serializer):
    total_complaints = serializers.IntegerField()
    pending_complaints = serializers.IntegerField(help_text="Submitted, not yet taken up.")
    in_progress_complaints = serializers.IntegerField()
    resolved_complaints = serializers.IntegerField()
    cancelled_complaints = serializers.IntegerField()
    total_citizens = serializers.IntegerField(help_text="Active citizen accounts.")


# ---------------------------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------------------------
REPORTS_FROM = date(2000, 1, 1)  # the city kept no records in this system before


class ReportRequestSerializer(serializers.Serializer):
    report_type = serializers.ChoiceField(choices=ReportType.choices)
    format = serializers.ChoiceField(choices=ReportFormat.choices)
    start = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Any day of the wanted period (YYYY-MM-DD, Dhaka, from 2000-01-01 to today); "
        "default: today.",
    )

    def validate_start(self, value):
        if value is not None and not REPORTS_FROM <= value <= timezone.localdate():
            raise serializers.ValidationError(
                _("Choose a day between %(first)s and today.") % {"first": REPORTS_FROM}
            )
        return value


class ReportAcceptedSerializer(serializers.Serializer):
    report_id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=ReportStatus.choices)


class ReportSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(
        help_text="Where to GET the file, once completed (null before)."
    )

    class Meta:
        model = Report
        fields = [
            "id", "report_type", "format", "period_start", "period_end", "status",
            "failure_reason", "created_at", "completed_at", "download_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_download_url(self, report: Report) -> str | None:
        if report.status != ReportStatus.COMPLETED:
            return None
        request = self.context["request"]
        # The prefix the client used (/api/v1/ or the mobile client's /api/).
        namespace = getattr(request.resolver_match, "namespace", "") or "v1"
        return request.build_absolute_uri(
            reverse(f"{namespace}:dashboard-report-download", kwargs={"report_id": report.pk})
        )
