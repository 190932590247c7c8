"""axe-core, injected into the page under test: the WCAG 2.1 A and AA rules it can check.

The engine comes with the axe-playwright-python package (its axe.min.js); we inject and run
it ourselves so a failure names each rule and the elements that break it.
"""

from __future__ import annotations

from importlib.resources import files

from playwright.sync_api import Page

AXE_SCRIPT = files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# The two widths every dashboard page is checked at: a desk and a phone.
WIDTHS = {"desk": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


def violations(page: Page) -> list[dict]:
    """axe-core's violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    return page.evaluate("rules => axe.run(document, rules).then(r => r.violations)", RULES)


def described(found: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in found
    )


def assert_accessible(page: Page, where: str = "") -> None:
    found = violations(page)
    assert not found, f"axe-core on {where or page.url}:\n{described(found)}"
