"""Score pow_extract on the real-news dev set (24 hand-labelled articles, ``../shared/realnews``), live or replayed.

Each rebuilt text of ``data/realnews/`` goes through the public API exactly as a user would call it,
``pow_extract.extract(text, backend=..., published=<gold published>, article_id=...)``, with the model traffic
recorded into ``data/realnews/cassettes/<run-name>/`` (git-ignored: the requests contain the page texts).
``--replay`` re-scores those cassettes offline. The gold is converted and the predictions adjusted to the set's
conventions by ``evals/realnews`` (its module doc has the table), then scored by ``pow_extract.score`` per split.

    python evals/run_realnews.py --run-name c5148fe                 # live, embedded model, all 24 articles
    python evals/run_realnews.py --run-name c5148fe --replay        # the same, offline from its cassettes
    python evals/run_realnews.py --articles R101,R105 --base-url http://127.0.0.1:8080/v1 --model qwen

Writes ``evals/out/realnews/report.json`` and ``report.md`` (git-ignored; ``predictions/`` holds the extracted
records, whose quotes are page text). Exit status: 0 when the report was written, 2 on bad usage (a missing
texts folder says how to rebuild it).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import math
import os
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pow_extract as pe  # noqa: E402
from evals.realnews import (  # noqa: E402
    SPLITS,
    Adjustment,
    RealnewsArticle,
    adjust_prediction,
    default_realnews_dir,
    load_realnews,
    select,
    text_check,
)

DEFAULT_TEXTS = ROOT / "data" / "realnews"
DEFAULT_OUT = ROOT / "evals" / "out" / "realnews"
REBUILD = "rebuild them as evals/realnews/README.md says (python evals/realnews/rebuild.py prints the queries)"
_SCALAR_SETTINGS = ("max_reasks", "max_tokens", "temperature", "drop_ungrounded", "min_fuzzy_score",
                    "coding_rules", "second_reading")  # fmt: skip


class UsageError(Exception):
    """Bad command-line usage: printed, exit status 2."""


# ------------------------------------------------------------------------------------------------ arguments


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="run_realnews",
        description="Extract the real-news texts with pow_extract, score them against the converted gold, per split.",
    )
    p.add_argument("--texts", type=Path, default=DEFAULT_TEXTS, help="rebuilt texts (default: data/realnews)")
    p.add_argument(
        "--realnews-dir", type=Path, default=None, help="gold, schema and INDEX.md (default: ../shared/realnews)"
    )
    p.add_argument("--articles", default=None, help="comma-separated articles, e.g. R101,R105 (default: all)")
    p.add_argument("--run-name", default=None, help="cassette folder under data/realnews/cassettes (default: git HEAD)")
    p.add_argument("--replay", action="store_true", help="re-score from the run's cassettes, offline")
    p.add_argument("--base-url", default=None, help="OpenAI-compatible endpoint (default: the embedded model)")
    p.add_argument("--model", default=None, help="model name at that endpoint (or of the embedded model)")
    p.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds per model request (default: the library's; for the embedded model it scales with the tokens "
        "asked for)",
    )
    p.add_argument("--prompt", default=None, help="prompt version under prompts/ (default: the library's)")
    p.add_argument(
        "--settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=f"an ExtractionSettings field ({', '.join(_SCALAR_SETTINGS)}); repeatable; "
        "coding_rules/second_reading can be changed on --replay",
    )
    p.add_argument(
        "--rules-off",
        action="append",
        default=[],
        metavar="RULE",
        help="a rule of pow_extract.rules.registry to skip (repeatable; works on --replay)",
    )
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="report folder (default: evals/out/realnews)")
    return p


def _settings(prompt: str | None, pairs: Sequence[str]) -> tuple[pe.ExtractionSettings, dict[str, Any]]:
    chosen: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip()
        if not sep or name not in _SCALAR_SETTINGS:
            raise UsageError(f"--settings {pair!r}: expected NAME=VALUE with NAME one of {', '.join(_SCALAR_SETTINGS)}")
        kind = type(getattr(pe.ExtractionSettings(), name)).__name__  # bool, int or float
        try:
            if kind == "bool":
                if raw.lower() not in ("true", "false", "1", "0", "yes", "no"):
                    raise ValueError(raw)
                chosen[name] = raw.lower() in ("true", "1", "yes")
            elif kind == "int":
                chosen[name] = int(raw)
            else:
                chosen[name] = float(raw)
        except ValueError as exc:
            raise UsageError(f"--settings {pair!r}: {raw!r} is not a {kind}") from exc
    if prompt:
        chosen["prompt_version"] = prompt
    return pe.ExtractionSettings(**chosen), chosen


def _git_head() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


# ------------------------------------------------------------------------------------------------ running


@dataclasses.dataclass
class ArticleRun:
    """One article's extraction: the prediction (adjusted) or the error, and what it cost."""

    article: RealnewsArticle
    text_check: str
    prediction: pe.ArticleExtraction | None = None
    adjustment: Adjustment = dataclasses.field(default_factory=Adjustment)
    error: str | None = None
    seconds: float | None = None  # wall time of the live call (None on replay unless the recording kept it)
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def invented(self) -> int:
        """Predicted completed exchanges on an article whose gold has no completed exchange (realnews meaning)."""
        if self.article.has_completed or self.prediction is None:
            return 0
        return sum(1 for e in self.prediction.exchanges if e.status == "completed")


