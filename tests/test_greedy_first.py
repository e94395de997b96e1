"""The embedded server's greedy-first grammar check picks the token the whole vocabulary would, or declines.

``choose`` sees the top candidates by raw logit (token-id order) after the chain's penalties and grammar ran on them
(a rejected token's logit is ``-inf``) and the lowest raw logit among them (``floor``): every token left out has a raw
logit at most ``floor``, and penalties only lower logits. The live check that answers stay byte-identical is in
``tests/test_live.py``."""

from __future__ import annotations

import math

import pytest

from pow_extract.model.llama_server import GREEDY_FIRST_ENV, choose, greedy_first_enabled

REJECTED = -math.inf

# (what the candidates show, candidates, floor, the token chosen or None when the full vocabulary must decide)
CHOICES: list[tuple[str, list[tuple[int, float]], float, int | None]] = [
    ("the best accepted token above the floor", [(3, 9.0), (7, 12.5), (11, 4.0)], 2.0, 7),
    ("a rejected best token gives way to the next accepted one", [(3, 9.0), (7, REJECTED), (11, 4.0)], 2.0, 3),
    ("a penalty can move the choice", [(3, 9.0 / 1.1), (7, 8.5)], 2.0, 7),
    ("ties go to the lower token id, as llama.cpp's greedy sampler", [(3, 6.0), (7, 6.0)], 2.0, 3),
    ("best equal to the floor: a token left out could tie", [(3, 2.0), (7, REJECTED)], 2.0, None),
    ("best below the floor: a token left out could win", [(3, 1.5), (7, REJECTED)], 2.0, None),
    ("every candidate rejected", [(3, REJECTED), (7, REJECTED)], 2.0, None),
    ("no candidates", [], 2.0, None),
]  # fmt: skip


@pytest.mark.parametrize(("candidates", "floor", "token"), [c[1:] for c in CHOICES], ids=[c[0] for c in CHOICES])
def test_the_greedy_choice_is_taken_only_when_no_token_left_out_could_match_it(
    candidates: list[tuple[int, float]], floor: float, token: int | None
) -> None:
    assert choose(candidates, floor) == token


@pytest.mark.parametrize(("value", "on"), [(None, True), ("1", True), ("0", False), ("off", False), (" False ", False)])
def test_the_check_is_on_unless_the_environment_turns_it_off(
    monkeypatch: pytest.MonkeyPatch, value: str | None, on: bool
) -> None:
    if value is None:
        monkeypatch.delenv(GREEDY_FIRST_ENV, raising=False)
    else:
        monkeypatch.setenv(GREEDY_FIRST_ENV, value)
    assert greedy_first_enabled() is on
