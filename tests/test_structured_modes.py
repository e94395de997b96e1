"""What each structured-output mode puts on the wire (``Backend.structured``), checked on the request a real local
HTTP server received: one table, one row per mode."""

from __future__ import annotations

from typing import Any

import pytest
from fakeserver import FakeServer, grounded_answer

from pow_extract import extract

ARTICLE = "Prisoners swapped\nUkraine brought home 45 soldiers on Thursday, officials said."


def _schema_in_prompt(body: dict[str, Any]) -> bool:
    return '"CountClaim"' in body["messages"][0]["content"]


@pytest.mark.parametrize(
    ("structured", "response_format_type", "schema_where"),
    [
        ("json_object", "json_object", None),  # any OpenAI-compatible server: the schema travels in the prompt only
        ("llama_cpp", "json_object", "schema"),  # llama-cpp-python's server: json_object plus a schema to decode by
        ("json_schema", "json_schema", "json_schema"),  # vLLM, SGLang, llama-server, OpenAI: standard json_schema
    ],
)
def test_each_structured_mode_sends_its_response_format(
    fake_server: FakeServer, structured: str, response_format_type: str, schema_where: str | None
) -> None:
    fake_server.responder = lambda request: grounded_answer(ARTICLE, sentence="Ukraine brought home", number=45)
    result = extract(ARTICLE, base_url=fake_server.base_url, model="fake", structured=structured)  # type: ignore[arg-type]
    (request,) = fake_server.chat_requests()
    sent = request.body["response_format"]
    assert sent["type"] == response_format_type
    assert _schema_in_prompt(request.body)  # instructor's JSON mode always states the schema in the prompt too
    if schema_where is None:
        assert set(sent) == {"type"}
    elif schema_where == "schema":
        assert sent["schema"]["$defs"]["CountClaim"]["required"][0] == "quote"
    else:
        assert sent["json_schema"]["name"] == "exchanges"
        assert sent["json_schema"]["schema"]["$defs"]["CountClaim"]["properties"]["number"]["minimum"] == 0
        assert sent["json_schema"]["schema"]["$defs"]["PrisonerExchange"]["properties"]["counts"]["maxItems"] > 0
    assert [c.number for e in result.exchanges for c in e.counts] == [45]
