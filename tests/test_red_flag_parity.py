"""The app (pwa/js/shared/red_flags.js) and the server (server/domain/checkins.py) raise the
same red flags for the same answers, with the shipped protocols' rules and random ones."""

import json
import random
import subprocess
from pathlib import Path

from server.domain.checkins import raised
from server.plans.registry import _checkin, load_file

CLI = Path(__file__).parent / "js" / "red_flags_cli.mjs"
PROTOCOLS = Path(__file__).parents[1] / "protocols"
# Answers of every kind, and some no honest phone sends (a flag must not rise on them).
VALUES = ["yes", "no", "none", "pus", "clear", "spreading", "same", 0, 6, 7, 10, 7.5, True, "7"]


def shipped_checkins():
    return [
        load_file(path).bundle["checkin"]
        for path in sorted(PROTOCOLS.glob("*.toml"))
        if "." not in path.stem
    ]


def random_rules(rng: random.Random, questions: list[str]) -> list[dict]:
    rules = []
    for index in range(rng.randint(1, 5)):
        rule = {"id": f"r{index}", "question": rng.choice(questions)}
        if rng.random() < 0.4:
            rule["at_least"] = rng.randint(1, 10)
        else:
            rule["answers"] = rng.sample(["yes", "no", "pus", "spreading", "same"], 2)
        if rng.random() < 0.5:
            rule["from_day"] = rng.randint(1, 6)
        rules.append(rule)
    return rules


def cases(seed: int, count: int):
    rng = random.Random(seed)
    checkins = shipped_checkins()
    for _ in range(count):
        checkin = rng.choice(checkins)
        questions = [q["id"] for q in checkin["questions"]]
        rules = checkin["red_flags"] if rng.random() < 0.5 else random_rules(rng, questions)
        asked = rng.sample(questions, rng.randint(0, len(questions)))
        answers = {question: rng.choice(VALUES) for question in asked}
        yield {"rules": rules, "answers": answers, "day": rng.randint(1, 9)}


def python_raised(case: dict) -> list[str]:
    rules = [{"reason": "r", "basis": "guide", **rule} for rule in case["rules"]]
    checkin = _checkin(
        {"title": "t", "meanwhile": "m", "placement": "evening", "windows": []}
        | {"questions": [], "red_flags": rules}
    )
    return raised(checkin.red_flags, case["answers"], case["day"])


def test_javascript_and_python_raise_the_same_red_flags():
    sent = list(cases(seed=20261211, count=600))
    result = subprocess.run(
        ["node", str(CLI)],
        input=json.dumps(sent),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    from_js = json.loads(result.stdout)
    from_python = [python_raised(case) for case in sent]
    assert from_js == from_python
    assert sum(1 for flags in from_python if flags) > 50, "the cases raise flags often"
    assert sum(1 for flags in from_python if not flags) > 100, "and often none"
