"""The session and new-client forms: problems in people's words beside their fields, past
starts refused unless they happened, confirmations that say what changes, and messages that
say what was done."""

import html
import re

from server.extensions import db
from server.models import Client
from tests.support.stored import snapshot

NEW_CLIENT = {
    "name": "Ann",
    "timezone": "Europe/London",
    "protocol_id": "scalp-nation",
    "answer-scalp-nation-hair_length": "shaved",
}


def shown(page: str) -> str:
    """The page's text without its tags (dates are <time> elements)."""
    return re.sub(r"<[^>]+>", "", page)


def url(world) -> str:
    return f"/clinic/clients/{world.a.client_id}"


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def sessions(app, world) -> list:
    with app.app_context():
        return [s.starts_at for s in db.session.get(Client, world.a.client_id).sessions]


def test_every_problem_of_a_new_client_is_shown_at_once_beside_its_field(app, clinician_a):
    before = snapshot(app)
    form = {
        **NEW_CLIENT,
        "name": "",
        "session-0-start": "2026-03-19T10:00",  # yesterday, not ticked as happened
        "session-1-start": "soon",
        "session-2-start": "2026-04-20T10:00",
        "session-2-hours": "30",
    }
    response = clinician_a.post("/clinic/clients/new", form)
    assert response.status_code == 422 and snapshot(app) == before
    page = text(response)
    summary = page[page.index('class="error-summary"') : page.index("</ul>")]
    assert summary.count("<li>") == 4
    for link, said in [
        ("new-name", "Name: "),
        ("new-session-0-start", "Session 1 start: Thu 19 Mar 2026, 10:00 has already passed."),
        ("new-session-1-start", "Session 2 start: Give a date and a time."),
        ("new-session-2-hours", "Session 3 hours: A session lasts between"),
    ]:
        assert f'<a href="#{link}">{said}' in summary
        control = re.search(rf'<(?:input|select) id="{link}"[^>]*>', page).group()
        assert 'aria-invalid="true"' in control and f'aria-describedby="{link}-error"' in control
        assert f'<p class="field-error" id="{link}-error">' in page
    assert "Session-0-start" not in page and "session-0-start:" not in page
    assert 'value="soon"' in page  # shown again as typed


def test_a_session_that_already_happened_is_recorded_when_ticked(app, world, clinician_a):
    yesterday = {"start": "2026-03-19T10:00", "hours": "4"}
    refused = clinician_a.post(f"{url(world)}/sessions", yesterday)
    assert refused.status_code == 422
    assert "New session start: Thu 19 Mar 2026, 10:00 has already passed." in text(refused)
    assert len(sessions(app, world)) == 2
    added = clinician_a.post(f"{url(world)}/sessions", {**yesterday, "happened": "yes"})
    assert added.status_code == 302
    page = text(clinician_a.get(added.location))
    # Sam's sessions were 3 days ago and in 25 days: yesterday's becomes session 2.
    assert "Session 2 added: Thu, 19 Mar 2026, 10:00 to 14:00." in page
    assert "Session 2 is now session 3. The plan is rebuilt" in page
    assert len(sessions(app, world)) == 3


def test_a_past_session_keeps_its_start_while_its_length_changes(app, world, clinician_a):
    moved = f"{url(world)}/sessions/{world.a.past_session_id}"
    start = sessions(app, world)[0].strftime("%Y-%m-%dT%H:%M")  # London is on UTC in March
    response = clinician_a.post(moved, {"start": start, "hours": "2"})
    assert response.status_code == 302
    assert "Session 1 now ends at" in text(clinician_a.get(response.location))
    earlier = clinician_a.post(moved, {"start": "2026-03-16T09:00", "hours": "2"})
    assert earlier.status_code == 422 and "Session 1 start: Mon 16 Mar 2026" in text(earlier)
    future = clinician_a.post(
        f"{url(world)}/sessions/{world.a.future_session_id}",
        {"start": "2026-03-18T09:00", "hours": "2"},
    )
    assert future.status_code == 422 and "Session 2 start: Wed 18 Mar 2026" in text(future)


