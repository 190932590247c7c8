"""What changed between two versions of a protocol, in words a clinic reads before it moves
clients: each task, restriction, card and question added, gone or changed (and in what)."""

from __future__ import annotations

from collections.abc import Mapping

# The lists of a protocol whose items have ids, and what one item of each is called.
KINDS = {"tasks": "task", "restrictions": "restriction", "cards": "card", "questions": "question"}
# A changed field as a clinic would say it; a field not listed is named as the file spells it.
FIELDS = {
    "windows": "when",
    "title": "name",
    "label": "wording",
    "how": "instructions",
    "detail": "wording",
    "body": "wording",
    "lifted": "wording",
    "per_day": "times a day",
    "placement": "time of day",
    "when": "who it is for",
    "blocked_by": "what it waits for",
    "after": "what it follows",
    "options": "answers",
}
TOP_LEVEL = {
    "spacing": "session spacing",
    "summary": "summary",
    "title": "protocol name",
    "checkin": "check-in",
}


def protocol_changes(before: Mapping, after: Mapping) -> list[str]:
    """Each difference from `before` to `after` (two bundles' content) as one sentence."""
    said = []
    for key, kind in KINDS.items():
        old = {item["id"]: item for item in before.get(key, [])}
        new = {item["id"]: item for item in after.get(key, [])}
        for item_id, item in new.items():
            name = _name(item)
            if item_id not in old:
                said.append(f"New {kind}: {name}")
            elif item != old[item_id]:
                fields = sorted(
                    k
                    for k in item.keys() | old[item_id].keys()
                    if item.get(k) != old[item_id].get(k)
                )
                words = sorted({FIELDS.get(field, field) for field in fields})
                said.append(f"{kind.capitalize()} {name}: {', '.join(words)} changed")
        said += [f"No longer a {kind}: {_name(item)}" for i, item in old.items() if i not in new]
    for key, words in TOP_LEVEL.items():
        if before.get(key) != after.get(key):
            said.append(f"The {words} changed")
    return said


def _name(item: Mapping) -> str:
    return f"“{item.get('title') or item.get('label') or item['id']}”"
