"""Prompt validation: the worked example of each one-request prompt, answered by the model exactly as the example
shows, comes out of the whole pipeline (grounding, coding rules, second reading) as that answer."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from fakeserver import FakeServer, answer

from pow_extract import ExtractionSettings, extract
from pow_extract.model.prompting import load_prompts


def _example(version: str) -> tuple[str, dt.date, dict]:  # type: ignore[type-arg]
    system = load_prompts(version).system
    found = re.search(r'Article \(published (\d{4}-\d\d-\d\d)\):\n"""\n(.*?)\n"""\nAnswer:\n(.*)', system, re.S)
    assert found is not None, f"prompt {version}: no worked example found"
    return found.group(2), dt.date.fromisoformat(found.group(1)), json.loads(found.group(3).strip())


def _facts(exchanges: list[dict]) -> set[tuple]:  # type: ignore[type-arg]
    out: set[tuple] = set()  # type: ignore[type-arg]
    for i, e in enumerate(exchanges):
        out.add((i, "status", e["status"], e["mention"], tuple(sorted(e["parties"])), tuple(sorted(e["mediators"]))))
        if e.get("ordinal"):
            out.add((i, "ordinal", e["ordinal"]["number"]))
        for c in e["counts"]:
            out.add((i, "count", c["number"], c["returned_to"], c["claimant_side"], c["qualifier"]))
        for b in e["breakdown"]:
            out.add((i, "part", b["number"], b["category"], b["returned_to"]))
        for t in e["cumulative_totals"]:
            out.add((i, "total", t["number"], t["returned_to"], t["qualifier"]))
    return out


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_the_worked_example_comes_out_of_the_pipeline_as_its_answer(fake_server: FakeServer, version: str) -> None:
    text, published, expected = _example(version)
    fake_server.responder = lambda request: answer(expected)
    result = extract(text, base_url=fake_server.base_url, model="fake", published=published,
                     settings=ExtractionSettings(prompt_version=version))  # fmt: skip
    got = [e.model_dump(mode="json") for e in result.exchanges]
    assert not result.flagged
    assert _facts(got) == _facts(expected["exchanges"]), result.warnings
