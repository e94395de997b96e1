"""A/B of how one recorded request is constrained, kept as the record of the experiments that used it
(evals/experiments/README.md): the recorded v1 request of one eval article is sent to a running llama.cpp server in
each named variant, one after the other; prints seconds, completion tokens, generated tokens per second (the prompt
is served from the prefix cache after the first run, so send ``as-recorded`` first) and which answers are identical.

Variants: ``as-recorded``; ``no-maxlength`` (every string ``maxLength`` removed from the schema); ``quote-N`` (every
``quote`` bounded to N characters); ``json-object`` (llama.cpp's generic JSON grammar, no schema); ``no-grammar``
(no ``response_format`` at all); ``figures-unquoted`` (the system prompt kept in
``evals/experiments/figures-unquoted`` and no ``quote`` on any figure: only the exchange keeps its sentence).

    python benchmarks/request_ab.py http://127.0.0.1:PORT evals/cassettes/125_state_media_95_for_95_october.yaml \
        as-recorded no-maxlength as-recorded no-maxlength
    python benchmarks/request_ab.py http://127.0.0.1:PORT evals/cassettes/125_state_media_95_for_95_october.yaml \
        as-recorded quote-60 no-grammar json-object --max-tokens 200 --show
"""

from __future__ import annotations

import argparse
import json
import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml

_ROOT = Path(__file__).resolve().parents[1]


def _strip_max_length(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "string":
            node.pop("maxLength", None)
        for value in node.values():
            _strip_max_length(value)
    elif isinstance(node, list):
        for value in node:
            _strip_max_length(value)


def _bound_quotes(node: Any, limit: int) -> None:
    if isinstance(node, dict):
        quote = node.get("properties", {}).get("quote")
        if isinstance(quote, dict) and quote.get("type") == "string":
            quote["maxLength"] = limit
        for value in node.values():
            _bound_quotes(value, limit)
    elif isinstance(node, list):
        for value in node:
            _bound_quotes(value, limit)


def _unquote_figures(schema: dict[str, Any]) -> None:
    for name, definition in schema.get("$defs", {}).items():
        if name != "PrisonerExchange" and "quote" in definition.get("properties", {}):
            del definition["properties"]["quote"]
            definition["required"] = [key for key in definition["required"] if key != "quote"]


def variant(body: dict[str, Any], name: str) -> dict[str, Any]:
    """The recorded request body changed as ``name`` says."""
    request: dict[str, Any] = json.loads(json.dumps(body))
    if name == "as-recorded":
        pass
    elif name == "no-maxlength":
        _strip_max_length(request["response_format"]["schema"])
    elif name.startswith("quote-"):
        _bound_quotes(request["response_format"]["schema"], int(name.removeprefix("quote-")))
    elif name == "json-object":
        request["response_format"] = {"type": "json_object"}
    elif name == "no-grammar":
        request.pop("response_format", None)
    elif name == "figures-unquoted":
        _unquote_figures(request["response_format"]["schema"])
        system = _ROOT / "evals" / "experiments" / "figures-unquoted" / "system.txt"
        request["messages"][0]["content"] = system.read_text(encoding="utf-8").strip()
    else:
        raise SystemExit(
            f"unknown variant {name!r}: as-recorded, no-maxlength, quote-N, json-object, no-grammar, figures-unquoted"
        )
    return request


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url")
    parser.add_argument("cassette")
    parser.add_argument("variants", nargs="+")
    parser.add_argument("--max-tokens", type=int, help="cap the answer (default: as recorded)")
    parser.add_argument("--show", action="store_true", help="print each answer")
    args = parser.parse_args()
    with open(args.cassette, encoding="utf-8") as file:
        interaction = yaml.safe_load(file)["interactions"][0]
    body = json.loads(interaction["request"]["body"])
    recorded = json.loads(interaction["response"]["body"]["string"])["choices"][0]["message"]["content"]
    answers: dict[str, str] = {}
    for number, name in enumerate(args.variants, 1):
        request = variant(body, name)
        if args.max_tokens:
            request["max_tokens"] = args.max_tokens
        started = time.perf_counter()
        post = urllib.request.Request(f"{args.base_url}/v1/chat/completions", data=json.dumps(request).encode(),
                                      headers={"Content-Type": "application/json"})  # fmt: skip
        reply = json.loads(urllib.request.urlopen(post, timeout=1800).read())
        seconds = time.perf_counter() - started
        content = reply["choices"][0]["message"]["content"]
        tokens = reply["usage"]["completion_tokens"]
        same = [k for k, v in answers.items() if v == content]
        print(f"{number}. {name}: {seconds:.1f} s, {tokens} completion tokens, {tokens / seconds:.2f} tokens/s, "
              f"same as the cassette: {content == recorded}, same as: {same}", flush=True)  # fmt: skip
        if args.show:
            print(content, flush=True)
        answers[f"{number}. {name}"] = content


if __name__ == "__main__":
    main()