def _extract_all(
    chosen: Sequence[RealnewsArticle],
    texts: Mapping[str, str],
    checks: Mapping[str, str],
    *,
    cassette_dir: Path,
    replay: bool,
    backend: pe.Backend | None,
    settings: pe.ExtractionSettings,
    recorded_seconds: Mapping[str, float],
) -> list[ArticleRun]:
    runs: list[ArticleRun] = []
    for n, article in enumerate(chosen, 1):
        aid = article.article_id
        run = ArticleRun(article=article, text_check=checks[aid])
        path = cassette_dir / f"{aid}.yaml"
        started = time.perf_counter()
        try:
            with pe.cassette(path, record_mode="none" if replay else "all", backend=backend) as tape:
                result = pe.extract(
                    texts[aid],
                    backend=tape.backend,
                    published=article.gold.published,
                    article_id=aid,
                    settings=settings,
                )
        except Exception as exc:  # an article that fails is reported and scored as empty; the run goes on
            run.error = f"{type(exc).__name__}: {exc}"
        else:
            run.prediction, run.adjustment = adjust_prediction(result)
            run.requests = result.usage.requests
            run.prompt_tokens = result.usage.prompt_tokens
            run.completion_tokens = result.usage.completion_tokens
        elapsed = time.perf_counter() - started
        run.seconds = recorded_seconds.get(aid) if replay else elapsed
        runs.append(run)
        state = "error" if run.error else f"{len(run.prediction.exchanges) if run.prediction else 0} exchanges"
        print(
            f"[{n}/{len(chosen)}] {aid}: {state}, {elapsed:.1f} s, {run.requests} requests, "
            f"{run.prompt_tokens}+{run.completion_tokens} tokens" + (f" ({run.error[:120]})" if run.error else ""),
            file=sys.stderr,
            flush=True,
        )
    return runs


# ------------------------------------------------------------------------------------------------ scoring


