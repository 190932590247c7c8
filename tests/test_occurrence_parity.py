"""The app (pwa/js/shared/occurrence.js) and the server (server/domain/occurrence.py) give an
occurrence the same state: done, open, missed or optional-not-done."""

import json
import random
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from server.domain import occurrence

CLI = Path(__file__).parent / "js" / "occurrence_cli.mjs"
NOW = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
# Due ends on both sides of now, and on it, to the millisecond the app can tell apart.
NEAR = [timedelta(0), timedelta(milliseconds=1), timedelta(hours=1), timedelta(days=3)]
OFFSETS = [timedelta(0), timedelta(hours=1), timedelta(hours=-8), timedelta(hours=5, minutes=45)]


def cases(seed: int, count: int):
    rng = random.Random(seed)
    for _ in range(count):
        due_end = NOW + rng.choice([-1, 1]) * rng.choice(NEAR)
        yield (
            rng.random() < 0.4,
            rng.random() < 0.3,
            due_end.astimezone(timezone(rng.choice(OFFSETS))),
        )


def test_javascript_and_python_give_every_occurrence_the_same_state():
    chosen = list(cases(seed=20261206, count=600))
    now_ms = int(NOW.timestamp() * 1000)
    payload = [
        [done, optional, due_end.isoformat(timespec="milliseconds"), now_ms]
        for done, optional, due_end in chosen
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
    from_python = [occurrence.state(done, optional, end, NOW) for done, optional, end in chosen]
    assert from_js == from_python
    assert set(from_python) == {"done", "open", "missed", "optional-not-done"}
