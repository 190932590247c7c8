"""Editing a copy of the shipped protocols as a clinic would: a longer duration, a new version."""

import re
import shutil
import tomllib
from pathlib import Path

SHIPPED = Path(__file__).resolve().parents[2] / "protocols"


def shipped_version(protocol_id: str) -> str:
    """The `version` label of a shipped protocol file, as its clients see it."""
    with (SHIPPED / f"{protocol_id}.toml").open("rb") as file:
        return tomllib.load(file)["version"]


def copy_shipped(folder: Path) -> Path:
    """The shipped protocol files, copied to `folder` (created)."""
    shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns("*.md"))
    return folder


def lengthen(path: Path, item_id: str, days: int, version: str) -> None:
    """End the item's first window `days` later (in days or hours, as the file says) and give
    the protocol a new `version`."""
    text = path.read_text(encoding="utf-8")
    start = text.index(f'id = "{item_id}"')
    end = re.compile(r"end = \{ (day|hours) = (\d+) \}").search(text, start)
    unit, amount = end.group(1), int(end.group(2))
    longer = amount + (days if unit == "day" else 24 * days)
    text = f"{text[: end.start()]}end = {{ {unit} = {longer} }}{text[end.end() :]}"
    text = re.sub(r'^version = ".*"$', f'version = "{version}"', text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
