"""Upkeep of the complaint tallies (models.ComplaintTally, ServiceTimeTally): folding their rows,
recounting them.

The triggers keep the tallies exact; these only keep them short (every write appends rows) and
prove it (a recount that finds a difference writes the correction and says so). Each is one SQL
statement per tally, so it reads the complaints and the tally in one snapshot and never races a
filing: rows appended by transactions it cannot see are left alone and still count. PostgreSQL only.
"""

from __future__ import annotations

import logging

from django.db import connection

from apps.complaints.enums import Status

logger = logging.getLogger(__name__)

# Both drop the groups whose rows sum to zero.
COMPACT = """
WITH folded AS (DELETE FROM dashboard_complaint_tally RETURNING *)
INSERT INTO dashboard_complaint_tally
    (ward_number, status, category, rating, complaints, timed, service_sum)
SELECT ward_number, status, category, rating, sum(complaints), sum(timed), sum(service_sum)
FROM folded
GROUP BY ward_number, status, category, rating
HAVING sum(complaints) <> 0 OR sum(timed) <> 0 OR sum(service_sum) <> interval '0'
"""

RECONCILE = """
INSERT INTO dashboard_complaint_tally
    (ward_number, status, category, rating, complaints, timed, service_sum)
SELECT ward_number, status, category, rating, sum(complaints), sum(timed), sum(service_sum)
FROM (
    SELECT coalesce(ward_number, '') AS ward_number, status, category,
           coalesce(rating, 0) AS rating, count(*) AS complaints, count(resolved_at) AS timed,
           coalesce(sum(resolved_at - created_at), interval '0') AS service_sum
    FROM complaints GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT ward_number, status, category, rating,
           -sum(complaints), -sum(timed), -sum(service_sum)
    FROM dashboard_complaint_tally GROUP BY 1, 2, 3, 4
) AS difference
GROUP BY ward_number, status, category, rating
HAVING sum(complaints) <> 0 OR sum(timed) <> 0 OR sum(service_sum) <> interval '0'
"""

SERVICE_COMPACT = """
WITH folded AS (DELETE FROM dashboard_service_time_tally RETURNING *)
INSERT INTO dashboard_service_time_tally (hours, complaints)
SELECT hours, sum(complaints) FROM folded GROUP BY hours HAVING sum(complaints) <> 0
"""

SERVICE_RECONCILE = """
INSERT INTO dashboard_service_time_tally (hours, complaints)
SELECT hours, sum(complaints)
FROM (
    SELECT floor(extract(epoch FROM resolved_at - created_at) / 3600)::int AS hours,
           count(*) AS complaints
    FROM complaints WHERE status = %s AND resolved_at IS NOT NULL GROUP BY 1
    UNION ALL
    SELECT hours, -sum(complaints) FROM dashboard_service_time_tally GROUP BY 1
) AS difference
GROUP BY hours HAVING sum(complaints) <> 0
"""


def complaint_tally_compact() -> int:
    """Fold the tallies' rows into one per group; returns how many rows are left."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(COMPACT)
        rows = cursor.rowcount
        cursor.execute(SERVICE_COMPACT)
        return rows + cursor.rowcount


def complaint_tally_reconcile() -> int:
    """Recount the complaints and append whatever the tallies lack; returns how many groups were
    wrong (0 unless something wrote to ``complaints`` with the triggers disabled)."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(RECONCILE)
        corrected = cursor.rowcount
        cursor.execute(SERVICE_RECONCILE, [Status.RESOLVED])
        corrected += cursor.rowcount
    if corrected:
        logger.warning("complaint tally: %d groups differed from a recount, corrected", corrected)
    return corrected
