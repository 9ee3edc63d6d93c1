"""Writes of donations: start one (through the payments flow) and follow its payment to the end;
and the projects a super admin opens, edits and closes."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.notifications.services import notification_send
from apps.payments.models import Payment, PaymentStatus
from apps.payments.services import payment_open
from apps.users.models import ActivityAction, User, UserType
from apps.users.services import activity_record
from core.exceptions import PermissionDenied, ValidationFailed
from core.figures import dashboard_touch

from .models import Donation, DonationProject, DonationStatus

PURPOSE = "donation"  # the service_type of a donation's payment

# A payment's final state, as the donation riding on it records it.
_FOLLOWS = {
    PaymentStatus.COMPLETED: DonationStatus.COMPLETED,
    PaymentStatus.FAILED: DonationStatus.FAILED,
    PaymentStatus.CANCELLED: DonationStatus.FAILED,
    PaymentStatus.REFUNDED: DonationStatus.REFUNDED,
}


def _invalid(field: str, message) -> ValidationFailed:
    return ValidationFailed(message, details={field: [message]})


def _receipt_number() -> str:
    """CCD-, the Dhaka date as eight digits, a dash, then ten random hex digits (unguessable)."""
    return f"CCD-{timezone.localdate():%Y%m%d}-{uuid.uuid4().hex[:10].upper()}"


def donation_create(
    *,
    user: User,
    project: str,
    amount: Decimal,
    payment_method: str,
    phone_number: str,
    message: str | None = None,
) -> Donation:
    """Open the payment for a gift to ``project`` (its code or id); the donation is written with
    the payment, so a refused or failed start leaves nothing behind but the payment's record."""
    chosen = _open_project(project)
    if amount < chosen.min_amount:
        raise _invalid(
            "amount",
            _("The smallest donation to this project is %(min)s BDT.") % {"min": chosen.min_amount},
        )
    kept: list[Donation] = []

    def attach(payment: Payment) -> None:
        kept.append(
            Donation.objects.create(
                user=user,
                project=chosen,
                project_name=chosen.name_bn,
                project_name_en=chosen.name_en,
                donor_name=user.name,
                amount=payment.amount,
                payment_method=payment.payment_method,
                payment=payment,
                transaction_id=payment.transaction_id,
                receipt_number=_receipt_number(),
                message=(message or "").strip() or None,
            )
        )

    payment = payment_open(
        user=user,
        purpose=PURPOSE,
        description=f"Donation: {chosen.name_en}"[:255],
        amount=amount,
        payment_method=payment_method,
        phone_number=phone_number,
        attach=attach,
    )
    donation = Donation.objects.select_related("project", "payment").get(pk=kept[0].pk)
    donation.payment.redirect_url = payment.redirect_url
    return donation


def _open_project(reference: str) -> DonationProject:
    projects = DonationProject.objects.filter(is_active=True)
    try:
        uuid.UUID(str(reference))
        chosen = projects.filter(pk=reference).first()
    except ValueError:
        chosen = projects.filter(slug=reference).first()
    today = timezone.localdate()
    if chosen is None or (chosen.ends_on is not None and chosen.ends_on < today):
        raise _invalid("project", _("This project is not taking donations."))
    return chosen


def donation_follow_payment(payment: Payment, *, announce: bool) -> bool:
    """Called by the payments services (settings.PAYMENT_PURPOSES) in the payment's transaction,
    under its row lock, so the donation moves exactly once with it. True when it told the donor."""
    if payment.service_type != PURPOSE:
        return False
    donation = Donation.objects.select_for_update().filter(payment=payment).first()
    target = _FOLLOWS.get(payment.status)
    if donation is None or target is None or donation.status == target:
        return donation is not None
    donation.status = target
    if target == DonationStatus.COMPLETED:
        donation.completed_at = payment.completed_at or timezone.now()
    donation.save(update_fields=["status", "completed_at"])
    transaction.on_commit(dashboard_touch)
    if announce:
        _tell_donor(donation)
    return True


