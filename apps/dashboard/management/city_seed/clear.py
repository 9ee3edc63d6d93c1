"""Removing a previous city seed: only rows that belong to seeded users, and seed projects nobody
else gave to. Everything else, the tracking-number counters included, is left as it is."""

from __future__ import annotations

from collections import Counter

from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.db.models.deletion import ProtectedError, get_candidate_relations_to_delete

from apps.complaints.models import Complaint
from apps.donations.models import Donation, DonationProject
from apps.payments.models import Payment, Refund
from apps.users.models import User

from .base import SEED_PHONE_PREFIX, SEED_PROJECT_PREFIX, SeedError


def seeded_users() -> QuerySet[User]:
    return User.objects.filter(phone__startswith=SEED_PHONE_PREFIX)


def seeded_projects() -> QuerySet[DonationProject]:
    return DonationProject.objects.filter(slug__startswith=SEED_PROJECT_PREFIX)


@transaction.atomic
def city_seed_clear() -> dict[str, int]:
    """Delete the seeded rows, children first; returns how many rows of each model went.

    Raises ProtectedError (and nothing is deleted) if a real row points at a seeded one through a
    PROTECT relation, e.g. a refund a seeded super admin decided on a real payment.
    """
    users = seeded_users()
    deleted: Counter[str] = Counter()
    for queryset in (
        Donation.objects.filter(user__in=users),
        Refund.objects.filter(payment__user__in=users),
        Payment.objects.filter(user__in=users),
        Complaint.objects.filter(user__in=users),
        users,
        # A seed project somebody real gave to stays (their donation points at it).
        seeded_projects().filter(donations__isnull=True),
    ):
        deleted.update(_delete(queryset))
    return {label: count for label, count in deleted.items() if count}


def _delete(queryset: QuerySet) -> Counter[str]:
    """Delete ``queryset`` as Model.delete() would (every relation's on_delete followed), but
    set-wise: one statement per relation with a subquery, instead of Django's collector, which
    loads every row and deletes a hundred at a time (minutes for a 200k-complaint seed).
    No delete signals are sent: cached copies of the deleted accounts and of their staff
    permissions (core/accounts.py) are not retired, and expire within ACCOUNT_CACHE_SECONDS.
    """
    model = queryset.model
    keys = queryset.values("pk")
    deleted: Counter[str] = Counter()
    protected: list[QuerySet] = []
    for relation in get_candidate_relations_to_delete(model._meta):
        related = relation.related_model._base_manager.filter(
            **{f"{relation.field.name}__in": keys}
        )
        if relation.on_delete is models.CASCADE:
            deleted.update(_delete(related))
        elif relation.on_delete is models.SET_NULL:
            related.update(**{relation.field.name: None})
        elif relation.on_delete in (models.PROTECT, models.RESTRICT):
            protected.append(related)
        elif relation.on_delete is not models.DO_NOTHING:
            # A new relation with SET_DEFAULT or a custom rule: refuse rather than guess.
            raise SeedError(
                f"cannot clear the seed: {relation.field} uses an on_delete rule this command "
                "does not follow; clear it by hand or extend city_seed/clear.py"
            )
    for related in protected:  # checked after the cascades, which may have removed them
        if related.exists():
            raise ProtectedError(
                f"{related.model._meta.label} rows that are not part of the seed point at "
                f"seeded {model._meta.label} rows",
                set(related[:10]),
            )
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.pk.column)
    subquery, params = keys.query.sql_with_params()
    with connection.cursor() as cursor:
        # Some databases refuse to delete from a table their subquery reads; a derived table
        # is materialised first.
        cursor.execute(
            f"DELETE FROM {table} WHERE {column} IN (SELECT * FROM ({subquery}) AS seeded)",  # noqa: S608
            params,
        )
        deleted[model._meta.label] += cursor.rowcount
    return deleted
