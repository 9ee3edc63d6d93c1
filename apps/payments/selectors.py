"""Reads of payments data."""

from dataclasses import dataclass

import django_filters
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.users.models import User
from apps.users.policy import ALL_WARDS, permitted_wards
from core.exceptions import Conflict, ErrorCode, NotFound
from core.filters import BoundedIsoDateTimeFilter, SearchTextFilter

from .models import PayableService, Payment, PaymentMethod, PaymentStatus, Refund, RefundStatus
from .receipts import payment_receipt_pdf

RECEIPT_STATUSES = (PaymentStatus.COMPLETED, PaymentStatus.REFUNDED)


def payable_service_list() -> QuerySet[PayableService]:
    """The services open for payment, in display order."""
    return PayableService.objects.filter(is_active=True).order_by("sort_order", "code")


# Payments taken for another app's purpose (apps/payments/purposes.py) are named here.
PURPOSE_NAMES = {"donation": _("donation")}


@dataclass(frozen=True)
class ServiceName:
    """A service's name that reads in whatever language is active when it is turned into text
    (a notification is rendered in its recipient's language)."""

    bn: str
    en: str

    def __str__(self) -> str:
        return self.en if (get_language() or "bn").startswith("en") else self.bn


def payment_service_name(code: str) -> ServiceName | str:
    """What people call the service a payment was for: never its code."""
    return payment_service_names([code])[code]


def payment_service_names(codes) -> dict[str, ServiceName | str]:
    """payment_service_name for many codes in one query (a list page asks once, not per row)."""
    codes = set(codes)
    known = {
        service.code: ServiceName(bn=service.name_bn, en=service.name_en)
        for service in PayableService.objects.filter(code__in=codes - set(PURPOSE_NAMES)).only(
            "code", "name_bn", "name_en"
        )
    }
    return {
        code: PURPOSE_NAMES.get(code) or known.get(code) or code.replace("_", " ") for code in codes
    }


class PaymentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PaymentStatus.choices)
    payment_method = django_filters.ChoiceFilter(choices=PaymentMethod.choices)
    service_type = SearchTextFilter()
    created_after = BoundedIsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = BoundedIsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Payment
        fields = ["status", "payment_method", "service_type"]


def payments_visible_to(viewer: User) -> QuerySet[Payment]:
    """Own payments; a ward admin with a ``payments`` row also sees the payers of those wards;
    a super admin sees all."""
    payments = Payment.objects.select_related("user")
    wards = permitted_wards(viewer, resource="payments", action="read")
    if wards is ALL_WARDS:
        return payments
    if wards:
        return payments.filter(Q(user=viewer) | Q(user__ward_number__in=wards))
    return payments.filter(user=viewer)


def payment_list(*, viewer: User) -> QuerySet[Payment]:
    """The payment history: the visible payments, newest first, without their payers' rows
    (PaymentSerializer shows none of the payer; a ward admin's scope still joins the payer's
    ward)."""
    return payments_visible_to(viewer).select_related(None).order_by("-created_at")


def payment_get(*, viewer: User, payment_id) -> Payment:
    try:
        return payments_visible_to(viewer).get(pk=payment_id)
    except (Payment.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def payment_get_by_reference(*, viewer: User, payment_id=None, transaction_id=None) -> Payment:
    if payment_id:
        return payment_get(viewer=viewer, payment_id=payment_id)
    payment = payments_visible_to(viewer).filter(transaction_id=transaction_id or "").first()
    if payment is None:
        raise NotFound()
    return payment


def payment_outcome_for_result_page(*, reference: str) -> Payment | None:
    """The payment the result page names by our reference (``transaction_id``, unguessable):
    the page shows only what the database holds, never what the query string claims."""
    if not reference:
        return None
    return (
        Payment.objects.filter(transaction_id=reference)
        .only("transaction_id", "status", "service_type", "amount")
        .first()
    )


def payment_receipt(*, viewer: User, payment_id) -> tuple[Payment, bytes]:
    """The PDF receipt of a payment ``viewer`` may read; one exists once the payment completed
    (a refund later shows on it)."""
    payment = payment_get(viewer=viewer, payment_id=payment_id)
    if payment.status not in RECEIPT_STATUSES:
        raise Conflict(
            _("A receipt is issued once the payment is completed."),
            code=ErrorCode.RECEIPT_UNAVAILABLE,
        )
    name = payment_service_name(payment.service_type)
    if isinstance(name, ServiceName):
        bn, en = name.bn, name.en
    else:  # a purpose's label (donation) or a removed service's readable code
        with translation.override("bn"):
            bn = str(name)
        with translation.override("en"):
            en = str(name)
    return payment, payment_receipt_pdf(payment, service_bn=bn, service_en=en)


def refunds_visible_to(viewer: User) -> QuerySet[Refund]:
    """Refunds of the viewer's own payments; a super admin sees every one."""
    refunds = Refund.objects.select_related("payment")
    if viewer.user_type == "super_admin":
        return refunds
    return refunds.filter(payment__user=viewer)


def refund_list(*, viewer: User) -> QuerySet[Refund]:
    """The viewer's refunds, those still waiting for a decision first, then newest first."""
    waiting = Case(When(status=RefundStatus.REQUESTED, then=Value(0)), default=Value(1))
    return (
        refunds_visible_to(viewer)
        .select_related("payment__user", "requested_by", "decided_by")
        .order_by(waiting, "-created_at")
    )


def refund_get(*, viewer: User, refund_id) -> Refund:
    try:
        return refunds_visible_to(viewer).get(pk=refund_id)
    except (Refund.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
