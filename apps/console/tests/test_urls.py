"""Every console URL, including ones added later, is closed to anonymous visitors and citizens.

The per-screen matrices (test_<area>.py) say what each staff role sees; this walks the URL
configuration itself, so a new screen that forgets its decorator fails here.
"""

import uuid

import pytest
from django.urls import URLPattern, get_resolver, reverse

from apps.console.sections import SECTIONS, sections_open_to
from apps.console.tests.conftest import Console

# The doors themselves: signing in, its second step, and the language switch.
OPEN = {"login", "login-code", "language", "logout"}


def _console_urls():
    resolver = get_resolver()
    (console,) = [
        entry for entry in resolver.url_patterns if getattr(entry, "namespace", None) == "console"
    ]
    for pattern in console.url_patterns:
        assert isinstance(pattern, URLPattern), "console URLs are flat; extend this walk"
        if pattern.name in OPEN:
            continue
        converters = pattern.pattern.converters
        kwargs = {
            name: uuid.UUID(int=1) if type(converter).__name__ == "UUIDConverter" else 1
            for name, converter in converters.items()
        }
        yield pattern.name, reverse(f"console:{pattern.name}", kwargs=kwargs)


CONSOLE_URLS = sorted(_console_urls())


@pytest.mark.parametrize(("name", "url"), CONSOLE_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_sign_in(console, name, url, method):
    response = getattr(console, method)(url)
    if response.status_code == 405:
        return
    assert response.status_code == 302, name
    assert response["Location"].startswith(reverse("console:login")), name


@pytest.mark.parametrize(("name", "url"), CONSOLE_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_citizens_are_refused_everywhere(console_as, cast, name, url, method):
    response = getattr(console_as(cast.citizen), method)(url)
    assert response.status_code in (403, 405), name
    if response.status_code == 403:
        assert b"staff" in response.content.lower(), name


def test_the_walk_finds_the_screens():
    names = {name for name, _url in CONSOLE_URLS}
    assert {"queue", "complaint", "status", "assign", "bulk-assign", "queue-export"} <= names


def test_every_screen_names_a_section_of_the_registry():
    """Each console view wears ``section_required`` with a registered section: the bar and the
    door read the same rule."""
    resolver = get_resolver()
    (console,) = [
        entry for entry in resolver.url_patterns if getattr(entry, "namespace", None) == "console"
    ]
    for pattern in console.url_patterns:
        section = getattr(pattern.callback, "console_section", None)
        if pattern.name in OPEN:
            assert section is None, pattern.name
        else:
            assert section in SECTIONS, pattern.name


@pytest.mark.parametrize("role", ["ward_admin", "other_admin", "provider", "super_admin"])
def test_the_bar_links_exactly_the_sections_that_open(console_as, cast, role):
    """A link in the bar opens its screen (200); a section without a link refuses (403)."""
    user = getattr(cast, role)
    client = console_as(user)
    shown = {section.name for section in sections_open_to(user)}
    for name, section in SECTIONS.items():
        if section.label is None:
            continue
        status = client.get(reverse(f"console:{name}")).status_code
        assert status == (200 if name in shown else 403), (role, name, status)


READ_ONLY = {
    "queue",
    "queue-export",
    "complaint",
    "dashboard",
    "report",
    "report-download",
    "audit",
    "refunds",
    "staff-account",
    "work",
    "chat",
    "chat-room",
    "emergencies",
    "emergency",
    "notices",
    "gallery",
    "calendar",
}


@pytest.mark.parametrize("name", sorted(READ_ONLY))
def test_read_only_screens_answer_get_only(console_as, cast, name):
    """A read-only screen takes no POST (405), whoever asks."""
    url = dict(CONSOLE_URLS)[name]
    assert console_as(cast.super_admin).post(url).status_code == 405, name


@pytest.mark.parametrize(("name", "url"), CONSOLE_URLS)
def test_every_post_without_the_csrf_token_is_refused(cast, name, url):
    """Signed in as the super admin (who may post everywhere), a POST that lacks the CSRF token
    is refused by Django's check before any view runs: no console view is exempt."""
    client = Console(enforce_csrf_checks=True)
    client.force_login(cast.super_admin)
    response = client.post(url, {"status": "in_progress", "comment": "x"})
    assert response.status_code == 403, name
    assert b"CSRF" in response.content, name


@pytest.mark.parametrize("name", sorted(OPEN))
def test_the_open_doors_refuse_a_post_without_the_csrf_token(db, name):
    """Signing in, its code step, the language switch and signing out take the token too."""
    client = Console(enforce_csrf_checks=True)
    response = client.post(reverse(f"console:{name}"), {"phone": "+8801700000002"})
    assert response.status_code == 403, name
    assert b"CSRF" in response.content, name
