"""Check-ins: the short symptom questions a protocol asks while the scalp heals, and the
red-flag rules that tell the client to call the clinic at once.

The phone decides red flags offline and the server decides them again for the clinic's call
list: pwa/js/shared/red_flags.js implements `raised` with the same rule, and
tests/test_red_flag_parity.py holds them to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from .protocol import Option, Placement, WindowSpec

# The plan places check-ins as occurrences of this task id; a protocol's own tasks may not
# use it (schemas/protocol_file.py refuses it).
CHECKIN_TASK = "checkin"
SCALE_MIN, SCALE_MAX = 0, 10
YES, NO = "yes", "no"


class AnswerKind(StrEnum):
    YES_NO = "yes_no"  # "yes" or "no"
    CHOICE = "choice"  # one of the question's option values
    SCALE = "scale"  # a whole number from 0 to 10


class Basis(StrEnum):
    """What a red flag rests on, said in the protocol so a clinic can check it."""

    GUIDE = "guide"  # the protocol's own guide says to get in touch
    WOUND_CARE = "wound_care"  # general wound-care advice, the guide being silent


@dataclass(frozen=True, slots=True)
class CheckinQuestion:
    id: str
    kind: AnswerKind
    label: str
    options: tuple[Option, ...] = ()  # CHOICE only

    def values(self) -> frozenset[str]:
        """The answers a yes/no or choice question takes."""
        if self.kind is AnswerKind.YES_NO:
            return frozenset({YES, NO})
        return frozenset(option.value for option in self.options)

    def accepts(self, value: object) -> bool:
        if self.kind is AnswerKind.SCALE:
            # bool is an int in Python, never an answer on a scale.
            return type(value) is int and SCALE_MIN <= value <= SCALE_MAX
        return isinstance(value, str) and value in self.values()


@dataclass(frozen=True, slots=True)
class RedFlag:
    id: str
    question: str
    reason: str  # the client and the clinic read it: "Pus or oozing from the treated area"
    basis: Basis
    answers: frozenset[str] = frozenset()  # yes/no or choice: any of these raises it
    at_least: int | None = None  # scale: this or more raises it
    # Only from this day after the latest session (day 1 is the day it ends): "redness still
    # spreading after day 3" is from_day = 4.
    from_day: int = 1

    def raised_by(self, answers: Mapping[str, object], day: int) -> bool:
        if day < self.from_day or self.question not in answers:
            return False
        value = answers[self.question]
        if self.at_least is not None:
            return type(value) is int and value >= self.at_least
        return value in self.answers


@dataclass(frozen=True, slots=True)
class Checkin:
    title: str
    meanwhile: str  # what to do until the clinic answers, shown on the call screen
    placement: Placement  # morning, evening or night: once a day, in that slot
    windows: tuple[WindowSpec, ...]
    questions: tuple[CheckinQuestion, ...]
    red_flags: tuple[RedFlag, ...]

    def check_answers(self, answers: Mapping[str, object]) -> dict[str, object]:
        """The answers in the protocol's order; ValueError names an unknown question, a
        missing one or a value the question does not take."""
        by_id = {question.id: question for question in self.questions}
        unknown = sorted(set(answers) - set(by_id))
        if unknown:
            raise ValueError(f"unknown question(s): {', '.join(unknown)}")
        missing = [question.id for question in self.questions if question.id not in answers]
        if missing:
            raise ValueError(f"unanswered: {', '.join(missing)}")
        for question in self.questions:
            if not question.accepts(answers[question.id]):
                raise ValueError(f"{question.id}: {answers[question.id]!r} {_takes(question)}")
        return {question.id: answers[question.id] for question in self.questions}


def raised(red_flags: tuple[RedFlag, ...], answers: Mapping[str, object], day: int) -> list[str]:
    """The ids of the red flags these answers raise on this day after the session, in the
    protocol's order."""
    return [flag.id for flag in red_flags if flag.raised_by(answers, day)]


def in_words(checkin: Mapping, answers: Mapping[str, object]) -> str:
    """Check-in answers as a clinician reads them, from a bundle's `checkin` (its own words):
    "Is anything coming from the skin? Yellow or green pus; How much does it hurt…? 8/10"."""
    said = []
    for question in checkin.get("questions", []):
        if question["id"] not in answers:
            continue
        value = answers[question["id"]]
        labels = {o["value"]: o["label"] for o in question.get("options", [])}
        if question["kind"] == AnswerKind.SCALE:
            words = f"{value}/{SCALE_MAX}"
        else:
            words = labels.get(value) or {YES: "Yes", NO: "No"}.get(value, str(value))
        said.append(f"{question['label']} {words}")
    return "; ".join(said)


def _takes(question: CheckinQuestion) -> str:
    if question.kind is AnswerKind.SCALE:
        return f"is not a whole number from {SCALE_MIN} to {SCALE_MAX}"
    return f"is not one of {', '.join(sorted(question.values()))}"
