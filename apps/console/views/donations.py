"""Donation projects (super admin): what each raised against its target; open, edit and close
projects through the donations services."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.donations import selectors, services
from core.exceptions import ApplicationError

from ..super_admin_forms import DonationProjectForm
from .access import section_required
from .common import attempt, form_problems, found_or_404


def _saved(request, form, save) -> bool:
    """Parse the form and call ``save(data)``; problems and refusals become messages."""
    if not form.is_valid():
        form_problems(request, form)
        return False
    try:
        save(form.cleaned_data)
    except ApplicationError as exc:
        for field, problems in (exc.details or {}).items():
            label = form.fields[field].label if field in form.fields else None
            messages.error(request, f"{label}: {problems[0]}" if label else problems[0])
        if not exc.details:
            messages.error(request, str(exc.message))
        return False
    return True


@section_required("donation-projects")
def project_list(request):
    form = DonationProjectForm(request.POST or None)
    if request.method == "POST" and _saved(
        request,
        form,
        lambda data: services.donation_project_create(
            actor=request.user, data=data, request=request
        ),
    ):
        messages.success(request, _("Project created."))
        return redirect("console:donation-projects")
    return render(
        request,
        "console/admin/donations.html",
        {"projects": selectors.project_list(), "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _project(project_id):
    return found_or_404(selectors.project_get, project_id=project_id)


@section_required("donation-projects")
def project_edit(request, project_id):
    project = _project(project_id)
    initial = {field: getattr(project, field) for field in services.PROJECT_FIELDS}
    form = DonationProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and _saved(
        request,
        form,
        lambda data: services.donation_project_update(
            actor=request.user, project=project, data=data, request=request
        ),
    ):
        messages.success(request, _("Project saved."))
        return redirect("console:donation-projects")
    return render(
        request,
        "console/admin/donation_project.html",
        {"project": project, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@section_required("donation-projects")
def project_close(request, project_id):
    project = _project(project_id)
    attempt(
        request,
        lambda: services.donation_project_close(
            actor=request.user, project=project, request=request
        ),
        success=_("The project no longer takes donations."),
    )
    return redirect("console:donation-projects")
