"""The question design (prompt v3): what code reads off the text, the questions asked, and the worked example
of the prompt, which the whole pipeline must turn back into its own expected records."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from fakeserver import Behaviour, FakeServer, Recorded, answer

import pow_extract as pe
from pow_extract.model.prompting import prompts_dir
from pow_extract.reading.plan import example_key, load_question_prompts, new_reading
from pow_extract.reading.questions import ArticleLayout, is_question_design
from pow_extract.records.gold import GoldArticle

QUESTION_VERSIONS = [p.name for p in sorted(prompts_dir().iterdir()) if is_question_design(p.name)]


@pytest.mark.parametrize(
    ("sentence", "asked"),
    [
        ("Ukraine brought home 45 soldiers.", ["45"]),
        ("On January 31, 195 came home.", ["195"]),  # the day of a date is not asked about
        ("The war began in 2022 and 2,500 came home.", ["2,500"]),  # a year is not
        ("The Il-76 carried 65 prisoners.", ["65"]),  # a model name is not
        ("Talks cost $5 million and 12 percent more.", []),  # money and percentages are not
        ("A fine of $300 was paid for 20 prisoners.", ["20"]),  # an amount of money is not
        ("It was one of the largest swaps.", []),  # 'one of' is a pronoun
        ("One American was freed for one Russian.", ["One", "one"]),
        ("The first such exchange; the 50th swap.", ["50th"]),  # 'first' is never a series number
    ],
)
def test_the_numbers_worth_a_question(sentence: str, asked: list[str]) -> None:
    layout = ArticleLayout.of(sentence)
    assert [n.text for n in layout.numbers] == asked


def test_the_article_is_numbered_one_sentence_per_line() -> None:
    layout = ArticleLayout.of("Title of it\n\nFirst one. Second one, the U.S. said.\n")
    assert layout.numbered() == "[1] Title of it\n[2] First one.\n[3] Second one, the U.S. said."


def test_a_number_is_marked_in_its_own_sentence() -> None:
    layout = ArticleLayout.of("Heading\n\nKyiv got 95 back. Moscow got 95 back too.")
    second = layout.numbers[1]
    assert layout.marked(second) == (3, "Moscow got <<95>> back too.")


def _example(version: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((prompts_dir() / version / "example.json").read_text(encoding="utf-8"))
    return data


def _asked(version: str) -> list[tuple[str, str]]:
    """(answer key, question text) of every question the pipeline asks about the worked example."""
    example = _example(version)
    prompts = load_question_prompts(version)
    reading = new_reading(example["text"], dt.date.fromisoformat(example["published"]), prompts)
    asked = []
    while questions := reading.questions():
        for question in questions:
            key = example_key(reading, question)
            asked.append((key, question.messages[-1]["content"]))
            reading.answer(question, question.response_model.model_validate(example["answers"][key]))
    return asked


@pytest.mark.parametrize("version", QUESTION_VERSIONS)
def test_the_worked_example_answers_every_question_the_pipeline_asks_and_no_other(version: str) -> None:
    assert {key for key, _ in _asked(version)} == set(_example(version)["answers"])


@pytest.mark.parametrize("version", QUESTION_VERSIONS)
def test_the_worked_example_is_in_the_system_prompt_as_the_model_will_be_asked(version: str) -> None:
    system = load_question_prompts(version).system
    for _, question in _asked(version):
        assert question in system


def _asks(question: str, key: str) -> bool:
    return {"people": "Which people", "main": "Which exchange is", "exchanges": "Which exchanges"}[key] in question


def _example_server(example: dict[str, Any]) -> FakeServer:
    """A real local server answering each question with the worked example's answer to it."""

    def respond(request: Recorded) -> Behaviour:
        question = request.body["messages"][-1]["content"]
        marked = re.search(r"What (?:is|happened) <<(.+?)>>", question)
        if marked:
            key = marked.group(1)
        else:
            key = next(k for k in ("people", "main", "exchanges") if k in example["answers"] and _asks(question, k))
        return answer(example["answers"][key])

    server = FakeServer()
    server.responder = respond
    return server


@pytest.mark.parametrize("version", QUESTION_VERSIONS)
def test_the_worked_example_round_trips_through_the_whole_pipeline(version: str) -> None:
    example = _example(version)
    settings = pe.ExtractionSettings(prompt_version=version)
    with _example_server(example) as server:
        backend = pe.Backend(base_url=server.base_url, model="fake", structured="json_schema", timeout=5.0)
        result = pe.extract(example["text"], backend=backend, published=dt.date.fromisoformat(example["published"]),
                            article_id="example", settings=settings)  # fmt: skip
    gold = GoldArticle(article_id="example", published=example["published"], exchanges=example["expected"])
    report = pe.score({"example": result}, {"example": gold})
    assert report.overall.f1 == 1.0, report.to_markdown() if hasattr(report, "to_markdown") else report
    assert report.claimant_accuracy == 1.0


@pytest.mark.parametrize("version", QUESTION_VERSIONS)
def test_every_question_of_an_article_starts_with_the_same_prefix(version: str) -> None:
    example = _example(version)
    with _example_server(example) as server:
        backend = pe.Backend(base_url=server.base_url, model="fake", structured="json_schema", timeout=5.0)
        pe.extract(example["text"], backend=backend, published=dt.date(2023, 5, 12),
                   settings=pe.ExtractionSettings(prompt_version=version))  # fmt: skip
        requests = server.chat_requests()
    first = requests[0].body["messages"]
    assert len(requests) == len(_asked(version))
    for request in requests[1:]:
        messages = request.body["messages"]
        assert messages[:2] == first[:2]  # instructions + numbered article, byte for byte
        assert "schema" not in json.dumps(messages).lower()  # the schema travels in response_format only
        assert request.body["response_format"]["type"] == "json_schema"
