"""Before moving clients to a new protocol version, the clinic reads what changed, in words."""

import copy
import tomllib
from pathlib import Path

from server.domain.protocol_changes import protocol_changes

SCALP_NATION = Path(__file__).resolve().parents[2] / "protocols" / "scalp-nation.toml"


def shipped():
    return tomllib.loads(SCALP_NATION.read_text(encoding="utf-8"))


def item(content, key, item_id):
    return next(i for i in content[key] if i["id"] == item_id)


def test_the_same_protocol_has_no_changes():
    assert protocol_changes(shipped(), shipped()) == []


def test_a_longer_ban_a_new_task_and_a_removed_card_are_each_said_once():
    before = shipped()
    after = copy.deepcopy(before)
    after["version"] = "2099.1"  # the label alone is not a change to the plan
    item(after, "restrictions", "no-shaving")["windows"][0]["end"] = {"day": 6}
    item(after, "tasks", "balm")["how"] = "A thinner layer than before."
    after["tasks"].append({**item(after, "tasks", "cleanse"), "id": "rinse", "title": "Rinse"})
    after["cards"] = [c for c in after["cards"] if c["id"] != "redness"]
    assert protocol_changes(before, after) == [
        "Task “Apply balm”: instructions changed",
        "New task: “Rinse”",
        "Restriction “No shaving”: when changed",
        f"No longer a card: “{item(before, 'cards', 'redness')['title']}”",
    ]
