"""The words of a password-reset email."""

from datetime import timedelta

from server.domain.password_reset import letter, lifetime, subject


def test_a_link_s_lifetime_is_said_as_people_say_it():
    assert lifetime(timedelta(hours=1)) == "1 hour"
    assert lifetime(timedelta(hours=48)) == "48 hours"
    assert lifetime(timedelta(minutes=30)) == "30 minutes"
    assert lifetime(timedelta(minutes=90)) == "90 minutes"
    assert lifetime(timedelta(minutes=1)) == "1 minute"


def test_the_email_names_the_clinic_the_link_and_who_asked():
    assert subject("North Clinic") == "A new Aftercue password for North Clinic"
    by_admin = letter("Robin", "North Clinic", "https://x.test/r", "48 hours", "Alex")
    assert by_admin.startswith("Hello Robin,\n\nAlex, an admin at North Clinic, made you")
    assert "\nhttps://x.test/r\n" in by_admin and "for 48 hours" in by_admin
    asked = letter("Robin", "North Clinic", "https://x.test/r", "1 hour", None)
    assert "asked to reset your password at North Clinic" in asked and "Alex" not in asked
