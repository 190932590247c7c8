"""The adherence calendar SVG: one linked square per day, its state shown by shape as well as
colour, distinguishable in a colour-vision simulation, readable as text."""

import xml.etree.ElementTree as ET
from datetime import date
from itertools import combinations

import pytest

from server.clinic.adherence import DayCount
from server.dashboard import heatmap
from server.dashboard.heatmap import INK, LOOKS, MARKER, PAPER, Look

SVG = "{http://www.w3.org/2000/svg}"
DAYS = [
    DayCount(date(2026, 3, 18), planned=6, due=6, done=6),
    DayCount(date(2026, 3, 19), planned=6, due=6, done=3),
    DayCount(date(2026, 3, 20), planned=6, due=2, done=0),
    DayCount(date(2026, 3, 21), planned=4, due=4, done=3),
    DayCount(date(2026, 3, 24), planned=4, due=0, done=0),
]
TODAY = date(2026, 3, 20)
SESSIONS = {date(2026, 3, 17)}

# Colour vision deficiency, simulated as Machado, Oliveira and Fernandes (2009) do, severity
# 1.0 (no working L or M cones), on linear RGB.
SIMULATIONS = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
}


def linear(hex_colour: str) -> tuple[float, ...]:
    channels = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)


def luminance(hex_colour: str, vision: str = "normal") -> float:
    """WCAG 2 relative luminance, as someone with `vision` sees the colour."""
    rgb = linear(hex_colour)
    seen = [
        min(1, max(0, sum(m * c for m, c in zip(row, rgb, strict=True))))
        for row in SIMULATIONS[vision]
    ]
    return 0.2126 * seen[0] + 0.7152 * seen[1] + 0.0722 * seen[2]


