"""Refunds (super admin): requests waiting for a decision first; approve (the provider pays back
inside ``refund_execute``) or reject with a reason, as the API's refunds/{id}/approve|reject/."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.payments import selectors, services
from apps.payments.models import RefundStatus
from core.exceptions import ApplicationError, NotFound

from ..super_admin_forms import RefundRejectForm
from .access import super_admin_required
from .feedback import form_problems

PAGE_SIZE = 25


@super_admin_required
def refund_list(request):
    page = Paginator(selectors.refund_list(viewer=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    names = selectors.payment_service_names(refund.payment.service_type for refund in page)
    for refund in page:
        refund.service_name = names[refund.payment.service_type]
    return render(
        request,
        "console/admin/refunds.html",
        {"page": page, "waiting": RefundStatus.REQUESTED},
    )


def _refund(request, refund_id):
    try:
        return selectors.refund_get(viewer=request.user, refund_id=refund_id)
    except NotFound as exc:
        raise Http404 from exc


@require_POST
@super_admin_required
def refund_approve(request, refund_id):
    refund = _refund(request, refund_id)
    try:
        refund = services.refund_execute(refund=refund, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
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
@super_admin_required
def refund_reject(request, refund_id):
    refund = _refund(request, refund_id)
    form = RefundRejectForm(request.POST)
    if not form.is_valid():
        form_problems(request, form)
        return redirect("console:refunds")
    try:
        services.refund_reject(
            refund=refund, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The refund request is rejected; the citizen is told."))
    return redirect("console:refunds")
