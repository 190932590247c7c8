"""The stored client list equals adherence's full computation, for any history and any clock.

Random histories go through the real use cases (rebuild, sync, issue_device) with the clock
moving forward by uneven steps and sometimes back; after each step the list read from
client_summaries (refreshed as a page read refreshes it) must equal the list computed afresh
from `adherence.for_storage` for every client, row for row: order, every summary column,
filters, search and pages.
"""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select, update

from server.clinic import concerns
from server.clinic.adherence import SUMMARY_COLUMNS, done_occurrences, for_storage
from server.clinic.client_list import Filters, by_need, flagged, matching, page
from server.clinic.concerns import open_now
from server.clinic.summaries import refresh, refresh_all
from server.domain.flags import FLAGS
from server.domain.sync import Event
from server.extensions import db
from server.models import Client, ClientNote, ClientSummary, Clinic, Concern, Device, PlanOccurrence
from server.phone.devices import issue_device
from server.phone.sync import sync
from server.plans.store import rebuild
from tests.support.clinics import add_client, tick_all
from tests.support.factories import days_from, new_client, with_plan

BASE = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
NAMES = ["alex", "Alex", "ALEX b", "Bo", "bo", "Émile", "Zoë"]
FILTERS = [
    Filters(),
    *(Filters(flag=flag) for flag in FLAGS),
    Filters(q="al"),
    Filters(q="bo", flag="needs_call"),
]
# Clock steps in hours: minutes (no task falls due: only a marked row is recomputed), a
# task's window, a day, the 48 hours of silence, and weeks (past the end of a plan).
HOURS = [0, 0.02, 0.2, 1, 3, 7, 13, 24, 47, 48, 49, 72, 24 * 9, 24 * 30]

step = st.one_of(
    st.tuples(
        st.just("add_client"),
        st.sampled_from(NAMES),
        st.sampled_from(["scalp-nation", "smp-layering"]),
        st.lists(st.integers(-60, 12), min_size=1, max_size=3),
    ),
    st.tuples(
        st.just("ticks"),
        st.integers(0, 9),
        st.lists(st.tuples(st.integers(0, 200), st.sampled_from(["done", "undone"])), max_size=12),
    ),
    st.tuples(st.just("seen"), st.integers(0, 9)),
    st.tuples(st.just("phone"), st.integers(0, 9)),
    st.tuples(st.just("move"), st.integers(0, 9), st.integers(-6, 6)),
    st.tuples(st.just("rename"), st.integers(0, 9), st.sampled_from(NAMES)),
    st.tuples(st.just("handle"), st.integers(0, 9)),
    st.tuples(st.just("later"), st.sampled_from(HOURS)),
    st.tuples(st.just("earlier"), st.sampled_from(HOURS)),
)


def listed(lines) -> list[tuple]:
    return [
        (line.client.id, *(getattr(line.summary, n) for n in SUMMARY_COLUMNS)) for line in lines
    ]


def computed(clinic_id: int, now: datetime, filters: Filters | None = None, client_id=None):
    """The list as the full computation gives it at `now`, ignoring what is stored."""
    return computed_for(clinic_id, now, [filters or Filters()], client_id)[0]


def computed_for(clinic_id: int, now: datetime, filters: list[Filters], client_id=None):
    """`computed` for several filters: the concerns are kept for `now` first (as a refresh
    keeps them), then rolled back."""
    clients = select(Client.id).where(Client.clinic_id == clinic_id)
    if client_id is not None:
        clients = clients.where(Client.id == client_id)
    nested = db.session.begin_nested()
    try:
        concerns.keep(db.session.scalars(clients).all(), now, done_occurrences(clients))
        return [_computed(clients, now, each) for each in filters]
    finally:
        nested.rollback()


def _computed(clients, now: datetime, filters: Filters | None) -> list[tuple]:
    fresh = for_storage(clients, now)
    query = select(fresh.c.client_id, *(fresh.c[name] for name in SUMMARY_COLUMNS)).join(
        Client, Client.id == fresh.c.client_id
    )
    filters = filters or Filters()
    if filters.q:
        query = query.where(matching(filters.q))
    if filters.flag:
        query = query.where(flagged(filters.flag, fresh.c, now))
    return [tuple(row) for row in db.session.execute(query.order_by(*by_need(fresh.c)))]


