"""The protocol registry: protocols/*.toml loaded, validated and turned into domain objects and
the JSON bundles the app receives."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from marshmallow import ValidationError

from ..domain.checkins import AnswerKind, Basis, Checkin, CheckinQuestion, RedFlag
from ..domain.protocol import (
    Anchor,
    Boundary,
    BoundaryKind,
    Card,
    Option,
    PerDay,
    Placement,
    Protocol,
    Question,
    Restriction,
    SpacingRule,
    Task,
    WindowSpec,
)
from ..schemas.protocol_file import ProtocolSchema, flatten_errors
from .translations import is_overlay, languages_of, overlay_paths, read_overlay, untranslated

log = logging.getLogger(__name__)
BUNDLE_FORMAT = 1


@dataclass(frozen=True)
class ProtocolError:
    """One problem in one protocol file: which file, which field, and why."""

    path: Path
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path.name}: {self.field}: {self.reason}"


class InvalidProtocol(Exception):
    def __init__(self, errors: list[ProtocolError]) -> None:
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors


@dataclass(frozen=True)
class LoadedProtocol:
    protocol: Protocol
    bundle: Mapping  # what is stored and served, translations included, with its version
    path: Path
    # Texts a claimed language lacks: `protocols check` fails on them, a plan falls back.
    untranslated: tuple[ProtocolError, ...] = ()

    @property
    def bundle_version(self) -> str:
        return self.bundle["bundle_version"]


def load_file(path: Path) -> LoadedProtocol:
    """Read, validate and convert one protocol file; raises InvalidProtocol."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidProtocol([ProtocolError(path, "(file)", f"cannot read: {error}")]) from error
    except tomllib.TOMLDecodeError as error:
        raise InvalidProtocol(
            [ProtocolError(path, "(file)", f"not valid TOML: {error}")]
        ) from error
    try:
        data = ProtocolSchema().load(raw)
    except ValidationError as error:
        problems = [
            ProtocolError(path, field, reason)
            for field, reason in flatten_errors(error.messages, raw)
        ]
        raise InvalidProtocol(problems) from error
    if data["id"] != path.stem:
        raise InvalidProtocol(
            [ProtocolError(path, "id", f"must match the file name ({path.stem!r})")]
        )
    translations, untranslated_texts = _translations(path, data)
    return LoadedProtocol(
        protocol=to_domain(data),
        bundle=to_bundle(data, translations),
        path=path,
        untranslated=untranslated_texts,
    )


def _translations(path: Path, data: Mapping) -> tuple[dict, tuple[ProtocolError, ...]]:
    """The overlays' texts by language, and what the claimed languages lack; InvalidProtocol
    when an overlay says more than texts (a time, a count, an unknown id)."""
    overlays = overlay_paths(path)
    translations, problems, missing = {}, [], []
    for language, overlay in overlays.items():
        texts, found = read_overlay(overlay, language, data)
        problems += [ProtocolError(overlay, field, reason) for field, reason in found]
        translations[language] = texts
    if problems:
        raise InvalidProtocol(problems)
    for language in languages_of(data)[1:]:
        overlay = path.with_name(f"{path.stem}.{language}.toml")
        if language not in translations:
            missing.append(
                ProtocolError(overlay, "(file)", f"missing: the protocol claims {language!r}")
            )
            continue
        missing += [
            ProtocolError(overlay, field, f"no {language!r} text: the protocol claims {language!r}")
            for field in untranslated(data, translations[language])
        ]
    return translations, tuple(missing)


def load_directory(directory: Path) -> tuple[dict[str, LoadedProtocol], list[ProtocolError]]:
    """Every valid protocol in `directory`, and the problems of the invalid ones."""
    loaded: dict[str, LoadedProtocol] = {}
    errors: list[ProtocolError] = []
    for path in _protocol_files(Path(directory)):
        try:
            protocol = load_file(path)
        except InvalidProtocol as error:
            errors += error.errors
            continue
        loaded[protocol.protocol.id] = protocol
    for overlay in sorted(Path(directory).glob("*.*.toml")):
        main = overlay.with_name(f"{overlay.name.split('.', 1)[0]}.toml")
        if not main.exists():
            errors.append(
                ProtocolError(overlay, "(file)", f"a translation of {main.name}, not found")
            )
    if not loaded and not errors:
        errors.append(ProtocolError(Path(directory), "(folder)", "no *.toml protocol files found"))
    return loaded, errors


