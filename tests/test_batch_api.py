"""The Batch API round trip against a local fake of ``/v1/files`` and ``/v1/batches`` (tests/fakebatch.py), compared
with the online path against the chat fake (tests/fakeserver.py) giving the same answers."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import openai
import pytest
from fakebatch import FakeBatchAPI
from fakeserver import Behaviour, FakeServer, Recorded, answer, grounded_answer, no_exchanges, status
from pydantic import BaseModel

from pow_extract.cli import main
from pow_extract.dataset.batch import BatchError, BatchRecord, extract_many, read_batch
from pow_extract.dataset.batch_api import BatchJob, BatchJobError, state_dir_for
from pow_extract.dataset.batch_reading import Question
from pow_extract.model.backends import Backend
from pow_extract.reading.article import Article
from pow_extract.reading.extraction import ExtractionSettings, extract
from pow_extract.records.schema import ArticleExtraction

_NUMBER = re.compile(r"Article #(\d+):")


def _articles(n: int) -> list[Article]:
    return [
        Article(
            text=f"KYIV, 12 March 2024. Ukraine and Russia carried out a prisoner exchange on Tuesday. Article #{i}: "
            f"{200 + i} Ukrainian soldiers came home, officials said.",
            id=f"b{i:03d}",
            published=dt.date(2024, 3, 12),
            source=f"outlet-{i % 3}",
        )
        for i in range(n)
    ]


class Answers:
    """Answers decided by the request's content only, so the online and the batch paths get the same ones: a
    grounded exchange for even articles, none for odd ones; article #3's first answer is invalid JSON (its re-ask,
    which carries the error, gets a valid answer); article #5's answer always breaks the schema (it fails after every
    re-ask). ``broken`` article numbers get an HTTP 500 instead (a failed batch line)."""

    def __init__(self, articles: list[Article], broken: set[int] | None = None) -> None:
        self.texts = [a.text for a in articles]
        self.broken = broken or set()

    def __call__(self, request: Recorded) -> Behaviour:
        found = _NUMBER.search(request.text)
        assert found is not None
        i = int(found.group(1))
        if i in self.broken:
            return status(500)
        reask = any(m.get("role") == "assistant" for m in request.messages)
        if i == 3 and not reask:
            return answer('{"exchanges": [ {"status": ')
        if i == 5:
            return answer({"exchanges": [{"status": "finished", "kind": "robots"}]})
        if i % 2 == 0:
            return grounded_answer(self.texts[i], sentence="carried out a prisoner exchange on Tuesday",
                                   number=200 + i, claimant="officials")  # fmt: skip
        return no_exchanges()


def _client(api: FakeBatchAPI) -> openai.OpenAI:
    return openai.OpenAI(base_url=api.base_url, api_key="sk-test-batch-0123456789", max_retries=0)


def _comparable(record: BatchRecord | BatchError) -> dict[str, Any]:
    return {k: v for k, v in record.model_dump(mode="json").items() if k not in ("seconds", "cached")}


@pytest.mark.parametrize("structured", ["json_object", "llama_cpp", "json_schema"])
def test_submit_uploads_exactly_the_requests_extract_sends(
    fake_server: FakeServer, tmp_path: Path, structured: str
) -> None:
    articles = _articles(4)
    fake_server.responder = Answers(articles)
    for article in articles[:3]:  # #3 would re-ask: its first request is what counts here
        extract(article, base_url=fake_server.base_url, model="fake", structured=structured)  # type: ignore[arg-type]
    online = [r.body for r in fake_server.chat_requests()]
    with FakeBatchAPI() as api:
        backend = Backend(base_url=api.base_url, model="fake", structured=structured)  # type: ignore[arg-type]
        with BatchJob.create(tmp_path / "state", articles[:3], tmp_path / "out.jsonl", backend=backend) as job:
            progress = job.submit(_client(api))
        (batch_id,) = api.pending()
        lines = api.input_lines(batch_id)
    assert len(progress.submitted) == 1 and progress.waiting == 3
    assert [line["body"] for line in lines] == online  # the same JSON objects, key for key
    assert {line["url"] for line in lines} == {"/v1/chat/completions"}
    assert len({line["custom_id"] for line in lines}) == 3
    saved = (tmp_path / "state" / progress.submitted[0].file).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in saved] == lines  # the file kept in the state is the file uploaded


def test_round_trip_records_equal_the_online_path_with_a_reask_round(fake_server: FakeServer, tmp_path: Path) -> None:
    articles = _articles(8)
    answers = Answers(articles)
    fake_server.responder = answers
    settings = ExtractionSettings(max_reasks=2)  # re-asks on, as a user may set them
    online = extract_many(articles, base_url=fake_server.base_url, model="fake", structured="json_object",
                          cache=False, progress=False, settings=settings)  # fmt: skip
    assert online.ok == 7 and [e.article_id for e in online.errors] == ["b005"]

    with FakeBatchAPI(answers) as api:
        backend = Backend(base_url=api.base_url, model="fake")
        output = tmp_path / "out.jsonl"
        with BatchJob.create(state_dir_for(output), articles, output, backend=backend, settings=settings) as job:
            first = job.submit(_client(api))
        assert first.submitted[0].requests == 8 and first.submitted[0].round == 1
        api.run_all()
        with BatchJob.open(state_dir_for(output)) as job:
            second = job.collect(_client(api))
        # the invalid answers of #3 and #5 are re-asked in a second round, with the error, as instructor does online
        assert [b.round for b in second.submitted] == [2] and second.submitted[0].requests == 2
        assert second.output is None and second.exit_code == 4 and second.done == 6
        reasks = api.input_lines(second.submitted[0].id)
        assert all(any(m["role"] == "assistant" for m in line["body"]["messages"]) for line in reasks)
        api.run_all()
        with BatchJob.open(state_dir_for(output)) as job:
            last = job.collect(_client(api))
    # #5 answered its re-ask word for word as before: no third attempt, online (2 requests) as in batch
    assert not last.submitted and last.output == output and last.exit_code == 1
    assert (last.done, last.failed, last.line_failed) == (7, 1, 0)  # b005: invalid after every re-ask, as online
    records, errors = read_batch(output)
    assert {r.article_id: _comparable(r) for r in records} == {r.article_id: _comparable(r) for r in online.results}
    assert [(e.article_id, e.index, e.error.message) for e in errors] == [
        (e.article_id, e.index, e.error.message) for e in online.errors
    ]
    assert sum(len(r.exchanges) for r in records) == 4 and all(r.usage.requests >= 1 for r in records)
    assert len(api.lines_seen) == len(fake_server.chat_requests())  # the same number of model calls


def test_failed_lines_and_an_expired_batch_lose_nothing_and_can_be_resubmitted(tmp_path: Path) -> None:
    articles = [a for i, a in enumerate(_articles(10)) if i not in (3, 5)]  # no re-asks: one round
    answers = Answers(_articles(10), broken={2, 8})
    output = tmp_path / "out.jsonl"
    with FakeBatchAPI(answers) as api:
        backend = Backend(base_url=api.base_url, model="fake")
        with BatchJob.create(state_dir_for(output), articles, output, backend=backend) as job:
            job.submit(_client(api))
        (batch_id,) = api.pending()
        api.run(batch_id, expire_after=6)  # the lines of b008 and b009 expire; b002 gets an HTTP 500
        with BatchJob.open(state_dir_for(output)) as job:
            partial = job.collect(_client(api))
        assert partial.output == output and partial.exit_code == 1
        assert (partial.done, partial.line_failed, partial.failed) == (5, 3, 0)
        records, errors = read_batch(output)
        assert len(records) + len(errors) == 8  # every article has its line: nothing lost
        messages = {e.article_id: e.error.message for e in errors}
        assert set(messages) == {"b002", "b008", "b009"}
        assert "HTTP 500" in messages["b002"] and "batch_expired" in messages["b009"]
        assert all("pow-extract batch submit" in m for m in messages.values())

        answers.broken.clear()
        with BatchJob.open(state_dir_for(output)) as job:
            again = job.submit(_client(api))
        assert [b.requests for b in again.submitted] == [3]  # exactly the failed and expired requests
        api.run_all()
        with BatchJob.open(state_dir_for(output)) as job:
            final = job.collect(_client(api))
    assert final.exit_code == 0 and final.done == 8
    records, errors = read_batch(output)
    assert not errors and sorted(r.index for r in records) == list(range(8))


def test_a_failed_batch_marks_its_articles_resubmittable(tmp_path: Path) -> None:
    articles = _articles(3)
    output = tmp_path / "out.jsonl"
    with FakeBatchAPI(Answers(articles)) as api:
        backend = Backend(base_url=api.base_url, model="fake")
        with BatchJob.create(state_dir_for(output), articles, output, backend=backend) as job:
            job.submit(_client(api))
        api.run(api.pending()[0], fail=True)
        with BatchJob.open(state_dir_for(output)) as job:
            progress = job.collect(_client(api))
            assert progress.line_failed == 3 and progress.exit_code == 2
            assert "ended 'failed'" in progress.errors[0] and "invalid_request" in progress.errors[0]
            resubmitted = job.submit(_client(api))
    assert resubmitted.submitted[0].requests == 3


def test_unreadable_inputs_and_bad_jobs_are_clear_errors(tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    backend = Backend(base_url="http://127.0.0.1:9/v1", model="fake")
    job = BatchJob.create(state_dir_for(output), [*_articles(1), tmp_path / "missing.txt"], output, backend=backend)
    job.close()
    entries = [json.loads(line) for line in (state_dir_for(output) / "articles.jsonl").read_text().splitlines()]
    assert entries[1]["error"]["type"] == "ArticleError" and "missing.txt" in entries[1]["error"]["message"]
    with pytest.raises(BatchJobError, match="already holds a batch job"):
        BatchJob.create(state_dir_for(output), _articles(1), output, backend=backend)
    with pytest.raises(BatchJobError, match="no batch job"):
        BatchJob.open(tmp_path / "elsewhere")
    with pytest.raises(BatchJobError, match="embedded"):
        BatchJob.create(tmp_path / "e", _articles(1), output, backend=Backend(base_url=None, model="m", embedded=True))


def test_cli_submit_status_collect(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    articles = [a for i, a in enumerate(_articles(4)) if i != 3]
    folder = tmp_path / "in"
    folder.mkdir()
    for article in articles:
        (folder / f"{article.id}.txt").write_text(article.text, encoding="utf-8")
    output = tmp_path / "out.jsonl"
    with FakeBatchAPI(Answers(_articles(4))) as api:
        common = ["-o", str(output), "--api-key", "sk-test-batch-0123456789"]
        assert main(["batch", "submit", str(folder), *common, "--base-url", api.base_url, "--model", "fake",
                     "--published", "2024-03-12"]) == 0  # fmt: skip
        assert "submitted batch_" in capsys.readouterr().err
        assert main(["batch", "status", *common]) == 0
        assert "in_progress" in capsys.readouterr().out
        assert main(["batch", "collect", *common]) == 4  # still running
        api.run_all()
        assert main(["batch", "collect", *common]) == 0
        assert f"wrote {output}" in capsys.readouterr().err.replace("\n", "")
        assert main(["batch", "submit", *common]) == 0
        assert "nothing to submit" in capsys.readouterr().err
    records, errors = read_batch(output)
    assert sorted(r.article_id for r in records) == ["b000", "b001", "b002"] and not errors
    assert main(["merge", str(output), "-o", str(tmp_path / "events.csv")]) == 0  # the output is extract's format


# ------------------------------------------------------------------------------ a reading in two dependent rounds


class Numbers(BaseModel):
    numbers: list[int]


class Detail(BaseModel):
    who: str


class TwoRounds:
    """A toy reading shaped like the coming one: round 1 asks which numbers the article reports; round 2 asks one
    question per number found (so it depends on round 1's answer)."""

    def __init__(self, article: Article, backend: Backend, settings: Any) -> None:
        self.article, self.backend = article, backend
        self.numbers: list[int] | None = None
        self.details: dict[int, str] = {}
        self.failed: list[str] = []

    def _question(self, key: str, ask: str, model: type[BaseModel]) -> Question:
        messages = [{"role": "system", "content": f"Article:\n{self.article.text}"}, {"role": "user", "content": ask}]
        request = {"model": self.backend.model, "messages": messages, "response_model": model, "max_tokens": 64,
                   "temperature": 0.0, "max_retries": 0}  # fmt: skip
        return Question(key=key, messages=messages, response_model=model, max_tokens=64, request=request)

    def questions(self) -> list[Question]:
        if self.numbers is None:
            return [self._question("numbers", "Which numbers?", Numbers)]
        return [self._question(f"n{n}", f"Who is {n}?", Detail) for n in self.numbers if n not in self.details]

    def answer(self, question: Question, parsed: BaseModel, completion: Any) -> None:
        if isinstance(parsed, Numbers):
            self.numbers = parsed.numbers
        elif isinstance(parsed, Detail):
            self.details[int(question.key[1:])] = parsed.who

    def fail(self, question: Question, error: Exception) -> None:
        self.failed.append(question.key)

    def result(self) -> ArticleExtraction:
        notes = [f"{n}: {self.details[n]}" for n in sorted(self.details)]
        return ArticleExtraction(article_id=self.article.id, text=self.article.text, warnings=notes)


def _two_rounds_answers(request: Recorded) -> Behaviour:
    asked = request.messages[-1]["content"]
    if asked == "Which numbers?":
        return answer({"numbers": [int(n) for n in re.findall(r"\b(\d{3})\b", request.text)]})
    number = int(re.findall(r"\d+", asked)[0])
    return answer({"who": "soldiers" if number % 2 else "civilians"})


def test_a_reading_in_rounds_gets_its_next_round_submitted_by_collect(tmp_path: Path) -> None:
    articles = [Article(text=f"Swap: {100 + i} soldiers and {300 + i} civilians.", id=f"t{i}") for i in range(3)]
    output = tmp_path / "out.jsonl"
    with FakeBatchAPI(_two_rounds_answers) as api:
        backend = Backend(base_url=api.base_url, model="fake")
        with BatchJob.create(state_dir_for(output), articles, output, backend=backend, reading=TwoRounds) as job:
            first = job.submit(_client(api))
        assert [b.requests for b in first.submitted] == [3]  # round 1: one question per article
        api.run_all()
        with BatchJob.open(state_dir_for(output), reading=TwoRounds) as job:
            second = job.collect(_client(api))
        assert [(b.round, b.requests) for b in second.submitted] == [(2, 6)]  # two numbers found in each article
        assert second.output is None and second.exit_code == 4
        asked = sorted(line["body"]["messages"][-1]["content"] for line in api.input_lines(second.submitted[0].id))
        assert asked[:2] == ["Who is 100?", "Who is 101?"]
        api.run_all()
        with BatchJob.open(state_dir_for(output), reading=TwoRounds) as job:
            final = job.collect(_client(api))
    assert final.exit_code == 0 and not final.submitted
    records, _ = read_batch(output)
    assert [r.warnings for r in records] == [
        [f"{100 + i}: {'soldiers' if i % 2 else 'civilians'}", f"{300 + i}: {'soldiers' if i % 2 else 'civilians'}"]
        for i in range(3)
    ]
