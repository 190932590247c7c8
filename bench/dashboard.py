"""The clinic's client list at 100 and at 10,000 clients, side by side, on each backend.

Usage: python bench/dashboard.py [--rounds 30] [--backend both] [--explain]

For each backend: a fresh database (a SQLite file in a temporary folder, or the PostgreSQL
database in --postgres-url, dropped and created again), `flask db upgrade`, then two clinics,
one of 100 clients and one of 10,000. Every client has four sessions three weeks apart, the
first between 100 days before and 20 days after a fixed `now`, so their plans spread over
~120 days around it. Protocols are mixed (4 in 10 scalp-nation, 4 smp-faq, 1 seven-derma,
1 smp-layering). The first client of each (protocol, start day) pair gets a real plan from
`plans.store.rebuild`; the others with the same pair get copies of its rows, inserted in bulk.
Each client ticks 45-95 % (70 % on average) of the occurrences due so far, some unticked
and ticked again; 95 % have a phone, seen in the last days (a few not for a week).

Bulk-inserted clients get their stored summaries as the migration's backfill would
(`clinic.summaries.track_all_clients` then one `refresh`, timed and printed). Times
`clinic.client_list.page` for the first page (default order and size) with `now` fixed;
the same after STALE random clients changed since the last read (their rows marked stale,
then refreshed by the read); then GET /clinic/ (the default view: who to call today, with
the counts per reason and each line's concerns in words), GET /clinic/?flag=all (everyone)
and GET /api/v1/clinic/clients (the same listing, as JSON) through the Flask test client
signed in as the clinic's clinician (rendering or serialising, and the audit entry,
included). Prints a markdown table;
--explain also prints the page query's plan for the large clinic (EXPLAIN ANALYZE on
PostgreSQL).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

import flask_migrate
from flask import current_app
from sqlalchemy import bindparam, insert, select, text, update

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from sync import fresh_database  # noqa: E402

from server import create_app  # noqa: E402
from server.clinic import summaries  # noqa: E402
from server.clinic.client_list import Filters, listing, page  # noqa: E402
from server.domain.search import name_text, phone_digits  # noqa: E402
from server.extensions import db  # noqa: E402
from server.models import (  # noqa: E402
    AdherenceEvent,
    Client,
    ClientSummary,
    Clinic,
    Clinician,
    Device,
    Plan,
    PlanOccurrence,
    TreatmentSession,
)
from server.plans.store import rebuild  # noqa: E402

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
ZONE = "Europe/London"
PROTOCOLS = ["scalp-nation"] * 4 + ["smp-faq"] * 4 + ["seven-derma", "smp-layering"]
FIRST_SESSION_DAYS = range(-100, 21)
SESSION_GAPS = (0, 21, 42, 63)
PASSWORD = "bench-password-0123456789"
STALE = 25  # clients changed (synced, edited) since the clinic's list was last read
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
FIRST = ["Alex", "Sam", "Jordan", "Chris", "Taylor", "Morgan", "Jamie", "Robin", "Lee", "Kai"]
LAST = ["Smith", "Jones", "Patel", "Nguyen", "Okafor", "Garcia", "Brown", "Khan", "Walsh", "Li"]


# --- The data ---------------------------------------------------------------------------


def add_clinic(name: str, size: int, rng: random.Random) -> tuple[int, str]:
    """A clinic of `size` clients with plans, events and phones; returns its id and email."""
    clinic = Clinic(name=name, created_at=NOW - timedelta(days=400))
    email = f"{name.lower().replace(' ', '-')}@bench.test"
    clinician = Clinician(clinic=clinic, email=email, name="Bench", created_at=clinic.created_at)
    clinician.set_password(PASSWORD)
    db.session.add(clinician)
    db.session.flush()
    people = [(i, PROTOCOLS[i % 10], rng.choice(FIRST_SESSION_DAYS)) for i in range(size)]
    templates: dict[tuple[str, int], int] = {}
    copies = []
    for i, protocol, day in people:
        if (protocol, day) in templates:
            copies.append((i, protocol, day))
            continue
        client = new_client(clinic.id, i, protocol, day, rng)
        for start, end in session_times(day):
            client.sessions.append(TreatmentSession(starts_at=start, ends_at=end))
        db.session.add(client)
        db.session.flush()
        rebuild(client, registry(), NOW)
        templates[(protocol, day)] = client.id
    copy_clients(clinic.id, copies, templates, rng)
    add_events_and_devices(clinic.id, rng)
    db.session.commit()
    return clinic.id, email


def registry():

    return current_app.extensions["protocols"]


def new_client(clinic_id: int, i: int, protocol: str, day: int, rng: random.Random) -> Client:
    loaded = registry().get(protocol)
    return Client(
        clinic_id=clinic_id,
        name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {i:05d}",
        contact=f"client{i}@example.com",
        timezone=ZONE,
        protocol_id=protocol,
        answers={q.id: q.default for q in loaded.protocol.questions},
        created_at=NOW + timedelta(days=day - 7),
    )


def session_times(day: int) -> list[tuple[datetime, datetime]]:
    zone = ZoneInfo(ZONE)
    first = NOW.astimezone(zone).date() + timedelta(days=day)
    times = []
    for gap in SESSION_GAPS:
        start = datetime.combine(first + timedelta(days=gap), clock_time(9, 0), tzinfo=zone)
        times.append((start.astimezone(UTC), (start + timedelta(hours=4)).astimezone(UTC)))
    return times


def copy_clients(clinic_id: int, copies: list, templates: dict, rng: random.Random) -> None:
    """Clients whose plan rows are copies of their template's: the same rows a rebuild makes."""
    if not copies:
        return
    rows = [new_client(clinic_id, i, protocol, day, rng) for i, protocol, day in copies]
    db.session.execute(insert(Client), [client_values(row) for row in rows])
    ids = dict(
        db.session.execute(
            select(Client.name, Client.id).where(Client.clinic_id == clinic_id)
        ).all()
    )
    pairs = zip(rows, copies, strict=True)
    template_of = {ids[row.name]: templates[(p, d)] for row, (_, p, d) in pairs}
    sources = set(template_of.values())
    occurrences = group(PlanOccurrence, sources)
    sessions = group(TreatmentSession, sources)
    plan_rows = group(Plan, sources)
    skip = {"id"}
    for table, grouped in (
        (TreatmentSession, sessions),
        (Plan, plan_rows),
        (PlanOccurrence, occurrences),
    ):
        batch = []
        for client_id, source in template_of.items():
            for row in grouped[source]:
                values = {k: v for k, v in row.items() if k not in skip}
                values["client_id"] = client_id
                batch.append(values)
            if len(batch) >= 20_000:
                db.session.execute(insert(table), batch)
                batch = []
        if batch:
            db.session.execute(insert(table), batch)