def _protocol_files(directory: Path) -> list[Path]:
    """The protocol files of a folder, without the translations beside them."""
    return [path for path in sorted(directory.glob("*.toml")) if not is_overlay(path)]


def to_bundle(data: Mapping, translations: Mapping | None = None) -> dict:
    """The validated protocol as JSON, with its translations (language -> texts by id),
    versioned by a hash of both: one version for all its languages, as the clinic moves
    clients between versions, not languages (plans/translations.py serves one language)."""
    content = {**data, "translations": dict(translations)} if translations else dict(data)
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    version = hashlib.sha256(canonical.encode()).hexdigest()[:16]
    return {"format": BUNDLE_FORMAT, "bundle_version": version, **content}


def to_domain(data: Mapping) -> Protocol:
    return Protocol(
        id=data["id"],
        title=data["title"],
        version=data["version"],
        source=data["source"],
        summary=data.get("summary", ""),
        questions=tuple(
            Question(
                q["id"],
                q["label"],
                tuple(Option(o["value"], o["label"]) for o in q["options"]),
                q["default"],
            )
            for q in data["questions"]
        ),
        tasks=tuple(_task(t) for t in data["tasks"]),
        restrictions=tuple(
            Restriction(
                id=r["id"],
                title=r["title"],
                detail=r["detail"],
                category=r["category"],
                windows=_windows(r["windows"]),
                lifted=r.get("lifted"),
                when=_condition(r),
                supersedes=tuple(r.get("supersedes", ())),
            )
            for r in data["restrictions"]
        ),
        cards=tuple(
            Card(
                c["id"],
                c["kind"],
                c["title"],
                c["body"],
                _windows(c.get("windows", [])),
                _condition(c),
            )
            for c in data.get("cards", [])
        ),
        spacing=tuple(
            SpacingRule(s["min_days"], s.get("max_days"), s.get("note", ""), _condition(s))
            for s in data.get("spacing", [])
        ),
        checkin=_checkin(data["checkin"]) if "checkin" in data else None,
    )


def _checkin(c: Mapping) -> Checkin:
    return Checkin(
        title=c["title"],
        meanwhile=c["meanwhile"],
        placement=Placement(c["placement"]),
        windows=_windows(c["windows"]),
        questions=tuple(
            CheckinQuestion(
                q["id"],
                AnswerKind(q["kind"]),
                q["label"],
                tuple(Option(o["value"], o["label"]) for o in q.get("options", [])),
            )
            for q in c["questions"]
        ),
        red_flags=tuple(
            RedFlag(
                id=f["id"],
                question=f["question"],
                reason=f["reason"],
                basis=Basis(f["basis"]),
                answers=frozenset(f.get("answers", ())),
                at_least=f.get("at_least"),
                from_day=f.get("from_day", 1),
            )
            for f in c.get("red_flags", [])
        ),
    )


def _task(t: Mapping) -> Task:
    per_day = t.get("per_day", {"min": 1, "target": 1})
    return Task(
        id=t["id"],
        title=t["title"],
        how=t["how"],
        product=t.get("product"),
        windows=_windows(t["windows"]),
        placement=Placement(t.get("placement", Placement.SPREAD)),
        per_day=PerDay(per_day["min"], per_day["target"]),
        after=t.get("after"),
        blocked_by=tuple(t.get("blocked_by", ())),
        min_gap_hours=t.get("min_gap_hours", 3.0),
        when=_condition(t),
        optional=t.get("optional", False),
        categories=tuple(t.get("categories", ())),
        during=tuple(t.get("during", ())),
    )


def _windows(windows) -> tuple[WindowSpec, ...]:
    return tuple(
        WindowSpec(
            Anchor(w["anchor"]), _boundary(w["start"]), _boundary(w["end"]) if "end" in w else None
        )
        for w in windows
    )


def _boundary(b: Mapping) -> Boundary:
    ((kind, value),) = b.items()
    return Boundary(BoundaryKind(kind), value)


def _condition(item: Mapping) -> dict[str, frozenset[str]]:
    return {question: frozenset(values) for question, values in item.get("when", {}).items()}


