"""What an edit of a client's profile changed, said plainly for the clinician who made it, in
the page's language."""

from __future__ import annotations

from datetime import time
from typing import Any

from babel.lists import format_list
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..languages import name_in
from .formatting import wall

# Fields whose change moves the times of the client's tasks.
TIMING = {"timezone": _l("time zone"), "wake": _l("wake time"), "bed": _l("bed time")}


def said(changes: dict[str, tuple[Any, Any]], questions: list[dict]) -> str:
    """ "Time zone changed from Europe/London to America/New_York; task times moved. Ticks are
    kept." for {field: (before, after)}; "Nothing changed." for none."""
    if not changes:
        return _("Nothing changed.")
    sentences = []
    if "name" in changes:
        before, after = changes["name"]
        sentences.append(
            _("Name changed from %(before)s to %(after)s.", before=before, after=after)
        )
    if "contact" in changes:
        sentences.append(_contact(*changes["contact"]))
    timing = [
        _(
            "%(what)s changed from %(before)s to %(after)s",
            what=label,
            before=_shown(changes[field][0]),
            after=_shown(changes[field][1]),
        )
        for field, label in TIMING.items()
        if field in changes
    ]
    if timing:
        sentences.append(_("%(changes)s; task times moved.", changes=_capitalised(_listed(timing))))
    if "answers" in changes:
        sentences.extend(_answers(*changes["answers"], questions))
    if "language" in changes:
        was, now = (
            name_in(code, get_locale()) if code else _("the protocol's own")
            for code in changes["language"]
        )
        sentences.append(
            _(
                "Language changed from %(was)s to %(now)s; the plan's texts follow it.",
                was=was,
                now=now,
            )
        )
    if timing or "answers" in changes or "language" in changes:
        sentences.append(_("Ticks are kept."))
    return " ".join(sentences)


def _contact(before: str | None, after: str | None) -> str:
    if not before:
        return _("Contact added: %(after)s.", after=after)
    if not after:
        return _("Contact removed (it was %(before)s).", before=before)
    return _("Contact changed from %(before)s to %(after)s.", before=before, after=after)


def _answers(before: dict, after: dict, questions: list[dict]) -> list[str]:
    """One sentence per changed answer, in the protocol's words."""
    sentences = []
    for question in questions:
        was, now = before.get(question["id"]), after.get(question["id"])
        if was == now:
            continue
        labels = {option["value"]: option["label"] for option in question["options"]}
        words = {
            "question": question["label"],
            "was": labels.get(was, was),
            "now": labels.get(now, now),
        }
        if now is None:
            sentences.append(
                _("“%(question)s” is left for the client to answer in the app (it was %(was)s).")
                % words
            )
        elif was is None:
            sentences.append(
                _("“%(question)s” answered: %(now)s; the plan follows the answer.") % words
            )
        else:
            sentences.append(
                _(
                    "“%(question)s” changed from %(was)s to %(now)s; "
                    "the plan follows the new answer."
                )
                % words
            )
    return sentences


def _shown(value: Any) -> str:
    return wall(value, "time") if isinstance(value, time) else str(value)


def _listed(parts: list[str]) -> str:
    """ "a, b and c", as the page's language joins a list."""
    return format_list([str(part) for part in parts], locale=get_locale())


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- sessions: what a change did, after it is done ----------------------------------------


def _rebuilt() -> str:
    return _("The plan is rebuilt; logged ticks are kept.")


def client_added(name: str, sessions: int) -> str:
    """ "Sam is added with 2 sessions; their plan is ready." """
    return ngettext(
        "%(name)s is added with %(num)d session; their plan is ready.",
        "%(name)s is added with %(num)d sessions; their plan is ready.",
        sessions,
        name=name,
    )


def session_added(before: list[dict], after: list[dict], session_id: int) -> str:
    """ "Session 2 added: Mon, 2 Mar 2026, 09:00 to 13:00. Session 2 is now session 3. ..." """
    added = _by_id(after)[session_id]
    said_ = _("Session %(number)s added: %(span)s.", number=added["number"], span=_span(added))
    return " ".join(filter(None, [said_, renumbered(before, after, skip=session_id), _rebuilt()]))


def session_moved(before: list[dict], after: list[dict], session_id: int) -> str:
    """ "Session 2 moved to Mon, 9 Mar 2026, 09:00 to 13:00; it is now session 1. ..." """
    was, now = _by_id(before)[session_id], _by_id(after)[session_id]
    if was["start"] == now["start"] and was["end"] == now["end"]:
        return _("Session %(number)s is unchanged.", number=now["number"])
    if was["start"] == now["start"]:
        said_ = _(
            "Session %(number)s now ends at %(end)s.",
            number=now["number"],
            end=wall(now["end"], "time"),
        )
    elif was["number"] != now["number"]:
        said_ = _(
            "Session %(number)s moved to %(span)s; it is now session %(new)s.",
            number=was["number"],
            span=_span(now),
            new=now["number"],
        )
    else:
        said_ = _("Session %(number)s moved to %(span)s.", number=was["number"], span=_span(now))
    return " ".join(filter(None, [said_, renumbered(before, after, skip=session_id), _rebuilt()]))


def session_cancelled(before: list[dict], after: list[dict], session_id: int) -> str:
    """ "Session 3 (Mon, 23 Mar 2026, 09:00) is cancelled. ..." """
    gone = _by_id(before)[session_id]
    said_ = _(
        "Session %(number)s (%(start)s) is cancelled.",
        number=gone["number"],
        start=wall(gone["start"], "datetime"),
    )
    return " ".join(filter(None, [said_, renumbered(before, after), _rebuilt()]))


def made_final(before: list[dict], after: list[dict], session_id: int) -> str:
    """ "Session 2 is now the final session; sessions 3 and 4 are cancelled. ..." """
    final = _by_id(after)[session_id]
    kept = set(_by_id(after))
    gone = [s for s in before if s["id"] not in kept]
    if not gone:
        said_ = _("Session %(number)s is now the final session.", number=final["number"])
    else:
        said_ = ngettext(
            "Session %(number)s is now the final session; session %(gone)s cancelled.",
            "Session %(number)s is now the final session; sessions %(gone)s cancelled.",
            len(gone),
            number=final["number"],
            gone=_listed([str(s["number"]) for s in gone]),
        )
    return " ".join([said_, _rebuilt()])


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
    return ngettext(
        "Session %(olds)s is now session %(news)s.",
        "Sessions %(olds)s are now sessions %(news)s.",
        len(moved),
        olds=olds,
        news=news,
    )


def _span(session: dict) -> str:
    return _(
        "%(start)s to %(end)s",
        start=wall(session["start"], "datetime"),
        end=wall(session["end"], "time"),
    )


def _by_id(sessions: list[dict]) -> dict[int, dict]:
    return {s["id"]: s for s in sessions}
