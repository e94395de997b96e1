"""A/B of the decoding schema's string ``maxLength``, run once and kept as the record of it
(evals/experiments/README.md): the recorded v1 request of one eval article is sent to a running llama.cpp server as
recorded, and with every string ``maxLength`` removed from its schema, alternately; prints seconds, completion tokens,
and which answers are identical.

    python benchmarks/maxlength_ab.py http://127.0.0.1:PORT evals/cassettes/125_state_media_95_for_95_october.yaml
"""

from __future__ import annotations

import json
import sys
import time
import urllib.request
from typing import Any

import yaml


def _strip_max_length(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "string":
            node.pop("maxLength", None)
        for value in node.values():
            _strip_max_length(value)
    elif isinstance(node, list):
        for value in node:
            _strip_max_length(value)


def main(base: str, cassette: str) -> None:
    with open(cassette, encoding="utf-8") as file:
        interaction = yaml.safe_load(file)["interactions"][0]
    body = json.loads(interaction["request"]["body"])
    recorded = json.loads(interaction["response"]["body"]["string"])["choices"][0]["message"]["content"]
    without = json.loads(json.dumps(body))
    _strip_max_length(without["response_format"]["schema"])
    answers: dict[str, str] = {}
    runs = [("as recorded (maxLength 400)", body), ("no string maxLength", without), ("as recorded again", body),
            ("no string maxLength again", without), ("as recorded, third", body)]  # fmt: skip
    for name, request in runs:
        started = time.perf_counter()
        post = urllib.request.Request(f"{base}/v1/chat/completions", data=json.dumps(request).encode(),
                                      headers={"Content-Type": "application/json"})  # fmt: skip
        reply = json.loads(urllib.request.urlopen(post, timeout=1800).read())
        seconds = time.perf_counter() - started
        content = reply["choices"][0]["message"]["content"]
        same = [k for k, v in answers.items() if v == content]
        print(f"{name}: {seconds:.1f} s, {reply['usage']['completion_tokens']} completion tokens, same as the "
              f"cassette: {content == recorded}, same as: {same}", flush=True)  # fmt: skip
        answers[name] = content


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