def client_values(client: Client) -> dict:
    return {
        "clinic_id": client.clinic_id,
        "name": client.name,
        "contact": client.contact,
        "timezone": client.timezone,
        "protocol_id": client.protocol_id,
        "answers": client.answers,
        "wake_time": clock_time(7, 0),
        "bed_time": clock_time(23, 0),
        "created_at": client.created_at,
        # A bulk insert skips the model's write hook: fold as it would, so search works.
        "search_text": name_text(client.name, client.contact),
        "search_phone": phone_digits(client.contact),
    }


def group(model, client_ids: set[int]) -> dict[int, list[dict]]:
    grouped: dict[int, list[dict]] = {cid: [] for cid in client_ids}
    table = model.__table__
    for row in db.session.execute(select(table).where(table.c.client_id.in_(client_ids))):
        grouped[row.client_id].append(dict(row._mapping))
    return grouped


def add_events_and_devices(clinic_id: int, rng: random.Random) -> None:
    """A phone for 95 % of clients; ticks on 40-95 % of what is due, a few unticked."""
    clients = db.session.scalars(select(Client.id).where(Client.clinic_id == clinic_id)).all()
    devices = []
    for client_id in clients:
        if rng.random() < 0.95:
            seen = NOW - timedelta(hours=rng.expovariate(1 / 20))
            devices.append(
                {
                    "client_id": client_id,
                    "token_hash": uuid.uuid4().hex + uuid.uuid4().hex,
                    "label": "iPhone",
                    "timezone": ZONE,
                    "created_at": NOW - timedelta(days=120),
                    "last_seen_at": seen,
                }
            )
    db.session.execute(insert(Device), devices)
    phone = dict(
        db.session.execute(
            select(Device.client_id, Device.id).join(Client).where(Client.clinic_id == clinic_id)
        ).all()
    )
    due = db.session.execute(
        select(
            PlanOccurrence.client_id,
            PlanOccurrence.occurrence_id,
            PlanOccurrence.due_start,
            PlanOccurrence.due_end,
        )
        .join(Client)
        .where(Client.clinic_id == clinic_id, PlanOccurrence.due_end <= NOW)
        .order_by(PlanOccurrence.client_id, PlanOccurrence.due_start)
    ).all()
    rate = {cid: rng.uniform(0.45, 0.95) for cid in clients}
    seqs = dict.fromkeys(clients, 0)
    events = []

    def event(client_id, occurrence_id, action, at):
        seqs[client_id] += 1
        received = min(at + timedelta(minutes=rng.uniform(1, 600)), NOW)
        events.append(
            {
                "client_id": client_id,
                "seq": seqs[client_id],
                "event_id": uuid.uuid4(),
                "occurrence_id": occurrence_id,
                "action": action,
                "device_at": at,
                "device_utc_offset_minutes": 0,
                "received_at": received,
                "device_id": phone.get(client_id),
            }
        )

    for client_id, occurrence_id, start, end in due:
        if rng.random() >= rate[client_id]:
            continue
        at = start + (end - start) * rng.random() * 0.9
        event(client_id, occurrence_id, "done", at)
        if rng.random() < 0.05:  # a slip of the thumb, put right a few minutes later
            event(client_id, occurrence_id, "undone", at + timedelta(minutes=2))
            event(client_id, occurrence_id, "done", at + timedelta(minutes=4))
        if len(events) >= 20_000:
            db.session.execute(insert(AdherenceEvent), events)
            events.clear()
    if events:
        db.session.execute(insert(AdherenceEvent), events)
    seq_rows = [{"cid": cid, "seq": seq} for cid, seq in seqs.items() if seq]
    if seq_rows:
        db.session.execute(
            update(Client.__table__)
            .where(Client.__table__.c.id == bindparam("cid"))
            .values(event_seq=bindparam("seq")),
            seq_rows,
        )


