"""The steps the console's views share: a record the viewer may see or 404, a page of a list,
a posted form handed to one service call with its outcome as a message, and a service's refusal
shown on a form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, NotFound

from ..forms import AssignForm

PAGE_SIZE = 25


def found_or_404(select, **kwargs):
    """What a selector returns for the viewer, or the 404 page when it is outside their scope."""
    try:
        return select(**kwargs)
    except NotFound as exc:
        raise Http404 from exc


def paged(request, items, *, size: int = PAGE_SIZE) -> dict[str, Any]:
    """The ``?page=`` of ``items`` and the other query parameters (for console/_pages.html)."""
    others = request.GET.copy()
    others.pop("page", None)
    page: Page = Paginator(items, size).get_page(request.GET.get("page"))
    return {"page": page, "others": others.urlencode()}


def form_problems(request, form) -> None:
    """One message per problem, naming the field it is about."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def attempt(request, call: Callable[[], Any], *, success: str | None = None) -> Any | None:
    """Run one service call; a refusal becomes an error message (and None), else ``success``
    is said and the call's result returned (True when it returns nothing)."""
    try:
        result = call()
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return None
    if success:
        messages.success(request, success)
    return True if result is None else result


def posted(
    request, form, call: Callable[[dict], Any], *, success: str | Callable[[dict], str] | None
) -> Any | None:
    """Parse a posted form and hand its data to one service call: problems and refusals are
    error messages, else ``success`` (text, or made from the data) is said."""
    if not form.is_valid():
        form_problems(request, form)
        return None
    data = form.cleaned_data
    said = success(data) if callable(success) else success
    return attempt(request, lambda: call(data), success=said)


def show_refusal(form, exc: ApplicationError) -> None:
    """A service's refusal on the form: beside the field it names, else above the form."""
    shown = False
    for field, errors in (exc.details or {}).items():
        if field in form.fields:
            for error in errors if isinstance(errors, list | tuple) else [errors]:
                form.add_error(field, str(error))
            shown = True
    if not shown:
        form.add_error(None, str(exc.message))


def assign_from_form(
    request, call: Callable[[Any], Any], *, success: str | None = None, required: str | None = None
) -> Any | None:
    """The posted AssignForm (the API's ``assigned_to``; empty = give back) to one assign
    service; ``required`` is the message when giving back is not a choice here."""
    form = AssignForm(request.POST)
    if required and form.is_valid() and form.cleaned_data["assigned_to"] is None:
        messages.error(request, required)
        return None
    return posted(
        request,
        form,
        lambda data: call(data["assigned_to"]),
        success=success or _("The assignment has been saved."),
    )


def status_from_form(request, form, change: Callable[[dict], Any], *, label_of) -> Any | None:
    """A posted status form (the API's ``status`` code and ``comment``) to one status service;
    which moves are allowed is the service's rule."""
    return posted(
        request,
        form,
        change,
        success=lambda data: (
            _("Status changed to “%(status)s”.") % {"status": label_of(data["status"])}
        ),
    )
