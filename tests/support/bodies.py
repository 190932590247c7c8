"""A valid JSON body for every API operation that reads one: the base that bad-input tests
and the fuzzer's attack corpus change one field of (tests/api/test_bad_input.py checks that
the table names every such operation)."""

import uuid
from datetime import timedelta

from tests.support.phones import KEYS


def bodies(world, now, clinic=None) -> dict[str, tuple[str, str, dict]]:
    """A valid body for each operation with one: (who calls, path, body). Paths name
    `clinic`'s rows (default: clinic A of `world`)."""
    clinic = clinic or world.a
    client = f"/api/v1/clinic/clients/{clinic.client_id}"
    start = now + timedelta(days=30)
    times = {"start": start.isoformat(), "end": (start + timedelta(hours=3)).isoformat()}
    profile = {
        "name": "Ann",
        "contact": "ann@example.test",
        "timezone": "Europe/London",
        "answers": {"hair_length": "shaved"},
        "wake": "07:00",
        "bed": "23:00",
        "language": "es",
    }
    endpoint = "https://fcm.googleapis.com/fcm/send/abc"
    event = {"id": str(uuid.uuid4()), "occurrence": "x1", "action": "done", "at": now.isoformat()}
    return {
        "POST /api/v1/enroll": ("anyone", "/api/v1/enroll", {"code": "abc", "label": "Phone"}),
        "POST /api/v1/enroll/preview": (
            "anyone",
            "/api/v1/enroll/preview",
            {"code": "abc", "label": "Phone"},
        ),
        "PUT /api/v1/me/settings": (
            "phone",
            "/api/v1/me/settings",
            {"wake": "07:00", "bed": "22:00"},
        ),
        "PUT /api/v1/me/answers": (
            "phone",
            "/api/v1/me/answers",
            {"answers": {"hair_length": "long"}},
        ),
        "PUT /api/v1/me/language": ("phone", "/api/v1/me/language", {"language": "ar"}),
        "POST /api/v1/me/sync": (
            "phone",
            "/api/v1/me/sync",
            {"events": [event], "cursor": None, "timezone": "Europe/London"},
        ),
        "POST /api/v1/me/checkins": (
            "phone",
            "/api/v1/me/checkins",
            {
                "checkins": [
                    {
                        "id": str(uuid.uuid4()),
                        "occurrence": "x1",
                        "answers": {"oozing": "pus", "pain": 7},
                        "at": now.isoformat(),
                    }
                ]
            },
        ),
        "POST /api/v1/me/push-subscriptions": (
            "phone",
            "/api/v1/me/push-subscriptions",
            {
                "endpoint": endpoint,
                "keys": KEYS,
            },
        ),
        "DELETE /api/v1/me/push-subscriptions": (
            "phone",
            "/api/v1/me/push-subscriptions",
            {"endpoint": endpoint},
        ),
        "PUT /api/v1/me/reminders": (
            "phone",
            "/api/v1/me/reminders",
            {"enabled": True, "discreet": False, "quiet_start": "22:00", "quiet_end": "07:00"},
        ),
        "POST /api/v1/clinic/session": (
            "browser",
            "/api/v1/clinic/session",
            {"email": "nobody@a.test", "password": "wrong"},
        ),
        "POST /api/v1/clinic/clients": (
            "clinician",
            "/api/v1/clinic/clients",
            {**profile, "protocol_id": "scalp-nation", "sessions": [times]},
        ),
        "PATCH /api/v1/clinic/clients/{client_id}": ("clinician", client, profile),
        "POST /api/v1/clinic/clients/{client_id}/sessions": (
            "clinician",
            f"{client}/sessions",
            times,
        ),
        "PATCH /api/v1/clinic/clients/{client_id}/sessions/{session_id}": (
            "clinician",
            f"{client}/sessions/{clinic.future_session_id}",
            times,
        ),
        "POST /api/v1/clinic/clients/{client_id}/devices/{device_id}/revoke": (
            "clinician",
            f"{client}/devices/{clinic.device_id}/revoke",
            {"cancel_links": False},
        ),
    }