# --- The measures -----------------------------------------------------------------------


def percentiles(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), statistics.quantiles(samples, n=20)[-1]


def first_refresh(clinic_id: int) -> float:
    """Summaries for clients inserted in bulk (as the migration's backfill): seconds taken."""
    began = time.perf_counter()
    summaries.track_all_clients()
    refreshed = summaries.refresh(clinic_id, NOW)
    db.session.commit()
    elapsed = time.perf_counter() - began
    print(f"  {refreshed:,} summaries computed in {elapsed:.1f} s", file=sys.stderr)
    return elapsed


def time_query(clinic_id: int, rounds: int) -> list[float]:
    """client_page's first page, in milliseconds, after three rounds of warm-up."""
    samples = []
    for round_ in range(rounds + 3):
        began = time.perf_counter()
        first = page(clinic_id, NOW)
        elapsed = (time.perf_counter() - began) * 1000
        db.session.rollback()
        if round_ >= 3:
            samples.append(elapsed)
    assert len(first.items) == min(25, first.total), len(first.items)
    return samples


def time_stale_query(clinic_id: int, rounds: int, changed: int) -> list[float]:
    """client_page's first page when `changed` clients changed since the last read."""
    ids = db.session.scalars(select(Client.id).where(Client.clinic_id == clinic_id)).all()
    rng = random.Random(clinic_id)
    samples = []
    for round_ in range(rounds + 3):
        chosen = rng.sample(ids, min(changed, len(ids)))
        db.session.execute(
            update(ClientSummary)
            .where(ClientSummary.client_id.in_(chosen))
            .values(computed_at=None)
        )
        began = time.perf_counter()
        refreshed = summaries.refresh(clinic_id, NOW)
        page(clinic_id, NOW)
        elapsed = (time.perf_counter() - began) * 1000
        assert refreshed == len(chosen), refreshed
        db.session.rollback()
        if round_ >= 3:
            samples.append(elapsed)
    return samples


# The dashboard's default view ("to call today", with its counts per reason), everyone, the
# API's list, and a search that finds no one (folded: domain/search.py), so reads every client.
LIST_PATHS = ("/clinic/", "/clinic/?flag=all", "/api/v1/clinic/clients", "/clinic/?q=MULLER")


def time_http(app, email: str, rounds: int, path: str) -> list[float]:
    """GET `path` as the clinic's clinician, in milliseconds, after warm-up; the dashboard and
    the API share the sign-in cookie."""
    browser = app.test_client()
    login = browser.get("/clinic/login")
    token = TOKEN.search(login.get_data(as_text=True))
    assert token, (login.status_code, login.get_data(as_text=True)[:2000])
    token = token.group(1)
    signed_in = browser.post(
        "/clinic/login", data={"csrf_token": token, "email": email, "password": PASSWORD}
    )
    assert signed_in.status_code == 302, signed_in.status_code
    samples = []
    for round_ in range(rounds + 3):
        began = time.perf_counter()
        response = browser.get(path)
        elapsed = (time.perf_counter() - began) * 1000
        assert response.status_code == 200, response.status_code
        if round_ >= 3:
            samples.append(elapsed)
    return samples


