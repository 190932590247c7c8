"""What only the client knows: a 7 Derma client the clinic left both questions for is asked on
their phone, once after enrollment and later in Settings, and the plan follows the answers.

Until they answer, the plan is a shaved man's: "Moisturise with oil" twice a day from the day
after each session. Medium or long hair gets no oil yet (an overnight mask from day 8).
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from server.extensions import db
from server.models import Client

from .accessibility import assert_accessible
from .conftest import Enrollment
from .phone import eventually, go_offline, go_online, saved

OIL = "Moisturise with oil"
HAIR = "How do you wear your hair?"


def asked_client(live_server) -> Enrollment:
    """A seven-derma client on day 3 after a session, with no answers, and a code for a phone."""
    return live_server.add_client(
        name="Noor", clinic="Questions Clinic", protocol="seven-derma", answers={}
    )


def answers_on_server(live_server, client_id: int) -> dict:
    with live_server.app.app_context():
        return dict(db.session.get(Client, client_id).answers)


def stored_tasks(page: Page) -> set[str]:
    return {o["task"] for o in saved(page, "plan")["occurrences"]}


def stored_answers(page: Page) -> list:
    return [q["answer"] for q in saved(page, "plan")["questions"]]


def enroll(page: Page, enrollment: Enrollment) -> None:
    """Open the link: the phone asks at once, on one screen without the tabs."""
    page.goto(enrollment.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("About you")
    expect(page.get_by_text("2 questions change your plan.")).to_be_visible()
    expect(page.get_by_role("navigation")).to_be_hidden()


def go_to(page: Page, tab: str, heading: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name=tab).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def test_the_first_run_answers_change_the_plan(live_server, page):
    enrollment = asked_client(live_server)
    enroll(page, enrollment)
    assert "oil" in stored_tasks(page)  # drawn as a shaved man's meanwhile
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_accessible(page, f"the first-run questions ({scheme})")

    page.get_by_role("group", name=HAIR).get_by_label("Medium or long").check()
    page.get_by_role("group", name="Gender").get_by_label("Woman").check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    eventually(
        page,
        lambda: (
            answers_on_server(live_server, enrollment.client_id)
            == {"hair_length": "long", "gender": "woman"}
        ),
        "the answers reached the server",
    )
    eventually(page, lambda: stored_answers(page) == ["long", "woman"], "the new plan is stored")
    assert "oil" not in stored_tasks(page) and "oil-mask" in stored_tasks(page)
    expect(page.get_by_role("main")).not_to_contain_text(OIL)
    page.reload()  # asked once: never again
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")


def test_not_now_then_answered_later_in_settings(live_server, page):
    enrollment = asked_client(live_server)
    enroll(page, enrollment)
    page.get_by_role("button", name="Not now").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(page.get_by_role("main")).to_contain_text(OIL)  # the default plan, meanwhile
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")

    go_to(page, "Settings", "Settings")
    about = page.locator("#about-you")
    hair = about.get_by_role("group", name=HAIR)
    expect(hair).to_contain_text("Not answered yet: your plan assumes “Shaved or balding”.")
    hair.get_by_label("Medium or long").check()
    about.get_by_role("button", name="Save my answers").click()

    expect(about).to_contain_text("Thank you. Your plan now follows your answers.")
    expect(hair.get_by_label("Medium or long")).to_be_checked()
    expect(hair).not_to_contain_text("Not answered yet")
    gender = about.get_by_role("group", name="Gender")
    expect(gender).to_contain_text("Not answered yet")  # still asked, still changeable
    about.get_by_role("button", name="Save my answers").click()
    expect(about.get_by_role("alert")).to_have_text("No answer changed.")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_accessible(page, f"Settings with About you ({scheme})")
    assert answers_on_server(live_server, enrollment.client_id) == {"hair_length": "long"}
    go_to(page, "Today", "Today")
    expect(page.get_by_role("main")).not_to_contain_text(OIL)


def test_an_answer_given_offline_reaches_the_server_once_online(live_server, page):
    enrollment = asked_client(live_server)
    enroll(page, enrollment)
    page.get_by_role("button", name="Not now").click()
    go_to(page, "Settings", "Settings")
    about = page.locator("#about-you")

    go_offline(page)
    about.get_by_role("group", name="Gender").get_by_label("Woman").check()
    about.get_by_role("button", name="Save my answers").click()

    expect(about).to_contain_text(
        "Your answers are saved on this phone. They reach your clinic, and change your plan, "
        "when you're online."
    )
    assert saved(page, "answers") == {"gender": "woman"}
    assert answers_on_server(live_server, enrollment.client_id) == {}
    expect(about.get_by_role("group", name="Gender").get_by_label("Woman")).to_be_checked()

    go_online(page)

    eventually(
        page,
        lambda: answers_on_server(live_server, enrollment.client_id) == {"gender": "woman"},
        "the answer kept offline reached the server",
    )
    eventually(page, lambda: saved(page, "answers") == {}, "the answer left the phone")
    eventually(page, lambda: stored_answers(page) == [None, "woman"], "the new plan is stored")
    expect(page.locator("#answers-waiting")).to_have_count(0)


def test_today_s_card_asks_until_the_questions_are_answered(live_server, page):
    enroll(page, asked_client(live_server))
    page.get_by_role("button", name="Not now").click()

    card = page.locator(".questions-card")
    expect(card).to_contain_text("2 questions change your plan")
    card.get_by_role("button", name="Answer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About you")
    page.get_by_role("group", name="Gender").get_by_label("Man", exact=True).check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(card).to_contain_text("Thank you. Your plan now follows your answers.")
    expect(card).to_contain_text("1 question changes your plan")
    go_to(page, "Settings", "Settings")
    go_to(page, "Today", "Today")
    expect(card).not_to_contain_text("Thank you")
    card.get_by_role("button", name="Answer").click()
    page.get_by_role("group", name=HAIR).get_by_label("Short").check()
    page.get_by_role("button", name="Save").click()
    expect(card).to_have_text("Thank you. Your plan now follows your answers.")
