"""Where one endpoint's time goes: pyinstrument over N in-process calls on the bench database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clean_care_bench \
    REDIS_URL=redis://127.0.0.1:6379/2 \
        .venv/bin/python bench/profile.py /api/v1/complaints/ --as ward [--calls 30] [--html x.html]

Same stack as bench/run.py (its settings, throttles lifted, access log off, tokens of the seed's
first super admin, ward admin or citizen). Run `make bench` first to seed the database.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.test import Client
from pyinstrument import Profiler
from run import require_services, viewer_tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument(
        "--as", dest="viewer", default="super", choices=["super", "ward", "citizen"]
    )
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--html", help="write pyinstrument's HTML report here")
    parser.add_argument("--all", action="store_true", help="show library frames too")
    args = parser.parse_args()
    require_services()
    logging.getLogger("clean_care.access").setLevel(logging.WARNING)
    client = Client(HTTP_HOST="127.0.0.1")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {viewer_tokens()[args.viewer]}"}
    for _ in range(3):
        assert client.get(args.path, **headers).status_code == 200
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(args.calls):
            client.get(args.path, **headers)
    if args.html:
        Path(args.html).write_text(profiler.output_html())
    print(profiler.output_text(unicode=True, color=False, show_all=args.all))


if __name__ == "__main__":
    main()