def _tell_donor(donation: Donation) -> None:
    user = donation.user
    project = donation.project.name_en if user.language == "en" else donation.project.name_bn
    params = {
        "amount": donation.amount,
        "project": project,
        "receipt": donation.receipt_number,
    }
    data = {"donation_id": str(donation.pk), "status": donation.status}
    if donation.status == DonationStatus.COMPLETED:
        title, body = (
            _("Donation received"),
            _(
                "We received your donation of %(amount)s BDT to %(project)s. "
                "Receipt %(receipt)s is ready in the app."
            ),
        )
    elif donation.status == DonationStatus.FAILED:
        title, body = (
            _("Donation not completed"),
            _("Your donation of %(amount)s BDT to %(project)s did not go through."),
        )
    else:  # refunded: the refund's own message told the donor
        return
    notification_send(
        user=user,
        kind=f"donation.{donation.status}",
        title=title,
        body=body,
        params=params,
        data=data,
        dedupe_key=f"donation:{donation.pk}:{donation.status}",
    )
    if (
        donation.status == DonationStatus.COMPLETED
        and donation.amount > settings.DONATION_THANK_YOU_ABOVE
    ):
        notification_send(
            user=user,
            kind="donation.thank_you",
            title=_("Thank you for your generosity"),
            body=_(
                "Dear %(name)s, your gift of %(amount)s BDT to %(project)s makes a real "
                "difference to our city. Thank you from Clean Care Bangladesh."
            ),
            params={**params, "name": user.name},
            data=data,
            channels=("in_app", "push"),
            dedupe_key=f"donation:{donation.pk}:thank_you",
        )


# What a super admin sets on a project (the console's form carries these names).
PROJECT_FIELDS = (
    "slug",
    "name_bn",
    "name_en",
    "description_bn",
    "description_en",
    "goal_amount",
    "min_amount",
    "ends_on",
    "sort_order",
    "is_active",
)


def _project_save(project: DonationProject, *, fields: list[str] | None = None) -> None:
    """Check the row as the model and database would (unique code, amounts above zero)."""
    try:
        project.full_clean()
    except DjangoValidationError as exc:
        details = exc.message_dict
        raise ValidationFailed(next(iter(details.values()))[0], details=details) from exc
    project.save(update_fields=[*fields, "updated_at"] if fields else None)


def _staff_only(actor: User) -> None:
    if actor.user_type != UserType.SUPER_ADMIN:
        raise PermissionDenied()


@transaction.atomic
def donation_project_create(*, actor: User, data: dict, request=None) -> DonationProject:
    """A super admin opens a project for donations; audited."""
    _staff_only(actor)
    project = DonationProject(**{field: data[field] for field in PROJECT_FIELDS if field in data})
    _project_save(project)
    activity_record(
        action=ActivityAction.DONATION_PROJECT_CREATED,
        actor=actor,
        request=request,
        resource=project,
        details={"slug": project.slug},
    )
    return project


@transaction.atomic
def donation_project_update(
    *, actor: User, project: DonationProject, data: dict, request=None
) -> DonationProject:
    """Change what ``data`` names; a project's gifts keep the names they were given under."""
    _staff_only(actor)
    project = DonationProject.objects.select_for_update().get(pk=project.pk)
    changed = [
        field
        for field in PROJECT_FIELDS
        if field in data and getattr(project, field) != data[field]
    ]
    if not changed:
        return project
    for field in changed:
        setattr(project, field, data[field])
    _project_save(project, fields=changed)
    activity_record(
        action=ActivityAction.DONATION_PROJECT_UPDATED,
        actor=actor,
        request=request,
        resource=project,
        details={"slug": project.slug, "fields": changed},
    )
    return project


@transaction.atomic
def donation_project_close(*, actor: User, project: DonationProject, request=None):
    """Stop taking donations; the project and its gifts stay. Closing twice changes nothing."""
    _staff_only(actor)
    project = DonationProject.objects.select_for_update().get(pk=project.pk)
    if not project.is_active:
        return project
    project.is_active = False
    project.save(update_fields=["is_active", "updated_at"])
    activity_record(
        action=ActivityAction.DONATION_PROJECT_CLOSED,
        actor=actor,
        request=request,
        resource=project,
        details={"slug": project.slug},
    )
    return project
