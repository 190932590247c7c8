"""The app (pwa/js/shared/fold.js) and the server (server/domain/sync.py) fold events alike."""

import json
import random
import subprocess
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from server.domain.sync import Event, fold, to_milliseconds

CLI = Path(__file__).parent / "js" / "fold_cli.mjs"
OFFSETS = [timedelta(0), timedelta(hours=1), timedelta(hours=-8), timedelta(hours=5, minutes=45)]


def random_sets(seed: int, count: int):
    rng = random.Random(seed)
    base = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    for _ in range(count):
        events = []
        for _ in range(rng.randint(1, 12)):
            # Few distinct instants, so ties on time (broken by id) are common.
            instant = base + timedelta(milliseconds=rng.choice([0, 1, 999, 1000, 3_600_000]))
            at = to_milliseconds(instant.astimezone(timezone(rng.choice(OFFSETS))))
            events.append(
                Event(
                    uuid.UUID(int=rng.getrandbits(128)),
                    rng.choice("ab"),
                    rng.choice(["done", "undone"]),
                    at,
                )
            )
        yield events


def test_javascript_and_python_agree_on_every_fold():
    sets = list(random_sets(seed=20261123, count=400))
    payload = [
        [
            {
                "id": str(e.id),
                "occurrence": e.occurrence,
                "action": e.action,
                "at": e.at.isoformat(timespec="milliseconds"),
            }
            for e in events
        ]
        for events in sets
    ]
    result = subprocess.run(
        ["node", str(CLI)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    from_js = json.loads(result.stdout)
    from_python = [fold(events) for events in sets]
    assert from_js == from_python
    assert any(len({e.at.astimezone(UTC) for e in s}) < len(s) for s in sets)  # ties were exercised
