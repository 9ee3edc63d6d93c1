"""Docker HEALTHCHECK: GET /api/health/ on this container's uvicorn, as a listed host.

Exit 0 on 200, 1 otherwise (503 names the failing part: database, redis, beat, periodic_jobs).
"""

import os
import sys
import urllib.error
import urllib.request

host = (os.environ.get("ALLOWED_HOSTS") or "localhost").split(",")[0].strip().lstrip(".")
request = urllib.request.Request("http://127.0.0.1:8000/api/health/", headers={"Host": host})
try:
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        sys.exit(0 if response.status == 200 else 1)
except (urllib.error.URLError, OSError) as error:
    print(f"health check failed: {error}", file=sys.stderr)
    sys.exit(1)
