"""Refunds (super admin): requests waiting for a decision first; approve (the provider pays back
inside ``refund_execute``) or reject with a reason, as the API's refunds/{id}/approve|reject/."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.payments import selectors, services
from apps.payments.models import RefundStatus

from ..super_admin_forms import RefundRejectForm
from .access import section_required
from .common import attempt, found_or_404, paged, posted

PAGE_SIZE = 25


@require_safe
@section_required("refunds")
def refund_list(request):
    listing = paged(request, selectors.refund_list(viewer=request.user))
    names = selectors.payment_service_names(
        refund.payment.service_type for refund in listing["page"]
    )
    for refund in listing["page"]:
        refund.service_name = names[refund.payment.service_type]
    return render(
        request,
        "console/admin/refunds.html",
        {**listing, "waiting": RefundStatus.REQUESTED},
    )


def _refund(request, refund_id):
    return found_or_404(selectors.refund_get, viewer=request.user, refund_id=refund_id)


@require_POST
@section_required("refunds")
def refund_approve(request, refund_id):
    refund = _refund(request, refund_id)
    refund = attempt(request, lambda: services.refund_execute(refund=refund, actor=request.user))
    if refund is not None:
        outcome = {
            RefundStatus.COMPLETED: (messages.SUCCESS, _("Refunded: the money is on its way.")),
            RefundStatus.PROCESSING: (
                messages.INFO,
                _("The provider has not confirmed the refund yet; it will be checked again."),
            ),
        }.get(refund.status, (messages.ERROR, _("The provider refused the refund.")))
        messages.add_message(request, *outcome)
    return redirect("console:refunds")


@require_POST
@section_required("refunds")
def refund_reject(request, refund_id):
    refund = _refund(request, refund_id)
    posted(
        request,
        RefundRejectForm(request.POST),
        lambda data: services.refund_reject(
            refund=refund, actor=request.user, reason=data["reason"]
        ),
        success=_("The refund request is rejected; the citizen is told."),
    )
    return redirect("console:refunds")
