"""Schemathesis, a short seeded run: every operation answers as /api/openapi.json documents.

bench/fuzz.py runs the same with many more examples; its figures are in bench/README.md.
"""

import pytest

from tests.support import fuzzing

pytestmark = pytest.mark.slow

# Per operation, generation mode and role; derandomized, so every run sends the same requests.
MAX_EXAMPLES = 8
# Operations that no generated request can get past validation or authentication: a valid
# enrollment code, a real push service's key pair or a clinician's password cannot be guessed,
# nor a check-in occurrence's id (a hash) with a full set of its answers.
NEVER_SUCCEED = {
    "POST /api/v1/me/checkins",
    "POST /api/v1/enroll",
    "POST /api/v1/enroll/preview",
    "POST /api/v1/me/push-subscriptions",
    "POST /api/v1/clinic/session",
}


def test_every_operation_answers_as_documented(app, world, now):
    report = fuzzing.run(app, world.a, now, max_examples=MAX_EXAMPLES)

    assert report.failures == {}, "\n\n".join(
        f"{label}\n{failure}" for label, failure in report.failures.items()
    )
    positive = {
        label.split(" (")[0]: statuses
        for label, statuses in report.statuses.items()
        if "(positive, clinician)" in label
    }
    assert len(positive) >= 25, "every operation was called"
    unreached = [
        operation
        for operation, statuses in positive.items()
        if operation not in NEVER_SUCCEED and not any(200 <= s < 300 for s in statuses)
    ]
    assert unreached == [], "the run got past validation into every operation"
