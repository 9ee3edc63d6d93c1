"""Settings of `make bench-server` (bench/server.py): production's, on one machine, no nginx.

Everything production decides stays: DEBUG off, the JSON renderer only, JSON log lines with the
access log (clean_care.access, one line a request), the security middleware, JWT revocation
checks and the throttle classes. What differs, and why:

- the variables production insists on get bench defaults when unset (bench/server.py passes its
  own secret key, database and Redis); plain HTTP on loopback, so no HTTPS redirect;
- texts and pushes go to the console backends: no message may leave the machine for a seeded
  phone;
- one endpoint of its own, /api/v1/bench/trivial/ (bench/urls.py): authenticated, throttled,
  answers a tiny JSON; the floor every scenario is compared with. Only these settings route it.

Throttle rates are lifted by bench/server.py through THROTTLE_USER / THROTTLE_ANON (per second,
so each key's history stays as short as a real client's: the throttles run, and refuse nothing).
"""

import os

# Production refuses to start without these; here they only have to exist (the backends they
# configure are replaced below, and bench/server.py gives the real key, database and Redis).
for _name, _value in {
    "SECRET_KEY": "bench-only-key-" + "x" * 50,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "NUM_PROXIES": "0",
    "SSLWIRELESS_API_TOKEN": "bench-unused",
    "SSLWIRELESS_SID": "bench-unused",
    "FCM_SERVICE_ACCOUNT_JSON": '{"project_id": "bench-unused"}',
    "SMS_BACKEND": "sslwireless",
    "PUSH_BACKEND": "fcm",
}.items():
    os.environ.setdefault(_name, _value)

from .production import *  # noqa: E402, F403
from .production import EXTRA_URLCONFS  # noqa: E402

SECURE_SSL_REDIRECT = False
SMS_BACKEND = "console"
PUSH_BACKEND = "console"
EXTRA_URLCONFS = [*EXTRA_URLCONFS, ("api/v1/bench/", "bench.urls")]
