"""The public pages: look up a tracking number, read its status, read a ward's scorecard.

Bengali first: the language is LocaleMiddleware's choice (Accept-Language, else Bengali) unless
the address asks for one with ``?lang=bn`` or ``?lang=en`` (the pages' language links).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from core.rls import public_reads

from . import selectors


class TrackingForm(forms.Form):
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        max_length=20,
        strip=True,
        help_text=_("For example CC202601050001"),
    )


def _language(request: HttpRequest) -> str:
    chosen = request.GET.get("lang", "")
    return chosen if chosen in dict(settings.LANGUAGES) else translation.get_language()


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    """Render in the reader's language, with links to the same page in each language."""
    language = _language(request)
    links = [
        {
            "code": code,
            "name": translation.get_language_info(code)["name_local"],  # each in its own script
            "query": urlencode({**request.GET.dict(), "lang": code}),
        }
        for code, _name in settings.LANGUAGES
    ]
    with translation.override(language):
        response = render(
            request,
            template,
            {**context, "language": language, "language_links": links},
            status=status,
        )
    response["Content-Language"] = language
    return response


def _lang_query(request: HttpRequest) -> str:
    language = request.GET.get("lang", "")
    return f"?{urlencode({'lang': language})}" if language in dict(settings.LANGUAGES) else ""


@require_safe
def track_form(request: HttpRequest) -> HttpResponse:
    """The lookup form; a submitted number goes to its own page."""
    form = TrackingForm(request.GET if "tracking_number" in request.GET else None)
    if form.is_valid():
        number = form.cleaned_data["tracking_number"].upper()
        url = reverse("public:track-status", kwargs={"tracking_number": number})
        return HttpResponseRedirect(url + _lang_query(request))
    return _page(request, "public/track_form.html", {"form": form})


@require_safe
def track_status(request: HttpRequest, tracking_number: str) -> HttpResponse:
    with public_reads():
        complaint = selectors.tracking_status(tracking_number=tracking_number)
    if complaint is None:
        return _page(
            request,
            "public/track_not_found.html",
            {"tracking_number": tracking_number, "form": TrackingForm()},
            status=404,
        )
    return _page(request, "public/track_status.html", {"complaint": complaint})


@require_safe
def ward_scorecard(request: HttpRequest, number: str) -> HttpResponse:
    scorecard = selectors.ward_scorecard(number=number)
    if scorecard is None:
        return _page(request, "public/ward_not_found.html", {"number": number}, status=404)
    return _page(request, "public/ward_scorecard.html", {"scorecard": scorecard})
