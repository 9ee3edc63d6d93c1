"""The app's real mix for locust: 85 % citizens, 15 % staff, each with think time.

`make bench-load` (bench/server.py --load) runs it headless against the bench topology, with
BENCH_LOAD_PEOPLE naming a JSON file of access tokens minted in advance for seeded people
({"citizens": [...], "staff": [...]}): each simulated user takes the next token of its kind, so
a thousand users are a thousand accounts, and nobody goes through the login throttles.

Citizens open the app (the home screen's figures, their complaints, notifications), read
notices and a complaint of theirs, look at their payments, and now and then file a complaint.
Staff work their queue: filters and orderings, a complaint's detail, a status change, the
dashboard. Paying stops at the payment history and the payable services: starting a payment
would call the provider, and the bench's production settings have no sandbox to answer.

The users are FastHttpUsers (geventhttpclient): locust runs on the same two cores as the server,
and python-requests (HttpUser) spends several times the CPU per request, taken from the server
being measured.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path

from locust import FastHttpUser, between, task

API = "/api/v1"
PEOPLE = json.loads(Path(os.environ["BENCH_LOAD_PEOPLE"]).read_text())
_turns = {kind: itertools.cycle(tokens) for kind, tokens in PEOPLE.items() if tokens}
# Moves a staff member makes on a complaint of the queue (English codes the API accepts).
STATUS_MOVES = {"submitted": "in_progress", "in_progress": "resolved"}
FILING = {
    "title": "ড্রেন পরিষ্কার করা হয়নি",
    "description": "এক সপ্তাহ ধরে ড্রেন বন্ধ, রাস্তায় পানি জমে আছে।",
    "category": "cleanliness",
    "location": "মোহাম্মদপুর, রোড ৩",
}


class Person(FastHttpUser):
    abstract = True
    kind = ""
    wait_time = between(5, 15)

    def on_start(self):
        self.headers = {"Authorization": f"Bearer {next(_turns[self.kind])}"}
        self.complaints: list[dict] = []

    def get(self, path: str, **kwargs):
        return self.client.get(path, headers=self.headers, **kwargs)

    def post(self, path: str, **kwargs):
        return self.client.post(path, headers=self.headers, **kwargs)

    def complaint_list(self, query: str = "", name: str | None = None) -> None:
        with self.get(
            f"{API}/complaints/{query}", name=name or f"{API}/complaints/{query}",
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 200:
                self.complaints = response.json().get("results", []) or self.complaints

    def a_complaint(self) -> dict | None:
        return random.choice(self.complaints) if self.complaints else None  # noqa: S311

    @task(2)  # both kinds open a complaint of their list now and then
    def complaint_detail(self):
        complaint = self.a_complaint()
        if complaint:
            self.get(f"{API}/complaints/{complaint['id']}/", name=f"{API}/complaints/<id>/")


class Citizen(Person):
    weight = 85
    kind = "citizens"

    def on_start(self):
        super().on_start()
        # Opening the app: who am I, the home screen's figures, my complaints.
        self.get(f"{API}/auth/me/")
        self.get(f"{API}/dashboard/stats/")
        self.complaint_list()

    @task(4)
    def own_complaints(self):
        self.complaint_list()

    @task(3)
    def notifications(self):
        self.get(f"{API}/notifications/unread-count/")
        self.get(f"{API}/notifications/")

    @task(2)
    def notices(self):
        self.get(f"{API}/notices/")

    @task(2)
    def home(self):
        self.get(f"{API}/dashboard/stats/")

    @task(1)
    def payments(self):
        self.get(f"{API}/payments/services/")
        self.get(f"{API}/payments/history/")

    @task(1)
    def file_complaint(self):
        if random.random() < 0.3:  # noqa: S311 - now and then
            self.post(f"{API}/complaints/", json=FILING)


class Staff(Person):
    weight = 15
    kind = "staff"

    def on_start(self):
        super().on_start()
        self.complaint_list()

    @task(4)
    def queue(self):
        self.complaint_list()

    @task(3)
    def queue_filtered(self):
        query = random.choice(  # noqa: S311
            [
                "?status=submitted",
                "?status=in_progress&ordering=priority",
                "?ordering=-created_at",
                "?priority=high",
                "?page=2",
            ]
        )
        self.complaint_list(query, name=f"{API}/complaints/{query}")

    @task(1)
    def status_change(self):
        complaint = self.a_complaint()
        move = complaint and STATUS_MOVES.get(complaint.get("status_code", ""))
        if not move:
            return
        with self.post(
            f"{API}/complaints/{complaint['id']}/updates/",
            json={"status": move, "comment": "দল পাঠানো হয়েছে।"},
            name=f"{API}/complaints/<id>/updates/",
            catch_response=True,
        ) as response:
            # Someone else moved it first: the API's answer to a stale move, not a failure.
            if response.status_code == 409:
                response.success()

    @task(1)
    def dashboard(self):
        self.get(f"{API}/dashboard/kpi/")
