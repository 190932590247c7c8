"""What an edit of a client's profile changed, said plainly for the clinician who made it."""

from __future__ import annotations

from datetime import time
from typing import Any

from ..domain.wording import counted
from ..plans.translations import language_name

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
    if "language" in changes:
        was, now = (
            language_name(code) if code else "the protocol's own" for code in changes["language"]
        )
        sentences.append(f"Language changed from {was} to {now}; the plan's texts follow it.")
    if timing or "answers" in changes or "language" in changes:
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
        if was == now:
            continue
        labels = {option["value"]: option["label"] for option in question["options"]}
        if now is None:
            sentences.append(
                f"“{question['label']}” is left for the client to answer in the app "
                f"(it was {labels.get(was, was)})."
            )
        elif was is None:
            sentences.append(
                f"“{question['label']}” answered: {labels.get(now, now)}; "
                "the plan follows the answer."
            )
        else:
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


# --- sessions: what a change did, after it is done ----------------------------------------

REBUILT = "The plan is rebuilt; logged ticks are kept."
WHEN = "%a %-d %b %Y, %H:%M"


def client_added(name: str, sessions: int) -> str:
    """ "Sam is added with 2 sessions; their plan is ready." """
    return f"{name} is added with {counted(sessions, 'session')}; their plan is ready."


def session_added(before: list[dict], after: list[dict], session_id: int) -> str:
    """ "Session 2 added: Mon 2 Mar 2026, 09:00 to 13:00. Session 2 is now session 3. ..." """
    added = _by_id(after)[session_id]
    said_ = f"Session {added['number']} added: {_span(added)}."
    return " ".join(filter(None, [said_, renumbered(before, after, skip=session_id), REBUILT]))


def session_moved(before: list[dict], after: list[dict], session_id: int) -> str:
    """ "Session 2 moved to Mon 9 Mar 2026, 09:00 to 13:00; it is now session 1. ..." """
    was, now = _by_id(before)[session_id], _by_id(after)[session_id]
    if was["start"] == now["start"] and was["end"] == now["end"]:
        return f"Session {now['number']} is unchanged."
    if was["start"] == now["start"]:
        said_ = f"Session {now['number']} now ends at {now['end']:%H:%M}."
    else:
        said_ = f"Session {was['number']} moved to {_span(now)}"
        if was["number"] != now["number"]:
            said_ += f"; it is now session {now['number']}"
        said_ += "."
    return " ".join(filter(None, [said_, renumbered(before, after, skip=session_id), REBUILT]))


def session_cancelled(before: list[dict], after: list[dict], session_id: int) -> str:
    """ "Session 3 (Mon 23 Mar 2026, 09:00) is cancelled. ..." """
    gone = _by_id(before)[session_id]
    said_ = f"Session {gone['number']} ({gone['start']:{WHEN}}) is cancelled."
    return " ".join(filter(None, [said_, renumbered(before, after), REBUILT]))


def made_final(before: list[dict], after: list[dict], session_id: int) -> str:
    """ "Session 2 is now the final session; sessions 3 and 4 are cancelled. ..." """
    final = _by_id(after)[session_id]
    kept = set(_by_id(after))
    gone = [s for s in before if s["id"] not in kept]
    said_ = f"Session {final['number']} is now the final session"
    if gone:
        numbers = _listed([str(s["number"]) for s in gone])
        said_ += f"; {'session' if len(gone) == 1 else 'sessions'} {numbers} cancelled"
    return " ".join([said_ + ".", REBUILT])


def renumbered(before: list[dict], after: list[dict], skip: int | None = None) -> str:
    """ "Sessions 2 and 3 are now sessions 3 and 4." for sessions whose number changed."""
    was = _by_id(before)
    moved = [
        (was[s["id"]]["number"], s["number"])
        for s in after
        if s["id"] != skip and s["id"] in was and was[s["id"]]["number"] != s["number"]
    ]
    if not moved:
        return ""
    olds, news = (_listed([str(pair[i]) for pair in moved]) for i in (0, 1))
    if len(moved) == 1:
        return f"Session {olds} is now session {news}."
    return f"Sessions {olds} are now sessions {news}."


def _span(session: dict) -> str:
    return f"{session['start']:{WHEN}} to {session['end']:%H:%M}"


def _by_id(sessions: list[dict]) -> dict[int, dict]:
    return {s["id"]: s for s in sessions}
