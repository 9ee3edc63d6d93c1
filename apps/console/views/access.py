"""Who may use the console: sign-in (with the API's throttles), sign-out, password change, and
the one decorator every other screen wears."""

from __future__ import annotations

import time
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.authentication.services import (
    auth_change_password,
    auth_staff_code_send,
    auth_staff_code_verify,
    auth_staff_credentials_check,
    auth_staff_sign_in,
    auth_staff_sign_out,
)
from apps.authentication.services.accounts import STAFF_TYPES
from apps.users.models import User, UserType
from apps.users.selectors import user_active_of_types
from core.exceptions import ApplicationError, NotFound, RateLimited
from core.phone import mask_phone
from core.rls import acts_as_system
from core.throttles import login_attempt_wait

from ..forms import PasswordChangeForm, SignInCodeForm, SignInForm
from ..sections import SECTIONS, section_opens

# The session key of a sign-in waiting for its SMS code: the user's id, when the password was
# right and where to go next; never the code (that lives hashed in the OTP table).
PENDING = "console_pending_sign_in"


def section_required(name: str):
    """The one access check of the console: anonymous → the sign-in page; a citizen, or staff
    the section (``apps.console.sections``) does not open for → the refused page (403)."""
    section = SECTIONS[name]

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("console:login"))
            if request.user.user_type not in STAFF_TYPES:
                return refused(
                    request, _("The console is for city staff. Citizens use the Clean Care app.")
                )
            if not section_opens(request.user, name):
                return refused(request, section.refusal)
            return view(request, *args, **kwargs)

        wrapped.console_section = name
        return wrapped

    return decorate


def refused(request, reason: str):
    """The one refusal page (403), saying why."""
    staff = request.user.user_type in STAFF_TYPES
    return render(request, "console/refused.html", {"reason": reason, "staff": staff}, status=403)


@acts_as_system  # finds the account by phone before anyone is signed in (core/rls.py)
def sign_in(request):
    # Bound on every POST: an empty one is a form with missing fields, not an unsent one.
    form = SignInForm(request.POST if request.method == "POST" else None)
    error, status = None, 200
    if request.method == "POST" and not form.is_valid():
        # An empty or cut-short form says which fields it still needs, by their labels.
        status = 400
        error = " ".join(
            f"{form.fields[name].label}: {message}"
            for name, problems in form.errors.items()
            for message in problems
        )
    elif request.method == "POST":
        wait = login_attempt_wait(request)
        if wait is not None:
            status = 429
            error = _(
                "Too many sign-in attempts. Please wait %(seconds)d seconds and try again."
            ) % {"seconds": max(1, round(wait))}
        else:
            try:
                if settings.CONSOLE_OTP_REQUIRED:
                    user = auth_staff_credentials_check(**form.cleaned_data, request=request)
                else:
                    user = auth_staff_sign_in(**form.cleaned_data, request=request)
            except ApplicationError as exc:
                error = str(exc.message)
            else:
                target = _next_target(
                    request, user, request.POST.get("next") or request.GET.get("next")
                )
                if settings.CONSOLE_OTP_REQUIRED:
                    return _second_factor_start(request, user, target)
                login(request, user)
                return redirect(target)
    return render(
        request,
        "console/login.html",
        {"form": form, "error": error, "next": request.GET.get("next", "")},
        status=status,
    )


def _next_target(request, user, target: str | None) -> str:
    """``next`` if it is ours; else a service provider's work list or everyone else's queue."""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        home = "console:work" if user.user_type == UserType.SERVICE_PROVIDER else "console:queue"
        return reverse(home)
    return target


def _send_code(request, user) -> None:
    """Text a sign-in code; inside the API's limits the code already sent stays the one to use."""
    try:
        auth_staff_code_send(user=user, request=request)
    except RateLimited as exc:
        messages.warning(request, str(exc.message))
    else:
        messages.info(
            request,
            _("We sent a 6-digit code by SMS to %(phone)s.") % {"phone": mask_phone(user.phone)},
        )


def _second_factor_start(request, user, target):
    request.session[PENDING] = {"user": str(user.pk), "at": time.time(), "next": target}
    _send_code(request, user)
    return redirect("console:login-code")


def _pending_user(request) -> User | None:
    """The staff member whose password was right a short while ago (an OTP's lifetime twice,
    time for one resend), if still active staff."""
    pending = request.session.get(PENDING)
    if not pending:
        return None
    if time.time() - pending["at"] > 2 * settings.OTP_TTL.total_seconds():
        del request.session[PENDING]
        return None
    return user_active_of_types(user_id=pending["user"], user_types=STAFF_TYPES)


@acts_as_system
def sign_in_code(request):
    """Second step of sign-in when CONSOLE_OTP_REQUIRED: the code from the SMS."""
    user = _pending_user(request)
    if user is None:
        messages.error(request, _("Your sign-in has timed out. Please sign in again."))
        return redirect("console:login")
    form = SignInCodeForm(request.POST or None)
    error = None
    if request.method == "POST" and "resend" in request.POST:
        _send_code(request, user)
        return redirect("console:login-code")
    if request.method == "POST" and form.is_valid():
        try:
            auth_staff_code_verify(user=user, code=form.cleaned_data["otp_code"], request=request)
        except ApplicationError as exc:
            error = str(exc.message)
        else:
            target = request.session.pop(PENDING)["next"]
            login(request, user)
            return redirect(_next_target(request, user, target))
    return render(
        request,
        "console/login_code.html",
        {"form": form, "error": error, "phone": mask_phone(user.phone)},
    )


@require_POST
def sign_out(request):
    user = request.user
    logout(request)  # first: the sockets told by the service must find the session gone
    if user.is_authenticated:
        auth_staff_sign_out(user=user, request=request)
    return redirect("console:login")


@section_required("account")
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            auth_change_password(user=request.user, **form.cleaned_data, request=request)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            request.user.refresh_from_db()
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("console:queue")
    return render(request, "console/password.html", {"form": form})


def found_or_404(select, **kwargs):
    """What a selector returns for the viewer, or the 404 page when it is outside their scope."""
    try:
        return select(**kwargs)
    except NotFound as exc:
        raise Http404 from exc
