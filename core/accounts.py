"""The signed-in account of each API request, read from the cache instead of the database.

Every authenticated request looked its user up by primary key (as the system, so two more round
trips to tell PostgreSQL who is acting and back). The row changes rarely and a stale copy must
never let a signed-out, deactivated or demoted account through, so a copy is only trusted while
the account's *generation* is the one it was stored under:

- ``account:gen:<id>`` a random token, replaced after every committed write of the row (the
  model's post_save and post_delete, and :func:`account_forget` after a queryset ``update()``);
- ``account:row:<id>`` the row with the generation read *before* the row was loaded, so a copy
  loaded while a write was committing is already out of date when that write's new token lands;
- ``account:fact:<name>:<id>`` facts kept the same way (:func:`account_fact`): a ward admin's
  permission rows, read on every request of theirs, retired by the writes of those rows too.

A missing generation (a restart, an evicted key) means nothing cached is trusted; copies also
expire after ACCOUNT_CACHE_SECONDS, a bound for writes that bypass the ORM. Without Redis (the
embedded mode, where each process caches in its own memory) nothing is cached.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction

from . import rls

_GENERATION = "account:gen:{id}"
_ROW = "account:row:{id}"
_FACT = "account:fact:{name}:{id}"
T = TypeVar("T")


def account_get(user_id: UUID | str, *, fresh: bool = False):
    """The active or inactive account ``user_id`` (the caller judges), or None if there is none;
    ``fresh`` reads the database whatever is cached (a long-lived socket's recheck)."""
    model = get_user_model()

    def load():
        with rls.as_system():  # nobody is known yet
            return model.objects.filter(pk=user_id).first()

    if fresh or not settings.ACCOUNT_CACHE_SECONDS:
        return load()
    return _kept(user_id, _ROW.format(id=user_id), load)


def account_fact(user_id: UUID | str, name: str, load: Callable[[], T]) -> T:
    """What ``load()`` reads about the account (its staff permissions, say), kept as its row is:
    trusted only under the account's current generation, so a write that forgets the account
    (:func:`account_forget`) retires it too.

    A transaction that writes such a fact must not read it through here before it commits: the
    write's first retirement is immediate, so what it read would be kept under the new
    generation, and a rollback retires nothing more."""
    if not settings.ACCOUNT_CACHE_SECONDS or user_id is None:  # no cache, or no account yet
        return load()
    return _kept(user_id, _FACT.format(name=name, id=user_id), load)


def _kept(user_id: UUID | str, key: str, load: Callable[[], T]) -> T:
    """The copy at ``key`` if it was stored under the current generation, else ``load()``,
    stored under the generation read before loading (None is never stored)."""
    gen_key = _GENERATION.format(id=user_id)
    found = cache.get_many([gen_key, key])
    generation = found.get(gen_key)
    stored = found.get(key)
    if generation is not None and stored is not None and stored[0] == generation:
        return stored[1]
    value = load()
    if generation is None:
        cache.add(gen_key, secrets.token_hex(8), timeout=None)
    elif value is not None:
        cache.set(key, (generation, value), timeout=settings.ACCOUNT_CACHE_SECONDS)
    return value


def account_generation_key(user_id: UUID | str) -> str:
    """The cache key of the account's current generation: what else is kept per account
    (core/lists.py's pages) carries it, to be retired with the account's row."""
    return _GENERATION.format(id=user_id)


def account_forget(user_id: UUID | str) -> None:
    """The account's row changed: no copy is trusted, now (for this transaction's own reads)
    and again once the change is committed (a copy loaded meanwhile held the old row)."""
    key = _GENERATION.format(id=user_id)

    def retire():
        cache.set(key, secrets.token_hex(8), timeout=None)

    retire()
    transaction.on_commit(retire)


def account_changed(sender, instance, **kwargs) -> None:
    """post_save and post_delete of the user model (connected in core/apps.py)."""
    account_forget(instance.pk)


def account_part_changed(sender, instance, **kwargs) -> None:
    """post_save and post_delete of a row kept as a fact of its account (``instance.admin_id``:
    a staff permission; connected in apps/users/apps.py)."""
    account_forget(instance.admin_id)