def _percentile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _f(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _score_split(name: str, runs: Sequence[ArticleRun], meta: Mapping[str, str]) -> dict[str, Any]:
    preds = {r.article.article_id: r.prediction for r in runs if r.prediction is not None}
    errors = {r.article.article_id: r.error for r in runs if r.error}
    report = pe.score(preds, [r.article.gold for r in runs], extraction_errors=errors, meta={**meta, "split": name})
    fields = report.fields
    seconds = [r.seconds for r in runs if r.seconds is not None]
    without_completed = [r for r in runs if not r.article.has_completed]
    summary: dict[str, Any] = {
        "articles": len(runs),
        "extraction_errors": len(errors),
        "micro": {"p": _f(report.overall.precision), "r": _f(report.overall.recall), "f1": _f(report.overall.f1)},
        "counts": {
            "p": _f(fields["counts"].precision),
            "r": _f(fields["counts"].recall),
            "f1": _f(fields["counts"].f1),
        },
        "claimant_right": report.claimant_right,
        "claimant_checked": report.claimant_checked,
        "date_f1": _f(fields["date"].f1),
        "breakdown_f1": _f(fields["breakdown"].f1),
        "exchanges": {"p": _f(fields["exchange"].precision), "r": _f(fields["exchange"].recall)},
        "invented": sum(r.invented for r in without_completed),
        "invented_articles": sum(1 for r in without_completed if r.invented),
        "articles_without_completed": len(without_completed),
        "scorer_invented": report.invented,
        "scorer_no_exchange_articles": report.no_exchange_articles,
        "status_errors": report.status_errors,
        "status_checked": report.status_checked,
        "removed_two_way_counts": sum(r.adjustment.two_way_counts for r in runs),
        "removed_hedged_counts": sum(r.adjustment.hedged_counts for r in runs),
        "seconds": {
            "p50": _f(statistics.median(seconds)) if seconds else None,
            "p95": _f(_percentile(seconds, 0.95)),
            "max": _f(max(seconds)) if seconds else None,
            "n": len(seconds),
        },
        "requests": sum(r.requests for r in runs),
        "prompt_tokens": sum(r.prompt_tokens for r in runs),
        "completion_tokens": sum(r.completion_tokens for r in runs),
    }
    return {"summary": summary, "report": json.loads(report.to_json())}


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _summary_rows(splits: Mapping[str, Mapping[str, Any]]) -> list[str]:
    names = list(splits)
    s = {n: splits[n]["summary"] for n in names}
    rows = [
        "| metric | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]

    def row(label: str, cell: Any) -> None:
        rows.append(f"| {label} | " + " | ".join(cell(s[n]) for n in names) + " |")

    def prf(key: str) -> Any:
        return lambda x: f"{_fmt(x[key]['f1'])} (P {_fmt(x[key]['p'])} R {_fmt(x[key]['r'])})"

    row("articles (extraction errors)", lambda x: f"{x['articles']} ({x['extraction_errors']})")
    row("micro F1 (P, R)", prf("micro"))
    row("counts F1 (P, R)", prf("counts"))
    row("claimant right / correct counts", lambda x: f"{x['claimant_right']} of {x['claimant_checked']}")
    row("date F1", lambda x: _fmt(x["date_f1"]))
    row("breakdown (parts) F1", lambda x: _fmt(x["breakdown_f1"]))
    row("exchanges found P / R", lambda x: f"{_fmt(x['exchanges']['p'])} / {_fmt(x['exchanges']['r'])}")
    row(
        "invented: completed exchanges predicted on articles without a completed one",
        lambda x: f"{x['invented']} on {x['invented_articles']} of {x['articles_without_completed']} articles",
    )
    row(
        "scorer's `invented` (any exchange on articles whose gold has none)",
        lambda x: f"{x['scorer_invented']} over {x['scorer_no_exchange_articles']} articles",
    )
    row(
        "status errors (planned/cancelled predicted completed)",
        lambda x: f"{x['status_errors']} of {x['status_checked']}",
    )
    row(
        "predicted counts left out (two-way / hedged)",
        lambda x: f"{x['removed_two_way_counts']} / {x['removed_hedged_counts']}",
    )
    row(
        "seconds per article p50 / p95 / max",
        lambda x: (
            f"{_fmt(x['seconds']['p50'])} / {_fmt(x['seconds']['p95'])} / {_fmt(x['seconds']['max'])}"
            if x["seconds"]["n"]
            else "n/a"
        ),
    )
    row(
        "requests · tokens (prompt + completion)",
        lambda x: f"{x['requests']} · {x['prompt_tokens']} + {x['completion_tokens']}",
    )
    return rows


def _article_rows(runs: Sequence[ArticleRun], report_all: Mapping[str, Any]) -> list[str]:
    by_id = {a["article_id"]: a for a in report_all["articles"]}
    rows = [
        "| article | split | text | gold | pred | matched | F1 | counts F1 | invented | s | requests | tokens | note |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in runs:
        a = by_id[r.article.article_id]
        counts = a["fields"]["counts"]
        note = []
        if r.error:
            note.append("extraction failed: " + r.error[:80].replace("|", "\\|"))
        if r.adjustment.removed_counts:
            note.append(f"{r.adjustment.two_way_counts} two-way / {r.adjustment.hedged_counts} hedged counts left out")
        note += r.article.unscored
        rows.append(
            f"| {r.article.article_id.split('_', 1)[0]} | {r.article.split} | {r.text_check} | {a['gold_exchanges']} | "
            f"{a['pred_exchanges']} | {len(a['matches'])} | {_fmt(a['overall']['f1'])} | {_fmt(counts['f1'])} | "
            f"{r.invented if not r.article.has_completed else ''} | {_fmt(r.seconds)} | {r.requests} | "
            f"{r.prompt_tokens + r.completion_tokens} | {'; '.join(note)} |"
        )
    return rows


def _markdown(meta: Mapping[str, Any], splits: Mapping[str, Mapping[str, Any]], runs: Sequence[ArticleRun]) -> str:
    out = ["# pow_extract on the real-news dev set", ""]
    out += [" · ".join(f"{k}: {v}" for k, v in meta.items() if not isinstance(v, dict)), ""]
    out += ["## By split", "", *_summary_rows(splits), ""]
    out += [
        "Conventions: gold converted and predictions adjusted by `evals/realnews` (module doc of "
        "`evals/realnews/convert.py`). Two-way and hedged predicted counts are left out of the score (neither TP "
        "nor FP); running totals compare exact vs approximate only. `invented` in the realnews sense counts "
        "exchanges predicted *completed* on articles whose gold has no completed exchange; the scorer's own "
        "`invented` counts any predicted exchange on articles whose gold has none at all.",
        "",
    ]
    out += ["## Articles", "", *_article_rows(runs, splits["all"]["report"]), ""]
    out += ["## Errors by article (all)", ""]
    for a in splits["all"]["report"]["articles"]:
        if a["errors"] or a["extraction_error"]:
            out.append(f"### {a['article_id']}")
            out.append("")
            if a["extraction_error"]:
                out.append(f"- extraction error: {a['extraction_error']}")
            out += [f"- {e}" for e in a["errors"]]
            out.append("")
    return "\n".join(out)


# ------------------------------------------------------------------------------------------------ main


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except UsageError as exc:
        print(f"run_realnews: {exc}", file=sys.stderr)
        return 2


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    settings, chosen_settings = _settings(args.prompt, args.settings)
    if args.rules_off:
        try:
            settings = dataclasses.replace(settings, rules_off=frozenset(args.rules_off))
        except ValueError as exc:
            raise UsageError(f"--rules-off: {exc}") from exc
        chosen_settings["rules_off"] = sorted(args.rules_off)
    texts_dir: Path = args.texts
    if not texts_dir.is_dir():
        raise UsageError(f"no real-news texts at {texts_dir}: {REBUILD}")
    realnews_dir = args.realnews_dir or default_realnews_dir()
    try:
        articles = load_realnews(realnews_dir)
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from exc
    if args.articles:
        try:
            articles = select(articles, [a.strip() for a in args.articles.split(",") if a.strip()])
        except KeyError as exc:
            raise UsageError(
                f"--articles: no real-news article {exc.args[0]!r} (names like R101 or R101_slug)"
            ) from exc
    texts: dict[str, str] = {}
    checks: dict[str, str] = {}
    missing = [a.article_id for a in articles if not (texts_dir / f"{a.article_id}.txt").is_file()]
    if missing:
        raise UsageError(f"{len(missing)} text(s) missing in {texts_dir} ({', '.join(missing[:3])}...): {REBUILD}")
    for a in articles:
        texts[a.article_id] = (texts_dir / f"{a.article_id}.txt").read_text(encoding="utf-8")
        checks[a.article_id] = text_check(texts[a.article_id], a.row) if a.row else "no INDEX row"
    for aid, state in checks.items():
        if state == "MISMATCH":
            print(f"warning: {aid}: the text is not the one that was labelled (sha256 differs from INDEX.md)",
                  file=sys.stderr)  # fmt: skip
    run_name = args.run_name or _git_head() or "run"
    cassette_dir = texts_dir / "cassettes" / run_name
    run_file = cassette_dir / "run.json"
    recorded: dict[str, Any] = json.loads(run_file.read_text(encoding="utf-8")) if run_file.is_file() else {}
    if args.replay:
        if not cassette_dir.is_dir():
            raise UsageError(
                f"--replay: no cassettes at {cassette_dir} (record them first: a live run --run-name {run_name})"
            )
        if args.base_url or args.model:
            raise UsageError("--replay takes the model from the cassettes: drop --base-url/--model")
        backend = None
        backend_label = str(recorded.get("backend", "recorded"))
    else:
        try:
            started = time.perf_counter()
            backend = pe.resolve_backend(base_url=args.base_url, model=args.model, timeout=args.timeout)
            startup = time.perf_counter() - started
        except pe.BackendError as exc:
            raise UsageError(str(exc)) from exc
        backend_label = backend.label
        print(f"model: {backend_label} (ready in {startup:.1f} s)", file=sys.stderr)
    load_before = os.getloadavg()
    started_at = dt.datetime.now(dt.UTC)
    wall = time.perf_counter()
    runs = _extract_all(
        articles,
        texts,
        checks,
        cassette_dir=cassette_dir,
        replay=args.replay,
        backend=backend,
        settings=settings,
        recorded_seconds={k: float(v) for k, v in recorded.get("seconds", {}).items()},
    )
    wall = time.perf_counter() - wall
    load_after = os.getloadavg()
    if not args.replay:  # what the cassettes cannot hold: the live timings, kept beside them (no page text)
        cassette_dir.mkdir(parents=True, exist_ok=True)
        seconds = dict(recorded.get("seconds", {}))
        seconds.update({r.article.article_id: round(r.seconds, 2) for r in runs if r.seconds is not None})
        run_file.write_text(
            json.dumps(
                {
                    "backend": backend_label,
                    "commit": _git_head(),
                    "settings": chosen_settings,
                    "recorded_at": started_at.isoformat(timespec="seconds"),
                    "load_before": load_before,
                    "load_after": load_after,
                    "seconds": seconds,
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    meta: dict[str, Any] = {
        "run": run_name,
        "mode": "replay" if args.replay else "live",
        "model": backend_label,
        "prompt_version": settings.prompt_version,
        "settings": json.dumps(chosen_settings) if chosen_settings else "defaults",
        "commit": _git_head() or "unknown",
        "generated_at": started_at.isoformat(timespec="seconds"),
        "wall_seconds": round(wall, 1),
        "load_1_5_15_before": " ".join(f"{v:.2f}" for v in load_before),
        "load_1_5_15_after": " ".join(f"{v:.2f}" for v in load_after),
        "cpus": str(os.cpu_count()),
        "command": "python evals/run_realnews.py " + shlex.join(list(argv) if argv is not None else sys.argv[1:]),
    }
    if args.replay and recorded:
        meta["seconds"] = f"recorded live on {recorded.get('recorded_at', '?')}"
    str_meta = {k: str(v) for k, v in meta.items()}
    splits: dict[str, dict[str, Any]] = {}
    for name in (*SPLITS, "all"):
        members = [r for r in runs if name == "all" or r.article.split == name]
        if members:
            splits[name] = _score_split(name, members, str_meta)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    predictions = out / "predictions"
    predictions.mkdir(exist_ok=True)
    for r in runs:
        if r.prediction is not None:
            (predictions / f"{r.article.article_id}.json").write_text(
                r.prediction.model_dump_json(indent=2, exclude={"text"}), encoding="utf-8"
            )
    payload = {
        "meta": meta,
        "splits": splits,
        "articles": [
            {
                "article_id": r.article.article_id,
                "split": r.article.split,
                "text_check": r.text_check,
                "error": r.error,
                "seconds": r.seconds,
                "requests": r.requests,
                "prompt_tokens": r.prompt_tokens,
                "completion_tokens": r.completion_tokens,
                "invented": r.invented,
                "removed_two_way_counts": r.adjustment.two_way_counts,
                "removed_hedged_counts": r.adjustment.hedged_counts,
                "folded_total_qualifiers": r.adjustment.folded_total_qualifiers,
                "unscored_gold": r.article.unscored,
            }
            for r in runs
        ],
    }
    (out / "report.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    (out / "report.md").write_text(_markdown(meta, splits, runs), encoding="utf-8")
    print("\n".join(_summary_rows(splits)))
    print(f"\nreports: {out / 'report.json'} {out / 'report.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
