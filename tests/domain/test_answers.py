"""A protocol's questions: the answers given are kept apart from the defaults the plan uses
until someone answers."""

import pytest

from server.domain.protocol import Option, Protocol, Question


def question(id_: str, default: str, *values: str) -> Question:
    return Question(id_, id_.title(), tuple(Option(v, v.title()) for v in values), default)


PROTOCOL = Protocol(
    id="p",
    title="P",
    version="1",
    source="A guide",
    questions=(
        question("hair_length", "shaved", "shaved", "short", "long"),
        question("gender", "man", "man", "woman"),
    ),
    tasks=(),
    restrictions=(),
)


def test_given_answers_fill_in_no_default_and_follow_the_protocol_s_order():
    assert PROTOCOL.given_answers({}) == {}
    given = PROTOCOL.given_answers({"gender": "woman", "hair_length": "long"})
    assert list(given.items()) == [("hair_length", "long"), ("gender", "woman")]


def test_the_plan_is_drawn_from_the_defaults_until_answered():
    assert PROTOCOL.resolve_answers({"gender": "woman"}) == {
        "hair_length": "shaved",
        "gender": "woman",
    }


@pytest.mark.parametrize(
    ("stored", "changes", "merged"),
    [
        ({}, {"gender": "woman"}, {"gender": "woman"}),
        ({"hair_length": "long"}, {"gender": "woman"}, {"hair_length": "long", "gender": "woman"}),
        ({"hair_length": "long", "gender": "man"}, {"gender": None}, {"hair_length": "long"}),
        ({"hair_length": "long"}, {}, {"hair_length": "long"}),
        # An answer the (edited) protocol no longer offers is dropped, not held against a change.
        ({"hair_length": "curly", "scalp": "oily"}, {"gender": "man"}, {"gender": "man"}),
    ],
)
def test_changes_answer_or_hand_back_their_questions_and_keep_the_rest(stored, changes, merged):
    assert PROTOCOL.merge_answers(stored, changes) == merged


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"colour": "blue"}, "unknown question(s): colour"),
        ({"colour": None}, "unknown question(s): colour"),
        ({"gender": "other"}, "gender: 'other' is not one of man, woman"),
    ],
)
def test_an_unknown_question_or_option_is_refused(changes, problem):
    with pytest.raises(ValueError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        PROTOCOL.merge_answers({"gender": "man"}, changes)
