"""Which parts of a free-text contact are phone numbers and emails, and their links."""

import pytest

from server.domain.contact import Piece, emails, mailto, phones, pieces, sms


def test_a_phone_and_an_email_are_found_in_order_with_the_text_between():
    contact = "+44 7700 900107 (mum: 07700 900200), sam@example.com"
    assert pieces(contact) == [
        Piece("+44 7700 900107", "phone", "tel:+447700900107", "sms:+447700900107"),
        Piece(" (mum: "),
        Piece("07700 900200", "phone", "tel:07700900200", "sms:07700900200"),
        Piece("), "),
        Piece("sam@example.com", "email", "mailto:sam@example.com"),
    ]
    assert "".join(p.text for p in pieces(contact)) == contact


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("+44 (0)7700 900107", "+447700900107"),
        ("(020) 7946 0000", "02079460000"),
        ("+1 212-555-0147", "+12125550147"),
        ("0612.34.56.78", "0612345678"),
        ("+353 1 234 5678 90", "+3531234567890"),
    ],
)
def test_phone_numbers_are_dialled_as_digits_after_an_optional_plus(written, number):
    assert phones(written) == [number]


@pytest.mark.parametrize(
    "contact",
    [None, "", "ask at the desk", "ext 1234", "+44 12", "2026-04-20", "1234567890123456", "sam@"],
)
def test_text_that_is_neither_is_no_link(contact):
    assert all(piece.kind == "text" for piece in pieces(contact))


def test_digits_inside_an_email_are_not_a_phone():
    assert pieces("client07700900107@example.com") == [
        Piece("client07700900107@example.com", "email", "mailto:client07700900107@example.com")
    ]


def test_odd_addresses_are_percent_encoded_in_the_link():
    assert emails("o'brien&co+smp@example.co.uk.") == ["o'brien&co+smp@example.co.uk"]
    assert mailto("o'brien&co+smp@example.co.uk") == "mailto:o'brien%26co+smp@example.co.uk"
    assert mailto("a%b?c#d@x.io") == "mailto:a%25b%3Fc%23d@x.io"


def test_messages_are_percent_encoded_with_spaces_as_20():
    body = "Your link: https://a.test/enroll#Ab-9 & more"
    assert sms("+447700900107", body) == (
        "sms:+447700900107?&body=Your%20link%3A%20https%3A%2F%2Fa.test%2Fenroll%23Ab-9%20%26%20more"
    )
    assert sms(body="Hi") == "sms:?&body=Hi"
    assert mailto("sam@x.io", "Your plan", "Line one\nLine two") == (
        "mailto:sam@x.io?subject=Your%20plan&body=Line%20one%0ALine%20two"
    )
    assert mailto(subject="Hi") == "mailto:?subject=Hi"
