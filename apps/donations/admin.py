"""Django admin for donations: projects are managed here; donations only follow their payments."""

from django.contrib import admin
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from apps.users.admin_audit import AuditedAdmin

from .models import Donation, DonationProject, DonationStatus
from .receipts import receipt_pdf


@admin.register(DonationProject)
class DonationProjectAdmin(AuditedAdmin):
    list_display = ("slug", "name_en", "name_bn", "goal_amount", "raised", "is_active", "ends_on",
                    "sort_order")  # fmt: skip
    list_editable = ("is_active", "sort_order")
    list_filter = ("is_active",)
    search_fields = ("slug", "name_en", "name_bn")
    prepopulated_fields = {"slug": ("name_en",)}

    def get_queryset(self, request):
        completed = Q(donations__status=DonationStatus.COMPLETED)
        return (
            super()
            .get_queryset(request)
            .annotate(
                raised_total=Sum("donations__amount", filter=completed),
                donor_total=Count("donations__user", filter=completed, distinct=True),
            )
        )

    @admin.display(description=_("raised"), ordering="raised_total")
    def raised(self, project):
        return project.raised_total or 0

    def has_delete_permission(self, request, obj=None):
        # A project with gifts stays (donations point at it); close it with "open for donations".
        return obj is None or not obj.donations.exists()


@admin.register(Donation)
class DonationAdmin(AuditedAdmin):
    """Read-only: a donation moves only with its payment (see the payments admin)."""

    list_display = ("receipt_number", "user", "project", "amount", "payment_method", "status",
                    "created_at", "completed_at")  # fmt: skip
    list_filter = ("status", "payment_method", "project")
    search_fields = ("receipt_number", "transaction_id", "user__phone", "user__name")
    date_hierarchy = "created_at"
    list_select_related = ("user", "project")
    readonly_fields = [field.name for field in Donation._meta.fields]
    actions = ["download_receipt"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None  # the list (for the action) but no edit form

    @admin.action(description=_("Download the receipt (one completed donation)"))
    def download_receipt(self, request, queryset):
        donations = list(queryset.filter(status=DonationStatus.COMPLETED)[:2])
        if len(donations) != 1:
            self.message_user(request, _("Choose exactly one completed donation."), "warning")
            return None
        donation = donations[0]
        response = HttpResponse(receipt_pdf(donation), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{donation.receipt_number}.pdf"'
        return response
