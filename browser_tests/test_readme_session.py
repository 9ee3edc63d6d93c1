"""The README's first session, pasted in order into one bash shell, works against a live server.

The script is the README's own text: only the base URL line is pointed at the test server.
"""

import re
import subprocess
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from apps.donations.models import Donation
from apps.notices.models import Notice
from apps.payments.models import Payment

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[1]
README_BASE = "B=http://127.0.0.1:8000\n"


def first_session_script(base_url: str) -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("A first session with curl", 1)[1].split("\n## ", 1)[0]
    script = "".join(re.findall(r"```sh\n(.*?)```", section, re.S))
    assert script.startswith(README_BASE), "the session starts by naming the server"
    return "set -euo pipefail\n" + script.replace(README_BASE, f"B={base_url}\n", 1)


def test_the_first_session_works_when_pasted(live_server, settings, tmp_path, wards):
    settings.PAYMENT_PUBLIC_BASE_URL = live_server.url
    # What `make run` has after migrating: live-server tests flush the migrations' rows.
    import_module("apps.payments.migrations.0003_seed_payable_services").seed(apps, None)
    call_command("seed_demo", verbosity=0)
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")  # the README makes its photo with the venv

    run = subprocess.run(  # noqa: S603 - the README's own text, run as a reader would paste it
        ["/bin/bash", "-c", first_session_script(live_server.url)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )

    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "পেমেন্ট পাওয়া গেছে" in run.stdout
    assert "completed" in run.stdout.split()
    assert (tmp_path / "receipt.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "report.xlsx").read_bytes().startswith(b"PK")
    assert Payment.objects.filter(payment_method="bkash", status="completed").count() == 1
    assert Donation.objects.get().status == "completed"
    assert Notice.objects.get(title="পানি সরবরাহ বন্ধ থাকবে").view_count == 1