def assert_list_matches(clinic_id: int, now: datetime) -> None:
    """Every filter's stored list, whole and one middle page, equals the full computation."""
    for filters, expected in zip(FILTERS, computed_for(clinic_id, now, FILTERS), strict=True):
        whole = page(clinic_id, now, per_page=1000, filters=filters)
        assert (listed(whole.items), whole.total) == (expected, len(expected)), filters
        second = page(clinic_id, now, 2, per_page=2, filters=filters)
        assert (listed(second.items), second.total) == (expected[2:4], len(expected))
    db.session.commit()  # as the view does: refreshed rows stay refreshed
    assert refresh(clinic_id, now) == 0  # a row just computed for `now` holds at `now`
    assert_rows_hold_until_refresh_after(clinic_id)


def assert_rows_hold_until_refresh_after(clinic_id: int) -> None:
    """Each stored row still equals the full computation just before its refresh_after.

    The page would serve it unchanged up to then, so this is the claim the clock relies on.
    """
    stored = db.session.scalars(
        select(ClientSummary).where(ClientSummary.clinic_id == clinic_id)
    ).all()
    for row in stored:
        until = row.refresh_after or row.computed_at + timedelta(days=400)
        last_moment = until - timedelta(microseconds=1)
        [expected] = computed(clinic_id, last_moment, client_id=row.client_id)
        assert (row.client_id, *(getattr(row, name) for name in SUMMARY_COLUMNS)) == expected


class History:
    """One clinic, driven through the use cases with a clock of its own."""

    def __init__(self, app):
        self.registry = app.extensions["protocols"]
        self.now = BASE
        clinic = Clinic(name=f"Clinic {uuid.uuid4()}", created_at=BASE - timedelta(days=30))
        db.session.add(clinic)
        db.session.commit()
        self.clinic_id = clinic.id
        self.clients: list[int] = []

    def client(self, index: int) -> Client | None:
        if not self.clients:
            return None
        return db.session.get(Client, self.clients[index % len(self.clients)])

    def apply(self, move) -> None:
        kind, *args = move
        getattr(self, kind)(*args)
        db.session.commit()

    def later(self, hours: float) -> None:
        self.now += timedelta(hours=hours)

    def earlier(self, hours: float) -> None:
        self.now -= timedelta(hours=hours)

    def add_client(self, name, protocol, session_days):
        client = new_client(
            clinic_id=self.clinic_id,
            name=name,
            protocol=protocol,
            created_at=self.now - timedelta(days=20),
            sessions=days_from(self.now - timedelta(hours=3), sorted(set(session_days))),
        )
        with_plan(client, self.registry, self.now)
        self.clients.append(client.id)

    def ticks(self, index, taps):
        client = self.client(index)
        if client is None:
            return
        device = db.session.scalar(select(Device).where(Device.client_id == client.id))
        if device is None:  # connected when the client was added: what fell due since counts
            device, _ = issue_device(client.id, "phone", client.created_at)
            db.session.flush()
        occurrences = client.plan.content["occurrences"]
        events = [
            Event(
                uuid.uuid4(),
                occurrences[which % len(occurrences)]["id"],
                action,
                (self.now - timedelta(minutes=number)).replace(microsecond=0),
            )
            for number, (which, action) in enumerate(taps)
        ]
        sync(device, events, 0, None, self.now)

    def seen(self, index):
        self.ticks(index, [])

    def phone(self, index):
        if (client := self.client(index)) is not None:
            issue_device(client.id, "tablet", self.now)

    def move(self, index, days):
        client = self.client(index)
        if client is None:
            return
        session = client.sessions[0]
        session.starts_at += timedelta(days=days)
        session.ends_at += timedelta(days=days)
        db.session.flush()
        db.session.expire(client, ["sessions"])
        rebuild(client, self.registry, self.now)

    def rename(self, index, name):
        if (client := self.client(index)) is not None:
            client.name = name

    def handle(self, index):
        """A clinician handles the client's open concerns, as the call list's form does."""
        if (client := self.client(index)) is None:
            return
        note = ClientNote(client_id=client.id, outcome="called", text="", at=self.now)
        db.session.add(note)
        db.session.flush()
        db.session.execute(
            update(Concern)
            .where(Concern.client_id == client.id, open_now(self.now))
            .values(handled_by_id=note.id)
        )


@pytest.mark.slow
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(moves=st.lists(step, min_size=1, max_size=16))
def test_the_stored_list_equals_the_full_computation(app, moves):
    with app.app_context():
        history = History(app)
        for move in moves:
            history.apply(move)
            assert_list_matches(history.clinic_id, history.now)


