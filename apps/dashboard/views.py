"""HTTP endpoints of /dashboard/: each asks the selectors for one cached figure and renders it."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.idempotency import idempotent
from core.openapi_errors import errors
from core.permissions import IsWardAdminOrSuperAdmin

from . import examples, selectors
from .models import ReportFormat
from .reports import selectors as report_selectors
from .reports import services as report_services
from .reports.services import CONTENT_TYPES
from .serializers import (
    CategoryShareSerializer,
    ComplaintStatsSerializer,
    FinancialSerializer,
    HomeStatsSerializer,
    KpiSerializer,
    RecentComplaintsSerializer,
    ReportAcceptedSerializer,
    ReportRequestSerializer,
    ReportSerializer,
    SatisfactionSerializer,
    ServiceTimeSerializer,
    StsStationSerializer,
    UserStatsSerializer,
    WardPerformanceSerializer,
)

TAG = ["dashboard"]

SCOPE = (
    "Super admins see the whole city. Ward admins see the same figures over the wards their "
    "`complaints` permission rows let them read (no such rows: every figure is zero or empty); "
    "complaints without a ward count only for super admins. Answers are cached for "
    "DASHBOARD_CACHE_SECONDS (5 minutes) and retired by every write that changes a figure, so a "
    "new complaint or payment shows at once; only time-driven figures (the last hour, this "
    "month) may lag by up to the cache time. Non-integer figures are two-place decimal strings, "
    "rounded half up."
)
COMPLAINT_STATS = (
    "`total`: complaints in scope. `by_status`: every status in workflow order "
    "(submitted, in_progress, resolved, cancelled) with its count, zeros included."
)
CATEGORIES = (
    "Every category with its count and `percentage` of all complaints in scope. Percentages are "
    "exact shares rounded to hundredths by the largest-remainder method, so they sum to exactly "
    "100.00 (ties in remainder go to the earlier category); with no complaints every count and "
    "percentage is 0. Sorted by count, largest first, then category order."
)
SATISFACTION = (
    "Over the rated complaints in scope (rating 1-5, given by the citizen once resolved): "
    "`average_rating` = mean rating (null when none), `rated_count`, and `distribution` = how "
    "many got each rating 1-5."
)
SERVICE_TIME = (
    "Over complaints now resolved (status resolved; a reopened complaint is not counted until "
    "resolved again): hours from filing (`created_at`) to resolution (`resolved_at`). "
    "`mean_hours`, `median_hours` (the middle value, or the mean of the two middle values; "
    "PostgreSQL's percentile_cont) and `resolved_count`; both null when nothing is resolved."
)
WARD_PERFORMANCE = (
    "One row per ward that has complaints in scope: `total`, `resolved` (status resolved now), "
    "`resolution_rate` = resolved / total × 100, `avg_service_hours` = mean hours from filing to "
    "resolution of its resolved complaints (null when none). Ranked by resolution rate "
    "(highest first), then mean service time (shortest first, none last), then ward number."
)
RECENT = (
    "Complaints filed in the last hour (`created_at` ≥ `since`): `count` of all of them and "
    "the latest 20, newest first, with tracking number, category, priority, status, ward and "
    "filing time only (nothing about the citizen)."
)
USER_STATS = (
    "Accounts in scope (super admin: every account; ward admin: the citizens registered in "
    "their wards, so the other types count 0): `total`, `by_user_type` (every type), seed 002's "
    "`total_users` (citizens), `total_admins`, `total_super_admins`, plus "
    "`total_service_providers`, `verified_users`, `active_users` and `new_this_month` "
    "(created since the 1st of this month, Dhaka time)."
)
FINANCIAL = (
    "Payments scoped by the payer's ward through the `payments` permission (ward admins without "
    "such rows see zeros). `total_revenue`: money kept = Σ(amount − refunded_amount) of "
    "completed payments (a fully refunded payment has status refunded and adds nothing); "
    "`monthly_revenue`: the same for payments completed since the 1st of this month, Dhaka time; "
    "`revenue_by_method` (every method) and `revenue_by_service_type` (donations appear as "
    "service type `donation`), each with amount and count of completed payments; "
    "`pending_amount`: Σ amount of payments pending or processing; `refunded_amount`: Σ refunded "
    "of all payments; `donations_by_project`: completed donations per project, net of their "
    "payments' refunds, and `donations_total`. BDT, two-place strings."
)
STS = (
    "Every transfer station (STS) in service in the viewer's scope, by ward and name, with its "
    "capacity, current load (the newest reading), `utilization_percent`, the warning level it "
    "stands at, and `trend`: the last 7 days in Asia/Dhaka, oldest first, each the day's last "
    "reading (null on a day without one). Scoped by `waste` rights, not `complaints`: ward "
    "admins see the stations of the wards their `waste` rows let them read."
)
KPI = (
    "Seed 002 §7.1's KPI answer: `complaint_stats` (as complaints-stats/), `user_stats` (as "
    "user-stats/), `citizen_satisfaction` (= satisfaction/'s average_rating), "
    "`avg_service_time_hours` (= service-time/'s mean_hours), `ward_performance` (the first 10 "
    "of ward-performance/); plus `satisfaction`, `service_time` and `categories` in full."
)
STATS = (
    "City-wide counts for the app's home screen, for any signed-in user: all complaints, "
    "pending (submitted, not yet taken up), in progress, resolved and cancelled, and active "
    "citizen accounts. Nothing personal, nothing scoped. Cached like the rest of the dashboard."
)


def _schema(summary: str, description: str, response, *, staff: bool = True):
    return extend_schema(
        tags=TAG,
        summary=summary,
        description=f"{description}\n\n{SCOPE}" if staff else description,
        responses={200: response, **(errors(401, 403) if staff else errors(401))},
    )


class _FigureView(APIView):
    """Renders one figure of ``selectors.FIGURES`` for the signed-in staff member."""

    permission_classes = [IsWardAdminOrSuperAdmin]
    figure: str
    serializer_class: type
    many = False

    def get(self, request):
        return Response(
            selectors.dashboard_figure_rendered(
                viewer=request.user, figure=self.figure, render=self.render
            )
        )

    @classmethod
    def render(cls, figure):
        return cls.serializer_class(figure, many=cls.many).data


@_schema("Key performance indicators", KPI, KpiSerializer)
class KpiView(_FigureView):
    figure, serializer_class = "kpi", KpiSerializer


@_schema("Complaints by status", COMPLAINT_STATS, ComplaintStatsSerializer)
class ComplaintStatsView(_FigureView):
    figure, serializer_class = "complaint_stats", ComplaintStatsSerializer


@_schema("Accounts by type", USER_STATS, UserStatsSerializer)
class UserStatsView(_FigureView):
    figure, serializer_class = "user_stats", UserStatsSerializer


@_schema("Wards ranked", WARD_PERFORMANCE, WardPerformanceSerializer(many=True))
class WardPerformanceView(_FigureView):
    figure, serializer_class, many = "ward_performance", WardPerformanceSerializer, True


@_schema("Citizen satisfaction", SATISFACTION, SatisfactionSerializer)
class SatisfactionView(_FigureView):
    figure, serializer_class = "satisfaction", SatisfactionSerializer


@_schema("Service delivery time", SERVICE_TIME, ServiceTimeSerializer)
class ServiceTimeView(_FigureView):
    figure, serializer_class = "service_time", ServiceTimeSerializer


@_schema("Complaints of the last hour", RECENT, RecentComplaintsSerializer)
class RecentComplaintsView(_FigureView):
    figure, serializer_class = "recent_complaints", RecentComplaintsSerializer


@_schema("Complaint categories and their shares", CATEGORIES, CategoryShareSerializer(many=True))
class CategoriesView(_FigureView):
    figure, serializer_class, many = "categories", CategoryShareSerializer, True


@_schema("Money: revenue, open payments, refunds, donations", FINANCIAL, FinancialSerializer)
class FinancialView(_FigureView):
    figure, serializer_class = "financial", FinancialSerializer


@_schema("Transfer stations: fill level and 7-day trend", STS, StsStationSerializer(many=True))
class StsOverviewView(_FigureView):
    figure, serializer_class, many = "sts_overview", StsStationSerializer, True


@_schema("Home-screen summary (city-wide)", STATS, HomeStatsSerializer, staff=False)
class HomeStatsView(_FigureView):
    permission_classes = [IsAuthenticated]
    figure, serializer_class = "stats", HomeStatsSerializer


# ---------------------------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------------------------
REPORTS = (
    "Reports of one period, rendered in the background (Celery) as PDF (Bengali and English, "
    "tables and charts) or XLSX (a Summary sheet, then one sheet per section, numbers as "
    "numbers). Periods are Dhaka dates, both ends included, and contain `start` (default: "
    "today): daily = that day, weekly = Monday to Sunday, monthly = the calendar month, "
    "quarterly = the calendar quarter, yearly = the calendar year. In the period: complaints "
    "filed (by status, category, ward ranking top 15, satisfaction, service time), accounts "
    "created (by type), payments completed (revenue by method and service, refunds of those "
    "payments), payments started and still open, donations completed. The wards are the "
    "requester's at request time (complaints permission for complaints and accounts, payments "
    "permission for money; super admin: the whole city). Super admins and ward admins with a "
    "complaints permission may ask; a report is visible only to its requester and super admins "
    "(404 to anyone else). Rendering failures mark the report `failed` with `failure_reason`."
)


@extend_schema(
    tags=TAG,
    summary="Request a report",
    description=f"{REPORTS}\n\nHonours `Idempotency-Key`: a retry returns the first answer.",
    request=ReportRequestSerializer,
    responses={202: ReportAcceptedSerializer, **errors(400, 401, 403, 409)},
    examples=[examples.REPORT_REQUEST, examples.REPORT_ACCEPTED],
)
class ReportGenerateView(APIView):
    permission_classes = [IsWardAdminOrSuperAdmin]

    @idempotent(scope="dashboard.reports.generate")
    def post(self, request):
        serializer = ReportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = report_services.report_request(
            requester=request.user,
            report_type=data["report_type"],
            report_format=data["format"],
            start=data.get("start"),
            request=request,
        )
        return Response(
            ReportAcceptedSerializer({"report_id": report.pk, "status": report.status}).data,
            status=202,
        )


@extend_schema(
    tags=TAG,
    summary="A report's status",
    description=f"{REPORTS}\n\n`download_url` is set once the report is completed.",
    responses={200: ReportSerializer, **errors(401, 403, 404)},
)
class ReportDetailView(APIView):
    permission_classes = [IsWardAdminOrSuperAdmin]

    def get(self, request, report_id):
        report = report_selectors.report_get(viewer=request.user, report_id=report_id)
        return Response(ReportSerializer(report, context={"request": request}).data)


@extend_schema(
    tags=TAG,
    summary="Download a report's file",
    description="The PDF or XLSX file, as an attachment; 409 `report_not_ready` until the "
    "report is completed. Only for the requester and super admins (404 to anyone else); "
    "404 `report_not_found` too when the file is gone from storage (ask for the report again).",
    responses={
        (200, "application/pdf"): OpenApiTypes.BINARY,
        (200, CONTENT_TYPES[ReportFormat.EXCEL]): OpenApiTypes.BINARY,
        **errors(401, 403, 404, 409),
    },
)
class ReportDownloadView(APIView):
    permission_classes = [IsWardAdminOrSuperAdmin]

    def get(self, request, report_id):
        report, file = report_selectors.report_file_open(viewer=request.user, report_id=report_id)
        return FileResponse(
            file,
            as_attachment=True,
            filename=report_services.report_filename(report),
            content_type=CONTENT_TYPES[report.format],
        )
