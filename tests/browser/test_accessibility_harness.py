"""The axe-core harness itself finds what it should: a check that finds nothing proves nothing."""

from __future__ import annotations

from .accessibility import violations


def test_axe_finds_an_unlabelled_field_and_an_image_without_alt(page):
    page.set_content(
        "<!doctype html><html lang='en'><title>t</title><main>"
        "<input type='text'><img src='data:,'></main></html>"
    )
    assert {v["id"] for v in violations(page)} >= {"label", "image-alt"}


def test_axe_passes_a_plain_labelled_page(page):
    page.set_content(
        "<!doctype html><html lang='en'><title>t</title><main><h1>Hello</h1>"
        "<label>Name <input type='text'></label></main></html>"
    )
    assert violations(page) == []