def test_a_page_read_refreshes_only_what_changed_or_fell_due(app, world, now):
    with app.app_context():
        page(world.a.clinic_id, now)
        db.session.commit()
        stored = db.session.get(ClientSummary, world.a.client_id)
        change = stored.refresh_after
        assert stored.computed_at == now and change > now
        # Nothing changed and the clock has not reached refresh_after: nothing recomputed.
        page(world.a.clinic_id, change - timedelta(microseconds=1))
        db.session.refresh(stored)
        assert stored.computed_at == now
        # At refresh_after a task falls due (or a window closes): recomputed for that moment.
        page(world.a.clinic_id, change)
        db.session.refresh(stored)
        assert stored.computed_at == change and stored.refresh_after > change
        # A write to an input marks the row stale in its own transaction.
        db.session.get(Device, world.a.device_id).last_seen_at = now
        db.session.flush()
        db.session.refresh(stored)
        assert stored.computed_at is None
        db.session.rollback()


def test_the_worker_refreshes_every_clinic_a_batch_per_transaction(app, world, now):
    for name in ("Ana", "Ben", "Cy"):
        add_client(app, now, world.a.clinic_id, name)
    with app.app_context():
        commits = []
        count = commits.append
        event.listen(db.session, "after_commit", count)
        try:
            assert refresh_all(now, batch=2) == 5  # clinic A's four clients, then B's one
        finally:
            event.remove(db.session, "after_commit", count)
        assert len(commits) >= 3  # A: 2 + 2, B: 1
        assert set(db.session.scalars(select(ClientSummary.computed_at))) == {now}
        assert refresh_all(now, batch=2) == 0
        assert_list_matches(world.a.clinic_id, now)
        assert_list_matches(world.b.clinic_id, now)


def test_a_reminder_pass_leaves_no_stale_summary(app, world, runner):
    with app.app_context():
        assert None in set(db.session.scalars(select(ClientSummary.computed_at)))
    result = runner.invoke(args=["reminders", "send-due"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert None not in set(db.session.scalars(select(ClientSummary.computed_at)))


def test_the_migration_backfills_every_client(app, world, now, runner):
    for args in (["db", "downgrade", "5d1c0e7a9b42"], ["db", "upgrade"]):
        assert runner.invoke(args=args).exit_code == 0
    with app.app_context():
        stored = db.session.scalars(select(ClientSummary.computed_at)).all()
        assert len(stored) == 2 and stored == [None, None]
        assert_list_matches(world.a.clinic_id, now)
        assert_list_matches(world.b.clinic_id, now)


def test_a_silent_client_stops_needing_a_call_48_hours_after_the_last_task(app, world, now):
    # Every task ticked (on paper: no phone ever synced), so nothing missed on days 1 to 4;
    # silent since being added, so a call is due only while tasks fell due in the last 48
    # hours. After the plan's last task that ends with the clock alone.
    client_id = add_client(app, now, world.a.clinic_id, "Quiet", session_days=(-1,))
    with app.app_context():
        last_due = db.session.scalar(
            select(func.max(PlanOccurrence.due_end)).where(
                PlanOccurrence.client_id == client_id, PlanOccurrence.optional.is_(False)
            )
        )
    assert last_due > now + timedelta(hours=49)
    tick_all(app, client_id, last_due)
    with app.app_context():
        for moment, needs_call in [
            (now + timedelta(hours=49), True),
            (last_due + timedelta(hours=1), True),
            (last_due + timedelta(hours=48), False),
        ]:
            listed_quiet = page(world.a.clinic_id, moment, filters=Filters(q="Quiet")).items
            assert [
                (line.summary.critical_missed, line.summary.needs_call) for line in listed_quiet
            ] == [(0, needs_call)]
            assert_list_matches(world.a.clinic_id, moment)


def test_never_synced_turns_into_no_sync_just_after_48_hours(app, world, now):
    add_client(app, now, world.a.clinic_id, "New", session_days=(10,))
    with app.app_context():
        for moment, no_sync in [
            (now + timedelta(hours=48), False),
            (now + timedelta(hours=48, microseconds=1), True),
        ]:
            listed_new = page(world.a.clinic_id, moment, filters=Filters(q="New")).items
            assert [line.summary.no_sync for line in listed_new] == [no_sync]
            assert_list_matches(world.a.clinic_id, moment)