def init_app(app) -> None:
    """Load the protocols at start-up; a broken file is skipped, not fatal."""
    app.extensions["protocols"] = Registry(
        app.config["PROTOCOLS_DIR"], app.config["PROTOCOLS_RECHECK_SECONDS"]
    )


@dataclass(frozen=True)
class _File:
    """One protocol file as last read: its content's hash, and its last good version."""

    digest: str
    loaded: LoadedProtocol | None
    errors: tuple[ProtocolError, ...] = ()


class Registry:
    """The protocols a running server offers, re-read when their files change.

    Every process checks the folder itself, on access and at most every `recheck_seconds`,
    so a corrected file reaches every gunicorn worker within seconds without a restart or a
    signal. A file that turns invalid keeps its last good version (and says why in `errors`
    and the log): a typo never takes a protocol away from new clients.
    """

    def __init__(self, directory: Path, recheck_seconds: float = 5, clock=time.monotonic) -> None:
        self.directory = Path(directory)
        self.recheck_seconds = recheck_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._files: dict[Path, _File] = {}
        self._checked_at: float | None = None
        self.protocols: dict[str, LoadedProtocol] = {}
        self.errors: list[ProtocolError] = []
        self.refresh(force=True)

    def refresh(self, force: bool = False) -> None:
        """Re-read the files changed since the last check, if that was long enough ago (or
        `force`); while another thread checks, what is loaded is served."""
        moment = self._clock()
        due = self._checked_at is None or moment - self._checked_at >= self.recheck_seconds
        if not (due or force) or not self._lock.acquire(blocking=force):
            return
        try:
            self._checked_at = moment
            paths = _protocol_files(self.directory)
            if not paths:
                # A folder emptied or unmounted mid-deploy: keep what was read, say so.
                empty = ProtocolError(self.directory, "(folder)", "no *.toml protocol files found")
                self.errors = [empty]
                if self._files:
                    log.error("%s; the protocols read before are kept", empty)
                return
            for gone in sorted(self._files.keys() - set(paths)):
                log.warning("protocol file removed, its protocol is no longer offered: %s", gone)
            self._files = {path: self._read(path) for path in paths}
            self.protocols = {
                file.loaded.protocol.id: file.loaded for file in self._files.values() if file.loaded
            }
            self.errors = [error for file in self._files.values() for error in file.errors]
        finally:
            self._lock.release()

    def _read(self, path: Path) -> _File:
        """The file's state now: parsed again only when its content changed."""
        before = self._files.get(path)
        # Its translations are part of its content: a corrected overlay is re-read too.
        digest = _digest([path, *overlay_paths(path).values()])
        if before is not None and before.digest == digest:
            return before
        last_good = before.loaded if before else None
        try:
            loaded = load_file(path)
        except InvalidProtocol as error:
            for problem in error.errors:
                if last_good is None:
                    log.error("protocol skipped: %s", problem)
                else:
                    log.error(
                        "protocol file invalid, version %s kept: %s",
                        last_good.bundle_version,
                        problem,
                    )
            return _File(digest, last_good, tuple(error.errors))
        if last_good is not None and last_good.bundle_version != loaded.bundle_version:
            log.info(
                "protocol %s reloaded: version %s -> %s",
                loaded.protocol.id,
                last_good.bundle_version,
                loaded.bundle_version,
            )
        return _File(digest, loaded)

    def get(self, protocol_id: str) -> LoadedProtocol | None:
        self.refresh()
        return self.protocols.get(protocol_id)

    def __iter__(self):
        self.refresh()
        return iter(self.protocols.values())

    def choices(self) -> list[dict]:
        """Every protocol a new client can follow, by title, with its questions."""
        return [
            {
                "id": loaded.protocol.id,
                "title": loaded.bundle["title"],
                "questions": loaded.bundle.get("questions", []),
                "languages": languages_of(loaded.bundle),
            }
            for loaded in sorted(self, key=lambda item: item.bundle["title"])
        ]


def _digest(paths: list[Path]) -> str:
    hashed = hashlib.sha256()
    for path in paths:
        try:
            hashed.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        except OSError as error:
            hashed.update(f"unreadable {path.name}: {error}".encode())
    return hashed.hexdigest()


def registry() -> Registry:
    """The running app's registry."""
    return current_app.extensions["protocols"]