def contrast(a: str, b: str, vision: str = "normal") -> float:
    high, low = sorted((luminance(a, vision), luminance(b, vision)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def weakest_pair(looks: dict[str, Look], vision: str) -> tuple[float, tuple[str, str]]:
    """The two states that are hardest to tell apart: for each pair, the best contrast
    between them at any one part of the square; the worst pair's."""
    found = []
    for (one, a), (other, b) in combinations(looks.items(), 2):
        za, zb = a.zones(), b.zones()
        found.append((max(contrast(za[z], zb[z], vision) for z in za), (one, other)))
    return min(found)


# What the calendar drew before: one flat colour per state, one outline.
OLD_LOOKS = {
    name: Look(name, fill, edge="#59636e")
    for name, fill in [
        ("all", "#1a7f37"),
        ("most", "#6cc070"),
        ("some", "#f0b429"),
        ("none", "#cf222e"),
        ("upcoming", "#ffffff"),
        ("no-tasks", "#eef0f2"),
    ]
}


def test_the_contrast_arithmetic_matches_wcag():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    # The numbers: "all done" against "little or none", 1.05:1.
    assert contrast("#1a7f37", "#cf222e") == pytest.approx(1.05, abs=0.01)


@pytest.mark.parametrize("vision", SIMULATIONS)
def test_any_two_states_differ_somewhere_in_the_square_by_3_to_1(vision):
    # Six flat colours cannot be 3:1 apart pairwise (3**5 > 21, black to white), so states
    # differ in where the square is inked as well as in colour; every pair must differ by
    # 3:1 in some part of the square, however the viewer's cones work.
    worst, pair = weakest_pair(LOOKS, vision)
    assert worst >= 3, f"{pair} only {worst:.2f}:1 for {vision}"


@pytest.mark.parametrize("vision", SIMULATIONS)
def test_the_old_flat_colours_fail_that_test(vision):
    worst, pair = weakest_pair(OLD_LOOKS, vision)
    assert worst < 1.6, (pair, worst)


def test_old_all_done_and_missed_were_near_the_same_grey_to_the_colour_blind():
    for vision in ("protanopia", "deuteranopia"):
        assert contrast("#1a7f37", "#cf222e", vision) < 2


@pytest.mark.parametrize("vision", SIMULATIONS)
def test_marks_and_markers_stand_out_from_what_they_are_drawn_on(vision):
    for look in LOOKS.values():
        zones = look.zones()
        if look.mark:
            assert contrast(look.mark_colour, zones["band2"], vision) >= 3, look.meaning
        # The session dot (dark, with a white rim) in the top corner of any square.
        assert max(contrast(MARKER, zones["band0"]), contrast(PAPER, zones["band0"])) >= 3
        # Today's ring sits on the page, outside the square.
        assert contrast(MARKER, "#ffffff", vision) >= 3
    assert contrast(INK, PAPER, vision) >= 3 and contrast(LOOKS["none"].edge, PAPER, vision) >= 3


def cells(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {g.get("data-date"): g for g in root.iter(f"{SVG}g") if g.get("class") == "day"}


def links(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {a.get("id"): a for a in root.iter(f"{SVG}a")}


def test_it_is_well_formed_svg_with_a_title_and_description():
    root = ET.fromstring(heatmap.render(DAYS, TODAY, SESSIONS))
    assert root.get("role") == "group"  # it holds links: not an image
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Aftercare adherence, day by day"
    assert desc.text == heatmap.summary(DAYS)
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")


def test_one_square_per_day_from_the_session_to_the_last_task():
    found = cells(heatmap.render(DAYS, TODAY, SESSIONS))
    assert sorted(found) == [f"2026-03-{day}" for day in range(17, 25)]


def test_each_day_is_a_link_named_with_its_date_and_counts_to_its_details():
    found = links(heatmap.render(DAYS, TODAY, SESSIONS))
    assert len(found) == 8
    day = found["cal-2026-03-19"]
    assert day.get("href") == "#day-2026-03-19"
    assert day.get("aria-label") == "Thu 19 Mar: 3 of 6 tasks done (some done (¼ or more))"
    assert found["cal-2026-03-20"].get("aria-label") == (
        "Fri 20 Mar: 0 of 2 tasks done (little or none done), today"
    )
    assert found["cal-2026-03-17"].get("aria-label") == (
        "Tue 17 Mar: no aftercare tasks, session day"
    )


def test_each_state_is_drawn_with_its_own_shape():
    found = cells(heatmap.render(DAYS, TODAY, SESSIONS))
    states = {day: cell.get("data-state") for day, cell in found.items()}
    assert states == {
        "2026-03-17": "no-tasks",
        "2026-03-18": "all",
        "2026-03-19": "some",
        "2026-03-20": "none",
        "2026-03-21": "most",
        "2026-03-22": "no-tasks",
        "2026-03-23": "no-tasks",
        "2026-03-24": "upcoming",
    }

    def rects(day):
        return [r for r in found[day].iter(f"{SVG}rect") if r.get("class") != "focus-ring"]

    def bar_height(day):
        inked = [r for r in rects(day) if r.get("fill") == INK]
        return sum(float(r.get("height")) for r in inked)

    assert bar_height("2026-03-18") == heatmap.CELL  # full
    assert bar_height("2026-03-21") == heatmap.CELL * 3 / 4
    assert bar_height("2026-03-19") == heatmap.CELL / 2
    assert bar_height("2026-03-20") == 0
    assert found["2026-03-18"].find(f"{SVG}path") is not None  # the tick
    assert found["2026-03-20"].find(f"{SVG}path") is not None  # the cross
    assert any(r.get("stroke-dasharray") for r in rects("2026-03-24"))  # to come
    assert found["2026-03-17"].find(f"{SVG}circle[@class='session']") is not None
    assert [r for r in rects("2026-03-20") if r.get("class") == "today"]
    assert not [r for r in rects("2026-03-19") if r.get("class") == "today"]


def test_the_legend_shows_every_state_the_session_dot_and_today():
    legend = heatmap.legend()
    root = ET.fromstring(legend.replace('xmlns="http://www.w3.org/2000/svg"', ""))
    said = ["".join(li.itertext()).strip() for li in root.iter("li")]
    assert said == [look.meaning for look in LOOKS.values()] + [
        "session day (the dot)",
        "today (the dark ring)",
    ]
    assert 'class="session"' in legend and 'class="today"' in legend


def test_weeks_run_monday_to_sunday_in_rows():
    found = cells(heatmap.render(DAYS, TODAY, SESSIONS))
    tuesday, monday = found["2026-03-17"], found["2026-03-23"]

    def xy(cell):
        rect = next(r for r in cell.iter(f"{SVG}rect") if r.get("class") is None)
        return float(rect.get("x")), float(rect.get("y"))

    assert xy(monday)[0] < xy(tuesday)[0] and xy(monday)[1] > xy(tuesday)[1]


def test_the_summary_names_the_days_with_misses():
    assert heatmap.summary(DAYS) == (
        "12 of 18 tasks done so far (67%); every task done on 1 of 4 days. "
        "Tasks missed on 19 Mar, 20 Mar, 21 Mar."
    )
    assert heatmap.summary(DAYS[4:]) == "No tasks have fallen due yet."


def test_early_ticks_count_as_done_without_going_over_100_percent():
    early = [DayCount(date(2026, 3, 20), planned=6, due=2, done=4)]
    assert heatmap.share_done(early[0]) == 1.0
    assert heatmap.summary(early).startswith("4 of 4 tasks done so far (100%)")


def test_text_is_escaped():
    svg = heatmap.render(DAYS, TODAY, SESSIONS, label='x"><script>')
    assert "<script>" not in svg


def test_no_plan_days_draw_nothing():
    assert heatmap.render([], TODAY, set()) == ""
    assert heatmap.calendar_days([], TODAY, set()) == []
