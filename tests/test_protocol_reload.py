"""A running server re-reads changed protocol files: each process on its own, every few
seconds at most, keeping a protocol's last good version while its file is broken."""

import logging

from server.plans.registry import Registry
from tests.support.protocol_files import minimal, write


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


def registry_of(folder, clock, recheck_seconds=5):
    return Registry(folder, recheck_seconds, clock=clock)


def test_a_changed_file_is_picked_up_at_the_next_check_without_a_restart(tmp_path):
    clock = Clock()
    path = write(tmp_path, minimal("good"), "good")
    registry = registry_of(tmp_path, clock)
    first = registry.get("good").bundle_version
    path.write_text(
        minimal("good").replace(
            "end = { day = 4 } }]\n\n[[tasks]]", "end = { day = 6 } }]\n\n[[tasks]]", 1
        )
    )
    clock.seconds += 4.9
    assert registry.get("good").bundle_version == first, "not checked again so soon"
    clock.seconds += 0.1
    second = registry.get("good")
    assert second.bundle_version != first
    assert second.protocol.restrictions[0].windows[0].end.value == 6


def test_an_invalid_change_keeps_the_last_good_version_and_says_why(tmp_path, caplog):
    clock = Clock()
    path = write(tmp_path, minimal("good"), "good")
    registry = registry_of(tmp_path, clock)
    good = registry.get("good").bundle_version
    path.write_text(minimal("good").replace('after = "cleanse"', 'after = "nothing"'))
    clock.seconds += 5
    with caplog.at_level(logging.ERROR, logger="server.plans.registry"):
        kept = registry.get("good")
    assert kept is not None and kept.bundle_version == good
    assert [p.protocol.id for p in registry] == ["good"]
    assert [str(e) for e in registry.errors] == [
        "good.toml: tasks[1] (balm).after: no task 'nothing'"
    ]
    assert f"version {good} kept" in caplog.text
    path.write_text(minimal("good").replace("Keep it dry.", "Keep it quite dry."))
    clock.seconds += 5
    assert registry.get("good").bundle_version != good, "the fixed file is taken"
    assert registry.errors == []


def test_a_new_file_is_offered_and_a_removed_one_is_not(tmp_path):
    clock = Clock()
    write(tmp_path, minimal("good"), "good")
    registry = registry_of(tmp_path, clock)
    write(tmp_path, minimal("later"), "later")
    (tmp_path / "good.toml").unlink()
    clock.seconds += 5
    assert [p.protocol.id for p in registry] == ["later"]


def test_an_unchanged_file_is_not_parsed_again(tmp_path, monkeypatch):
    clock = Clock()
    write(tmp_path, minimal("good"), "good")
    registry = registry_of(tmp_path, clock)
    before = registry.get("good")
    monkeypatch.setattr("server.plans.registry.load_file", lambda path: 1 / 0)
    clock.seconds += 60
    assert registry.get("good") is before


def test_a_folder_emptied_for_a_moment_keeps_every_protocol(tmp_path):
    clock = Clock()
    path = write(tmp_path, minimal("good"), "good")
    registry = registry_of(tmp_path, clock)
    text = path.read_text()
    path.unlink()
    clock.seconds += 5
    assert [p.protocol.id for p in registry] == ["good"]
    assert [e.reason for e in registry.errors] == ["no *.toml protocol files found"]
    path.write_text(text)
    clock.seconds += 5
    assert [p.protocol.id for p in registry] == ["good"] and registry.errors == []