def test_cancelling_asks_first_and_says_what_changes(app, world, clinician_a):
    clinician_a.post(f"{url(world)}/sessions", {"start": "2026-05-20T10:00", "hours": "4"})
    before = snapshot(app)
    cancel = f"{url(world)}/sessions/{world.a.future_session_id}/cancel"
    asked = text(clinician_a.get(cancel))
    assert snapshot(app) == before
    changes = asked[asked.index('id="what-changes"') :]
    changes = changes[: changes.index("</ul>")]
    assert "Session 2 (Tue, 14 Apr 2026, 13:00) is cancelled." in shown(changes)
    assert "Session 3 becomes session 2." in changes
    # The session's check-ins go too: its days 1 to 7, from the session's own day.
    assert re.search(
        r"\d+ tasks still to come go away, from Tue 14 Apr to Mon 20 Apr: .*How is your scalp",
        shown(changes),
    )
    assert "Cleanse your scalp" in changes
    assert "Yes, cancel session 2" in asked
    # A post without the confirmation (an old page's button) only asks.
    assert "Yes, cancel session 2" in text(clinician_a.post(cancel))
    assert len(sessions(app, world)) == 3
    done = clinician_a.post(cancel, {"confirm": "yes"})
    assert done.status_code == 302
    page = text(clinician_a.get(done.location))
    assert "Session 2 (Tue, 14 Apr 2026, 13:00) is cancelled. Session 3 is now session 2." in shown(
        page
    )
    assert len(sessions(app, world)) == 2


def test_making_a_session_final_asks_first_naming_the_sessions_that_go(app, world, clinician_a):
    final = f"{url(world)}/sessions/{world.a.past_session_id}/final"
    asked = text(clinician_a.get(final))
    assert "Make session 1 Sam's final session?" in shown(asked)
    assert "Session 2 (Tue, 14 Apr 2026, 13:00) is cancelled." in shown(asked)
    # The dates that move: swimming lifts a month after the final session, now session 1.
    swimming = r"“Swimming, sauna and steam room are fine again”: no longer \w+ \d+ May; now \w+"
    assert re.search(swimming, shown(asked))
    assert len(sessions(app, world)) == 2
    done = clinician_a.post(final, {"confirm": "yes"})
    page = text(clinician_a.get(done.location))
    assert "Session 1 is now the final session; session 2 cancelled." in page
    assert len(sessions(app, world)) == 1


def test_adding_a_client_says_so(clinician_a):
    form = {**NEW_CLIENT, "session-0-start": "2026-03-20T09:00", "session-0-happened": "yes"}
    response = clinician_a.post("/clinic/clients/new", form)
    assert response.status_code == 201
    assert "Ann is added with 1 session; their plan is ready." in text(response)
    assert "The plan is rebuilt" not in text(response)


def test_the_handout_has_dates_days_and_what_to_avoid_until_when(app, world, clinician_a):
    page = re.sub(r"</?(bdi|span data-source=\"protocol\"|span)>", "", handout(clinician_a, world))
    assert "Aftercare for Sam" in page and "Clinic A" in page
    # The protocol's summary, in its own words, under the heading.
    summary = re.search(r'<p class="handout-summary"[^>]*>(.*?)</p>', page).group(1)
    assert summary.startswith("Leave the scalp alone for a day, then cleanse and balm")
    # Dates as Babel writes them in the client's language (English here).
    assert "Tue, 17 Mar 2026, 12:00 to 16:00" in page and "Tue, 14 Apr 2026, 13:00" in page
    # Session 2 ends 14 April (day 1): cleanse and balm on days 2 to 4 (fewer on day 2).
    to = "\u2009–\u2009"  # noqa: RUF001 (Babel's range: an en dash between thin spaces)
    row = re.search(rf"<th scope=\"row\">Thu 16 Apr{to}Fri 17 Apr</th>\s*<td>(.*?)</td>", page)
    assert "Cleanse your scalp: twice a day, up to 3 times if you can" in row.group(1)
    shaving = re.search(r"No shaving.*?</th><td>(.*?)</td>", page).group(1)
    assert shaving == f"Tue 17 Mar{to}Fri 20 Mar; Tue 14 Apr{to}Fri 17 Apr"
    assert '<a class="button secondary" href="/clinic/clients/' in text(clinician_a.get(url(world)))


def handout(clinician, world) -> str:
    return text(clinician.get(f"{url(world)}/handout"))
