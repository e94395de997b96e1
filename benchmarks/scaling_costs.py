"""Cost and wall time per 10^6 articles, on paper, for three ways past one machine (README, "Scaling out").

Every figure is a function of the tokens per article and of cited prices and speeds, so the table can be re-run
when the reading changes (a new prompt or reading design changes the tokens per article):

(a) **Batch API**, gpt-4o-mini at the Batch API price;
(b) **a vLLM fleet** of N GPUs at a cited throughput (total tokens/s per GPU, prompt + completion);
(c) **the embedded model** on M two-core machines under Ray, one article at a time per machine, at the measured
    seconds per article.

Defaults: tokens and seconds per article from ``benchmarks/results.json`` (section 3, the embedded model on the dev
articles, measured on this project's 2-core machine); prices and speeds from the sources named in ``SOURCES``.

Usage::

    python benchmarks/scaling_costs.py
    python benchmarks/scaling_costs.py --prompt-tokens 1800 --completion-tokens 250 --rounds 2
    python benchmarks/scaling_costs.py --gpus 1,4,16 --machines 10,100,1000 --machine-hour-price 0.05
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ARTICLES = 1_000_000

#: Where each default comes from (printed under the table).
SOURCES = {
    "batch_price": "gpt-4o-mini Batch API: $0.075 / 1M input, $0.30 / 1M output tokens (50% of $0.15 / $0.60): "
    "apicalculators.com, 'OpenAI Batch API Cost 2026', 5 July 2026 (same figures in aicosthub.com's Batch API "
    "guide, updated March 2026), both quoting OpenAI's pricing page",
    "vllm_throughput": "vLLM on one H100 80GB, Qwen3.5-9B, 'Long Context Profile', total 32,417 tokens/s (vLLM "
    "without tuning): GPUStack Performance Lab, docs.gpustack.ai/latest/performance-lab/qwen3.5-9b/h100 (a 9B "
    "model: our 1.5B would be faster, so this is conservative)",
    "gpu_price": "H100 SXM5 on-demand, specialty clouds $2.50-3.50 per GPU-hour: Mercatus, 'Cloud GPU pricing', "
    "May 2026 (the default takes $3.00)",
    "embedded": "benchmarks/results.json, section 3 (python benchmarks/bench.py --no-stub --embedded "
    "--embedded-limit 5): the embedded Qwen2.5-Coder-1.5B on this project's 2-core machine",
}

BATCH_INPUT_PER_M = 0.075
BATCH_OUTPUT_PER_M = 0.30
BATCH_WINDOW_HOURS = 24.0
BATCH_MAX_REQUESTS = 50_000
VLLM_TOKENS_PER_S = 32_417.0
GPU_HOUR_PRICE = 3.00


def measured_defaults(path: Path = HERE / "results.json") -> dict[str, float]:
    """Tokens and seconds per article from section 3 of the benchmark results (README figures if absent)."""
    try:
        embedded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")).get("embedded") or {}
    except (OSError, json.JSONDecodeError):
        embedded = {}
    return {
        "prompt_tokens": float(embedded.get("prompt_tokens_per_article") or 3500),
        "completion_tokens": float(embedded.get("completion_tokens_per_article") or 400),
        "seconds_per_article": float(embedded.get("seconds_per_article") or 44),
    }


def batch_api(prompt: float, completion: float, rounds: int) -> dict[str, Any]:
    """(a) The Batch API: the price of the tokens; each round finishes within the completion window."""
    cost = ARTICLES * (prompt * BATCH_INPUT_PER_M + completion * BATCH_OUTPUT_PER_M) / 1e6
    batches = math.ceil(ARTICLES / BATCH_MAX_REQUESTS)
    return {"option": "(a) Batch API, gpt-4o-mini", "units": f"{batches} batches x {rounds} round(s)",
            "cost": cost, "hours": BATCH_WINDOW_HOURS * rounds,
            "hours_note": "at most: the completion window per round"}  # fmt: skip


def vllm_fleet(prompt: float, completion: float, gpus: int, tokens_per_s: float, gpu_price: float) -> dict[str, Any]:
    """(b) A vLLM fleet: N GPUs at ``tokens_per_s`` each (prompt + completion), priced by the GPU-hour."""
    gpu_hours = ARTICLES * (prompt + completion) / tokens_per_s / 3600
    return {"option": "(b) vLLM fleet", "units": f"{gpus} GPU(s)", "cost": gpu_hours * gpu_price,
            "hours": gpu_hours / gpus, "hours_note": f"{gpu_hours:,.0f} GPU-hours"}  # fmt: skip


def embedded_on_ray(seconds: float, machines: int, machine_hour_price: float | None) -> dict[str, Any]:
    """(c) The embedded model on M two-core machines under Ray: one article at a time per machine."""
    machine_hours = ARTICLES * seconds / 3600
    cost = machine_hours * machine_hour_price if machine_hour_price is not None else None
    return {"option": "(c) embedded model on Ray", "units": f"{machines} x 2-core", "cost": cost,
            "hours": machine_hours / machines, "hours_note": f"{machine_hours:,.0f} machine-hours"}  # fmt: skip


def table(args: argparse.Namespace) -> list[dict[str, Any]]:
    rows = [batch_api(args.prompt_tokens, args.completion_tokens, args.rounds)]
    rows += [vllm_fleet(args.prompt_tokens, args.completion_tokens, n, args.vllm_tokens_per_s, args.gpu_hour_price)
             for n in args.gpus]  # fmt: skip
    rows += [embedded_on_ray(args.seconds_per_article, m, args.machine_hour_price) for m in args.machines]
    return rows


def markdown(rows: list[dict[str, Any]], args: argparse.Namespace) -> str:
    lines = [
        f"Per 10^6 articles at {args.prompt_tokens:,.0f} prompt + {args.completion_tokens:,.0f} completion tokens "
        f"and {args.seconds_per_article:.1f} s per article on the embedded model:",
        "",
        "| option | fleet | cost (USD) | wall time | |",
        "|---|---|---:|---:|---|",
    ]
    for row in rows:
        cost = f"{row['cost']:,.0f}" if row["cost"] is not None else "machine-hours x your price"
        hours = row["hours"]
        wall = f"{hours:,.1f} h" if hours < 72 else f"{hours / 24:,.1f} days"
        lines.append(f"| {row['option']} | {row['units']} | {cost} | {wall} | {row['hours_note']} |")
    lines += ["", "Sources:"] + [f"- {key}: {text}" for key, text in SOURCES.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    measured = measured_defaults()

    def ints(value: str) -> list[int]:
        return [int(x) for x in value.split(",") if x.strip()]

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--prompt-tokens", type=float, default=measured["prompt_tokens"])
    parser.add_argument("--completion-tokens", type=float, default=measured["completion_tokens"])
    parser.add_argument("--seconds-per-article", type=float, default=measured["seconds_per_article"],
                        help="embedded model, one 2-core machine")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=1, help="dependent rounds of requests per article")
    parser.add_argument("--gpus", type=ints, default=[1, 8, 32])
    parser.add_argument("--vllm-tokens-per-s", type=float, default=VLLM_TOKENS_PER_S)
    parser.add_argument("--gpu-hour-price", type=float, default=GPU_HOUR_PRICE)
    parser.add_argument("--machines", type=ints, default=[10, 100, 1000])
    parser.add_argument("--machine-hour-price", type=float, default=None, help="USD per 2-core machine-hour")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    rows = table(args)
    print(json.dumps(rows, indent=1) if args.json else markdown(rows, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
