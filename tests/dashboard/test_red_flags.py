"""A check-in with a red flag puts its client at the top of the call list, answers in words;
handling it takes it off, and a calm check-in raises nothing."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from sqlalchemy import select

from server.extensions import db
from server.models import Device, PlanOccurrence
from server.phone.checkins import SentCheckin, record
from tests.support.clinics import add_client, tick_all
from tests.support.dashboard import readable

CALM = {
    "redness": "fading",
    "swelling": "no",
    "oozing": "none",
    "pain": 2,
    "fever": "no",
    "itching": "yes",
}


def check_in(app, client_id, now, **answers):
    """The client's latest check-in due by now, answered from their phone as the API stores it;
    its id."""
    with app.app_context():
        occurrence = db.session.scalar(
            select(PlanOccurrence.occurrence_id)
            .where(
                PlanOccurrence.client_id == client_id,
                PlanOccurrence.task_id == "checkin",
                PlanOccurrence.due_start <= now,
            )
            .order_by(PlanOccurrence.due_start.desc())
        )
        device = db.session.scalar(select(Device).where(Device.client_id == client_id))
        sent = SentCheckin(uuid.uuid4(), occurrence, {**CALM, **answers}, now - timedelta(hours=1))
        record(device, [sent], app.extensions["protocols"], now)
        db.session.commit()
    return sent.id


def rows(html: str) -> list[str]:
    return re.findall(r'<tr[^>]*data-client="(\d+)"', html)


def test_a_red_flag_tops_the_call_list_with_the_answers_in_words(app, world, now, clinician_a):
    flagged = add_client(app, now, world.a.clinic_id, "Zoe Flagged")
    tick_all(app, flagged, now)
    calm = add_client(app, now, world.a.clinic_id, "Calm Client")
    tick_all(app, calm, now)
    check_in(app, calm, now)
    before = clinician_a.get("/clinic/").get_data(as_text=True)
    assert str(calm) not in rows(before) and str(flagged) not in rows(before)
    check_in(app, flagged, now, oozing="pus", pain=8)
    html = clinician_a.get("/clinic/").get_data(as_text=True)
    # Sam, who missed tasks in his critical days, is to call too, but after her.
    assert rows(html)[:2] == [str(flagged), str(world.a.client_id)]
    row = readable(re.search(rf'<tr[^>]*data-client="{flagged}".*?</tr>', html, re.S).group(0))
    assert "Red flag in the check-in of day 3, Thu 19 Mar: " in row
    assert "Pus from the treated area; Pain of 7 or more out of 10" in row
    assert "Is anything coming from the skin? Yellow or green pus" in row
    assert "How much does it hurt, from 0 (not at all) to 10 (the worst)? 8/10" in row


def test_handling_the_red_flag_takes_it_off_the_list(app, world, now, clinician_a):
    flagged = add_client(app, now, world.a.clinic_id, "Zoe Flagged")
    tick_all(app, flagged, now)
    check_in(app, flagged, now, fever="yes")
    html = clinician_a.get("/clinic/").get_data(as_text=True)
    row = re.search(rf'<tr[^>]*data-client="{flagged}".*?</tr>', html, re.S).group(0)
    shown = re.findall(r'name="concern" value="(\d+)"', row)
    response = clinician_a.post(
        f"/clinic/clients/{flagged}/calls",
        {"outcome": "called", "note": "Seen by GP", "concern": shown, "next": "/clinic/"},
    )
    assert response.status_code == 303
    assert str(flagged) not in rows(clinician_a.get("/clinic/").get_data(as_text=True))


def test_the_client_page_charts_the_checkins_by_day(app, world, now, clinician_a):
    flagged = add_client(app, now, world.a.clinic_id, "Zoe Flagged")
    check_in(app, flagged, now - timedelta(days=1), pain=3)
    check_in(app, flagged, now, pain=8)
    page = clinician_a.get(f"/clinic/clients/{flagged}").get_data(as_text=True)
    chart = page[page.index('<svg class="checkin-chart"') :]
    chart = chart[: chart.index("</svg>")]
    assert 'role="img"' in chart and "<title" in chart and "<desc" in chart
    assert "2 days with a check-in, 1 with a red flag" in chart
    assert chart.count("<rect") == 2 and chart.count("<path") == 1  # one triangle: day 3
    table = page[page.index('<table class="checkin-days">') : page.index("</table>")]
    assert "<td>2</td><td>3</td><td>none</td>" in table
    assert "<td>3</td><td>8</td><td>▲ 1 red flag</td>" in table
