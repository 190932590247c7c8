"""What an edit of a client's profile changed, said plainly for the clinician who made it."""

from __future__ import annotations

from datetime import time
from typing import Any

# Fields whose change moves the times of the client's tasks.
TIMING = {"timezone": "time zone", "wake": "wake time", "bed": "bed time"}


def said(changes: dict[str, tuple[Any, Any]], questions: list[dict]) -> str:
    """ "Time zone changed from Europe/London to America/New_York; task times moved. Ticks are
    kept." for {field: (before, after)}; "Nothing changed." for none."""
    if not changes:
        return "Nothing changed."
    sentences = []
    if "name" in changes:
        sentences.append("Name changed from {} to {}.".format(*changes["name"]))
    if "contact" in changes:
        sentences.append(_contact(*changes["contact"]))
    timing = [
        f"{label} changed from {_shown(changes[field][0])} to {_shown(changes[field][1])}"
        for field, label in TIMING.items()
        if field in changes
    ]
    if timing:
        sentences.append(_capitalised(_listed(timing)) + "; task times moved.")
    if "answers" in changes:
        sentences.extend(_answers(*changes["answers"], questions))
    if timing or "answers" in changes:
        sentences.append("Ticks are kept.")
    return " ".join(sentences)


def _contact(before: str | None, after: str | None) -> str:
    if not before:
        return f"Contact added: {after}."
    if not after:
        return f"Contact removed (it was {before})."
    return f"Contact changed from {before} to {after}."


def _answers(before: dict, after: dict, questions: list[dict]) -> list[str]:
    """One sentence per changed answer, in the protocol's words."""
    sentences = []
    for question in questions:
        was, now = before.get(question["id"]), after.get(question["id"])
        if was != now:
            labels = {option["value"]: option["label"] for option in question["options"]}
            sentences.append(
                f"“{question['label']}” changed from {labels.get(was, was)} to "
                f"{labels.get(now, now)}; the plan follows the new answer."
            )
    return sentences


def _shown(value: Any) -> str:
    return value.strftime("%H:%M") if isinstance(value, time) else str(value)


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
