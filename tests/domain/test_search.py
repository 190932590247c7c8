"""Search folding: accents, case and phone formatting never hide a client."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.domain.search import SEPARATOR, folded, name_text, phone_digits, searched_digits


def found(query: str, name: str, contact: str | None = None) -> bool:
    """As the database matches: the folded search inside the stored text, or its digits inside
    the stored phone digits."""
    digits = searched_digits(query)
    return folded(query) in name_text(name, contact) or bool(
        digits and digits in phone_digits(contact)
    )


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("nguyen", "Nguyễn Văn An"),
        ("NGUYỄN", "nguyen van an"),
        ("MULLER", "Jonas Müller"),
        ("muller", "Jonas Müller"),
        ("mueller", "Jonas Müller"),
        ("zoe", "Zoë Ørsted"),
        ("orsted", "Zoë Ørsted"),
        ("strasse", "Anna Straße"),
        ("jose maria", "José  María"),
        ("lodz", "Łódź Client"),
    ],
)
def test_names_are_found_whatever_their_accents_and_case(query, name):
    assert found(query, name)


@pytest.mark.parametrize(
    ("query", "contact"),
    [
        ("07700 900107", "+44 7700 900107"),
        ("07700900107", "+44 (0)7700 900107"),
        ("+44 7700 900107", "+44 7700-900-107"),
        ("0044 7700 900107", "+44 7700 900107"),
        ("900107", "+44 7700 900107"),
        ("07700 900200", "+44 7700 900107 (mum: 07700 900200)"),
        ("(020) 7946-0000", "020 7946 0000"),
    ],
)
def test_phone_numbers_are_found_whatever_their_formatting(query, contact):
    assert found(query, "Sam", contact)


@pytest.mark.parametrize(
    ("query", "name", "contact"),
    [
        ("07700 900108", "Sam", "+44 7700 900107"),
        ("nguyen", "Ngo An", None),
        ("7700 900107", "Sam", "7700 (mum) 900107"),  # two runs of text, not one number
        ("am\nsa", "Sam", "sam@example.com"),  # never across the stored parts
    ],
)
def test_what_is_not_there_is_not_found(query, name, contact):
    assert not found(query, name, contact)


def test_emails_and_other_contact_text_are_found_too():
    assert found("SAM@Example.com", "Sam", "sam@example.com")
    assert found("mum", "Sam", "07700 900200 (Mum)")


def test_a_search_that_is_not_a_number_has_no_digits():
    assert searched_digits("Demo client 3") is None
    assert searched_digits("0") is None
    assert searched_digits("+44 (0) 77") == "44077"


def test_stored_parts_hold_no_separator_a_search_could_match():
    assert SEPARATOR not in folded("line\none\ttwo")
    assert name_text("Müller", "x").split(SEPARATOR) == ["muller", "mueller", "x"]


@given(st.text(max_size=40))
def test_folding_is_idempotent_and_leaves_no_accents_or_capitals(text):
    once = folded(text)
    assert folded(once) == once
    assert not any(unicodedata.combining(c) for c in unicodedata.normalize("NFKD", once))
    assert once == once.casefold()


@given(st.text(max_size=20), st.text(max_size=20), st.text(max_size=20))
def test_any_part_of_a_name_finds_it(before, part, after):
    name = before + part + after
    assert found(part, name)


@given(st.from_regex(r"[1-9]\d{6,11}", fullmatch=True))
def test_a_national_number_finds_its_international_form(number):
    assert found(f"0{number[:4]} {number[4:]}", "Sam", f"+44 {number}")
