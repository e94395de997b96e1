"""A/B of how one recorded request is constrained, kept as the record of the experiments that used it
(evals/experiments/README.md): the recorded v1 request of one eval article is sent to a running llama.cpp server in
each named variant, one after the other; prints seconds, completion tokens, generated tokens per second (the prompt
is served from the prefix cache after the first run, so send ``as-recorded`` first) and which answers are identical.

Variants: ``as-recorded``; ``no-maxlength`` (every string ``maxLength`` removed from the schema); ``quote-N`` (every
``quote`` bounded to N characters); ``json-object`` (llama.cpp's generic JSON grammar, no schema); ``no-grammar``
(no ``response_format`` at all); ``figures-unquoted`` (the system prompt kept in
``evals/experiments/figures-unquoted`` and no ``quote`` on any figure: only the exchange keeps its sentence);
``schema-compact`` (the JSON schema that instructor's JSON mode appends to the system message, written without
indentation); ``schema-none`` (that block left out: the grammar still holds the answer to the schema). With
``--prime`` each variant is first sent with ``max_tokens`` 1, so its timed run has the whole prompt cached and
measures generation alone.

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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from pow_extract.model.embedded import DEFAULT_MODEL, EmbeddedServer, model_path

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


_INSTRUCTOR_JSON = "\n\n\n            As a genius expert"


def _system_schema(request: dict[str, Any], compact: bool) -> None:
    system = request["messages"][0]["content"]
    cut = system.find(_INSTRUCTOR_JSON)
    if cut < 0:
        raise SystemExit("the recorded system message has no instructor JSON-mode schema block")
    if not compact:
        request["messages"][0]["content"] = system[:cut]
        return
    head, _, rest = system[cut:].partition("json_schema:\n\n\n")
    start, end = rest.index("{"), rest.rindex("}") + 1
    schema = json.dumps(json.loads(rest[start:end]), separators=(",", ":"))
    request["messages"][0]["content"] = system[:cut] + head + "json_schema:\n\n\n" + rest[:start] + schema + rest[end:]


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
    elif name in ("schema-compact", "schema-none"):
        _system_schema(request, compact=name == "schema-compact")
    else:
        raise SystemExit(f"unknown variant {name!r}: as-recorded, no-maxlength, quote-N, json-object, no-grammar, "
                         "figures-unquoted, schema-compact, schema-none")  # fmt: skip
    return request


def send_chat(base_url: str, request: dict[str, Any], timeout: float = 3600) -> tuple[dict[str, Any], float]:
    """POST one chat completion to ``base_url`` (the server's root, without ``/v1``); its reply and seconds."""
    started = time.perf_counter()
    post = urllib.request.Request(f"{base_url}/v1/chat/completions", data=json.dumps(request).encode(),
                                  headers={"Content-Type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(post, timeout=timeout) as answer:
        reply: dict[str, Any] = json.loads(answer.read())
    return reply, time.perf_counter() - started


def prime(base_url: str, request: dict[str, Any]) -> tuple[dict[str, Any], float]:
    """Send ``request`` with ``max_tokens`` 1, so the server's prompt cache holds its prompt before a timed run."""
    return send_chat(base_url, {**request, "max_tokens": 1})


def recorded_request(cassette: str | Path) -> dict[str, Any]:
    """The first request body recorded in a vcrpy cassette."""
    with open(cassette, encoding="utf-8") as file:
        body: dict[str, Any] = json.loads(yaml.safe_load(file)["interactions"][0]["request"]["body"])
    return body


@contextmanager
def running_servers(modules: dict[str, str], threads: int = 2) -> Iterator[dict[str, int]]:
    """Start one server per ``{name: module}`` side by side, each on the assembled default model with the embedded
    server's flags (:class:`~pow_extract.model.embedded.EmbeddedServer`); yield ``{name: port}``; stop them."""
    servers: list[EmbeddedServer] = []
    try:
        ports = {}
        for name, module in modules.items():
            servers.append(EmbeddedServer(model_path(), DEFAULT_MODEL, threads=threads, module=module))
            servers[-1].start()
            ports[name] = servers[-1].port
        yield ports
    finally:
        for server in servers:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url")
    parser.add_argument("cassette")
    parser.add_argument("variants", nargs="+")
    parser.add_argument("--max-tokens", type=int, help="cap the answer (default: as recorded)")
    parser.add_argument("--show", action="store_true", help="print each answer")
    parser.add_argument("--prime", action="store_true", help="send each variant with max_tokens 1 first")
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
        if args.prime:
            reply, seconds = prime(args.base_url, request)
            print(f"   {name} primed: {reply['usage']['prompt_tokens']} prompt tokens in {seconds:.1f} s", flush=True)
        reply, seconds = send_chat(args.base_url, request)
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
