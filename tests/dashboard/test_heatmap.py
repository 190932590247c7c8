"""The adherence calendar SVG: one square per day, coloured by share done, readable as text."""

import xml.etree.ElementTree as ET
from datetime import date

from server.clinic.adherence import DayCount
from server.dashboard import heatmap

SVG = "{http://www.w3.org/2000/svg}"
DAYS = [
    DayCount(date(2026, 3, 18), planned=6, due=6, done=6),
    DayCount(date(2026, 3, 19), planned=6, due=6, done=3),
    DayCount(date(2026, 3, 20), planned=6, due=2, done=0),
    DayCount(date(2026, 3, 24), planned=4, due=0, done=0),
]
TODAY = date(2026, 3, 20)
SESSIONS = {date(2026, 3, 17)}


def cells(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {g.get("data-date"): g for g in root.iter(f"{SVG}g") if g.get("class") == "day"}


def test_it_is_well_formed_svg_with_a_title_and_description():
    root = ET.fromstring(heatmap.render(DAYS, TODAY, SESSIONS))
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Aftercare adherence, day by day"
    assert desc.text == heatmap.summary(DAYS)
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_one_square_per_day_from_the_session_to_the_last_task():
    found = cells(heatmap.render(DAYS, TODAY, SESSIONS))
    assert sorted(found) == [f"2026-03-{day}" for day in range(17, 25)]


def test_squares_are_coloured_by_share_done_and_say_so():
    found = cells(heatmap.render(DAYS, TODAY, SESSIONS))

    def fill(day):
        return found[day].find(f"{SVG}rect").get("fill")

    def title(day):
        return found[day].find(f"{SVG}title").text

    assert fill("2026-03-18") == "#1a7f37" and "6 of 6 tasks done (all done)" in title("2026-03-18")
    assert fill("2026-03-19") == "#f0b429" and "3 of 6 tasks done" in title("2026-03-19")
    assert fill("2026-03-20") == "#cf222e" and title("2026-03-20").endswith("today")
    assert fill("2026-03-24") == heatmap.UPCOMING and "4 tasks to come" in title("2026-03-24")
    assert fill("2026-03-21") == heatmap.NO_TASKS and "no aftercare tasks" in title("2026-03-21")
    assert "session day" in title("2026-03-17")
    assert found["2026-03-17"].find(f"{SVG}circle") is not None
    assert found["2026-03-20"].find(f"{SVG}rect").get("stroke-width") == "3"


def test_weeks_run_monday_to_sunday_in_rows():
    found = cells(heatmap.render(DAYS, TODAY, SESSIONS))
    tuesday, monday = found["2026-03-17"], found["2026-03-23"]

    def xy(cell):
        rect = cell.find(f"{SVG}rect")
        return int(rect.get("x")), int(rect.get("y"))

    assert xy(monday)[0] < xy(tuesday)[0] and xy(monday)[1] > xy(tuesday)[1]


def test_the_summary_names_the_days_with_misses():
    assert heatmap.summary(DAYS) == (
        "9 of 14 tasks done so far (64%); every task done on 1 of 3 days. "
        "Tasks missed on 19 Mar, 20 Mar."
    )
    assert heatmap.summary(DAYS[3:]) == "No tasks have fallen due yet."


def test_early_ticks_count_as_done_without_going_over_100_percent():
    early = [DayCount(date(2026, 3, 20), planned=6, due=2, done=4)]
    assert heatmap.share_done(early[0]) == 1.0
    assert heatmap.summary(early).startswith("4 of 4 tasks done so far (100%)")


def test_text_is_escaped():
    svg = heatmap.render(DAYS, TODAY, SESSIONS, label='x"><script>')
    assert "<script>" not in svg


def test_no_plan_days_draw_nothing():
    assert heatmap.render([], TODAY, set()) == ""
