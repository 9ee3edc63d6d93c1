"""Django admin for payments: the fee catalogue, payments with their read-only log, refunds
decided through the service (the provider pays back, never a hand edit)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from apps.users.admin_audit import AuditedAdmin
from core.exceptions import ApplicationError

from . import services
from .models import PayableService, Payment, PaymentLog, Refund
from .selectors import PURPOSE_NAMES, payment_service_name


class ServiceFilter(admin.SimpleListFilter):
    """Filter payments by the service's name, not its code."""

    title = _("service")
    parameter_name = "service_type"

    def lookups(self, request, model_admin):
        names = [(s.code, str(payment_service_name(s.code))) for s in PayableService.objects.all()]
        return names + [(code, str(name)) for code, name in PURPOSE_NAMES.items()]

    def queryset(self, request, queryset):
        return queryset.filter(service_type=self.value()) if self.value() else queryset


@admin.register(PayableService)
class PayableServiceAdmin(AuditedAdmin):
    list_display = ("name_bn", "name_en", "code", "fixed_fee", "min_amount", "max_amount",
                    "is_active", "sort_order")  # fmt: skip
    list_editable = ("fixed_fee", "min_amount", "max_amount", "is_active", "sort_order")
    search_fields = ("code", "name_en", "name_bn")


class ReadOnly(AuditedAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PaymentLogInline(admin.TabularInline):
    model = PaymentLog
    extra = 0
    can_delete = False
    fields = ("created_at", "event", "from_status", "to_status", "detail")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    """Payments change only through the providers' answers (verify, callbacks, reconciler)."""

    list_display = ("transaction_id", "user", "service", "amount", "payment_method",
                    "status", "refunded_amount", "created_at")  # fmt: skip
    list_filter = ("status", "payment_method", "gateway", ServiceFilter)
    search_fields = ("transaction_id", "gateway_transaction_id", "gateway_trx_id", "user__phone")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    inlines = [PaymentLogInline]
    actions = ["ask_the_provider"]

    def has_change_permission(self, request, obj=None):
        return obj is None  # the list (for the action) but no edit form

    @admin.action(description=_("Ask the provider again (verify)"))
    @admin.display(description=_("service"), ordering="service_type")
    def service(self, payment):
        return str(payment_service_name(payment.service_type))

    def ask_the_provider(self, request, queryset):
        for payment in queryset:
            payment = services.payment_query(
                payment=payment, source="admin", actor=request.user, request=request
            )
            self.message_user(request, f"{payment.transaction_id}: {payment.get_status_display()}")


@admin.register(PaymentLog)
class PaymentLogAdmin(ReadOnly):
    list_display = ("created_at", "payment", "event", "from_status", "to_status")
    list_filter = ("event",)
    search_fields = ("payment__transaction_id",)


@admin.register(Refund)
class RefundAdmin(ReadOnly):
    list_display = ("payment", "amount", "status", "requested_by", "decided_by", "created_at")
    list_filter = ("status",)
    actions = ["approve"]

    def has_change_permission(self, request, obj=None):
        return obj is None

    @admin.action(description=_("Approve: refund through the provider"))
    def approve(self, request, queryset):
        for refund in queryset:
            try:
                refund = services.refund_execute(refund=refund, actor=request.user)
                self.message_user(request, f"{refund.payment.transaction_id}: {refund.status}")
            except ApplicationError as exc:
                self.message_user(request, str(exc.message), level=messages.WARNING)