def explain(clinic_id: int) -> str:
    """Plans of the stale-row check and the page query for this clinic (EXPLAIN ANALYZE on
    PostgreSQL, the plan on SQLite)."""
    stale = select(ClientSummary.client_id).where(summaries.stale(clinic_id, NOW))
    page = listing(clinic_id, Filters(), NOW).limit(25)
    shown = []
    for query in (stale, page):
        compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
        if db.engine.dialect.name == "postgresql":
            sql = f"EXPLAIN (ANALYZE, BUFFERS) {compiled}"
        else:
            sql = f"EXPLAIN QUERY PLAN {compiled}"
        lines = db.session.execute(text(sql)).all()
        shown.append("\n".join(" | ".join(str(c) for c in line) for line in lines))
    db.session.rollback()
    return "\n\n".join(shown)


def counts(clinic_id: int) -> dict:
    def count(model):
        return db.session.scalar(
            select(text("count(*)"))
            .select_from(model)
            .join(Client)
            .where(Client.clinic_id == clinic_id)
        )

    return {"occurrences": count(PlanOccurrence), "events": count(AdherenceEvent)}


def run(backend: str, args, folder: str) -> list[str]:
    url = fresh_database(backend, folder, args.postgres_url)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-secret-key-0123456789abcdef",
            "CLOCK": lambda: NOW,
            "RATELIMIT_ENABLED": False,
            "LOG_LEVEL": "WARNING",
        }
    )
    with app.app_context():
        flask_migrate.upgrade()
        rng = random.Random(20261123)
        began = time.perf_counter()
        clinics = {size: add_clinic(f"Clinic {size}", size, rng) for size in args.sizes}
        print(f"{backend}: set up in {time.perf_counter() - began:.0f} s", file=sys.stderr)
        for clinic_id, _ in clinics.values():
            first_refresh(clinic_id)
        if backend == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        queries = {
            size: time_query(clinic_id, args.rounds) for size, (clinic_id, _) in clinics.items()
        }
        stale = {
            size: time_stale_query(clinic_id, args.rounds, STALE)
            for size, (clinic_id, _) in clinics.items()
        }
        sizes = {size: counts(clinic_id) for size, (clinic_id, _) in clinics.items()}
        if args.explain:
            print(explain(clinics[max(args.sizes)][0]), file=sys.stderr)
    # Outside the app context above: each request gets its own, as in a server.
    pages = {
        (size, path): time_http(app, email, args.rounds, path)
        for size, (_, email) in clinics.items()
        for path in LIST_PATHS
    }
    with app.app_context():
        db.engine.dispose()
    small = min(args.sizes)
    rows = []
    for size in args.sizes:
        query, after = percentiles(queries[size]), percentiles(stale[size])
        cells = [
            backend,
            f"{size:,}",
            f"{sizes[size]['occurrences']:,}",
            f"{sizes[size]['events']:,}",
            f"{query[0]:.1f}",
            f"{query[1]:.1f}",
            f"{query[0] / statistics.median(queries[small]):.1f}x",
            f"{after[0]:.1f}",
            f"{after[0] / statistics.median(stale[small]):.1f}x",
        ]
        for path in LIST_PATHS:
            page = percentiles(pages[size, path])
            ratio = page[0] / statistics.median(pages[small, path])
            cells += [f"{page[0]:.1f}", f"{page[1]:.1f}", f"{ratio:.1f}x"]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--postgres-url", default="postgresql://postgres@127.0.0.1:5432/aftercue_dashbench"
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    os.environ.setdefault("VAPID_PRIVATE_KEY", "IQ9Ur0ykXoHS9gzfYX0aBjy9lvdrjx_PFUXmie9YRcY")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for backend in backends:
            rows += run(backend, args, folder)
    print(
        "| backend | clients | occurrences | events | query p50 ms | p95 ms | ratio "
        f"| {STALE} stale p50 ms | ratio | GET /clinic/ (to call today) p50 ms | p95 ms | ratio "
        "| GET /clinic/?flag=all p50 ms | p95 ms | ratio "
        "| GET /api/v1/clinic/clients p50 ms | p95 ms | ratio "
        "| GET /clinic/?q=MULLER p50 ms | p95 ms | ratio |"
    )
    print("|---" + "|---:" * 20 + "|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
