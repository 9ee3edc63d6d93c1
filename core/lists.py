"""Rendered pages of a list (and answers drawn from the same rows), kept in the cache while
nothing they show has changed.

A page of a list costs several times a trivial request: its queries, a serializer per row and
the rendering. Most requests ask again for a page nobody has changed since (a ward admin's queue
refreshed, a citizen's own complaints reopened), so the rendered bytes are kept, and trusted only
while the *generations* they were rendered under are still current:

- ``list:gen:<name>`` a random token per part of the data (a ward's complaints, a citizen's own,
  an assignee's), replaced by :func:`list_touch` when a write changes that part: at once, for the
  writing transaction's own reads, and again once the write is committed (a page rendered
  meanwhile read the old rows);
- ``list:page:<list>:<viewer>:<digest>`` the page with the tokens read *before* it was rendered,
  and the viewer's account generation (core/accounts.py), so a page rendered while a write was
  committing is already out of date when that write's token lands, and a change of the viewer's
  account or permissions retires their pages.

Every page also carries ``list:gen:*``, which writes that cannot name what they change touch
(lists_touch_everything: bulk inserts, the city seed, a restore). A page names other people too
(the complaint's citizen and assignee); a rename is seen once the page expires,
LIST_CACHE_SECONDS at most. A missing token (a restart, an evicted key) means no page is trusted.
Without Redis (the embedded mode, each process caching in its own memory) nothing is kept:
another process's write could not retire it.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseBase
from django.utils.translation import get_language
from rest_framework.response import Response

from .accounts import account_generation_key
from .renderers import JSONRenderer

_GENERATION = "list:gen:{name}"
_PAGE = "list:page:{list}:{viewer}:{digest}"


# The part every kept answer carries: writes that cannot name what they change touch it.
EVERYTHING = "*"


def lists_touch_everything() -> None:
    """No kept answer of any list is trusted: for writes around the ORM's signals (a bulk
    insert, the city seed, a restored backup, an account's deletion clearing assignments)."""
    list_touch([EVERYTHING])


def list_touch(names: Iterable[str]) -> None:
    """The parts ``names`` changed: no page showing them is trusted, now and after commit."""
    keys = [_GENERATION.format(name=name) for name in set(names)]
    if not keys:  # touched whether or not this process keeps pages: others may
        return

    def retire():
        cache.set_many({key: secrets.token_hex(8) for key in keys}, timeout=None)

    retire()
    transaction.on_commit(retire)


def page_kept(
    request, *, list_name: str, names: Iterable[str], render: Callable[[], bytes]
) -> tuple[bytes, bool]:
    """The page ``request`` asks for, and whether it was kept: rendered by ``render()`` unless
    a copy rendered under the current generations of ``names`` (and of the viewer's account)
    is kept.

    The copy is the viewer's own (their id is in the key) for this address (scheme, host, path
    and query), language and media type: the page's links, labels and rows are all in there.
    """
    viewer = request.user.pk
    if not settings.LIST_CACHE_SECONDS or viewer is None:
        return render(), False
    address = "\n".join(
        (request.build_absolute_uri(), get_language() or "", str(request.accepted_media_type))
    )
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    key = _PAGE.format(list=list_name, viewer=viewer, digest=digest)
    generation_keys = [
        account_generation_key(viewer),
        *(_GENERATION.format(name=name) for name in sorted({*names, EVERYTHING})),
    ]
    found = cache.get_many([*generation_keys, key])
    generations = tuple(found.get(name) for name in generation_keys)
    stored = found.get(key)
    if stored is not None and None not in generations and stored[0] == generations:
        return stored[1], True
    page = render()
    started = _started(generation_keys, generations)
    if started is not None:
        cache.set(key, (started, page), timeout=settings.LIST_CACHE_SECONDS)
    return page, False


def _started(generation_keys: list[str], generations: tuple) -> tuple | None:
    """``generations`` with each missing token started now, or None if a write touched one
    first. A token is missing after an eviction or a restart, or before any write of its part.
    If ``add`` starts it, no write touched the part since the page was asked for (a write
    touches after committing, and its touch would have made the token exist), so the page
    rendered meanwhile may be kept under it; if ``add`` finds one, a write came in between."""
    started = list(generations)
    for index, (gen_key, value) in enumerate(zip(generation_keys, generations, strict=True)):
        if value is None:
            token = secrets.token_hex(8)
            if not cache.add(gen_key, token, timeout=None):
                return None
            started[index] = token
    return tuple(started)


def answer_kept(
    view,
    request,
    *,
    list_name: str,
    names: Iterable[str] | None,
    answer: Callable[[], Response],
) -> HttpResponseBase:
    """``answer()`` (a 200, or an exception) as JSON, kept by page_kept under ``list_name`` and
    ``names``; as usual for another renderer (the browsable API) or when ``names`` is None (a
    scope whose pages are not kept)."""
    renderer = request.accepted_renderer
    if names is None or not isinstance(renderer, JSONRenderer):
        return answer()

    def render() -> bytes:
        data = answer().data
        return renderer.render(data, request.accepted_media_type, view.get_renderer_context())

    page, kept = page_kept(request, list_name=list_name, names=names, render=render)
    response = HttpResponse(page, content_type=renderer.media_type)
    response.page_kept = kept  # the access log says so (core.middleware)
    return response


class KeptPagesMixin:
    """A list view whose JSON pages are kept (answer_kept): ``kept_list`` names the list and
    ``kept_names(user)`` the parts of it the user's pages show. A view that does not name them
    keeps nothing."""

    kept_list: str

    def kept_names(self, user) -> list[str] | None:
        return None

    def list(self, request, *args, **kwargs):
        return answer_kept(
            self,
            request,
            list_name=self.kept_list,
            names=self.kept_names(request.user),
            answer=lambda: super(KeptPagesMixin, self).list(request, *args, **kwargs),
        )
