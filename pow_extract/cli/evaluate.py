"""``pow-extract eval`` and ``python evals/run_eval.py``: extract the evaluation articles, score them against gold,
write the reports and compare with the baseline.

Exit code 0 when nothing regressed against the baseline, 1 when overall F1 or a field's F1 fell by more than the
margin.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pow_extract.evaluation.runner import ExtractFn, consolidation_scorer, run_eval, write_reports

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="run_eval", description="Extract the evaluation articles, score them against gold, check the baseline."
    )
    parser.add_argument("--split", choices=["dev", "test"], default=None, help="only this split (default: all)")
    parser.add_argument("--out", type=Path, default=None, help="report directory (default: evals/out)")
    parser.add_argument("--baseline", type=Path, default=None, help="baseline report (default: evals/baseline.json)")
    parser.add_argument("--margin", type=float, default=0.02, help="allowed F1 drop before failing (default 0.02)")
    parser.add_argument("--update-baseline", action="store_true", help="write this run's report as the baseline")
    parser.add_argument("--live", action="store_true", help="call the model instead of replaying cassettes")
    parser.add_argument("--record", action="store_true", help="call the model and re-record evals/cassettes")
    parser.add_argument(
        "--record-missing", action="store_true", help="call the model only for articles without a cassette"
    )
    parser.add_argument("--model", default=None, help="model name passed to pow_extract.extract")
    parser.add_argument("--prompt", default=None, help="prompt version under prompts/ (default: the library's)")
    parser.add_argument(
        "--cassettes", type=Path, default=None, help="cassette directory to replay or record (default: evals/cassettes)"
    )
    parser.add_argument("--articles", type=Path, default=None, help="article texts (default: evals/articles)")
    parser.add_argument("--gold", type=Path, default=None, help="gold JSON files (default: evals/gold)")
    parser.add_argument("--article", action="append", dest="article_ids", help="only this article (repeatable)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--fail-fast", action="store_true", help="stop at the first extraction error")
    parser.add_argument("--no-consolidation", action="store_true", help="skip consolidation scoring")
    return parser


def main(
    argv: Sequence[str] | None = None, *, root: str | Path | None = None, extract_fn: ExtractFn | None = None
) -> int:
    """Command line of ``evals/run_eval.py``; returns 0 (no regression) or 1 (a score fell below baseline).

    Default paths are taken relative to ``root`` (the repository; default: the working directory).
    ``extract_fn`` replaces the default extractor (for tests).
    """
    args = _parser().parse_args(argv)
    base = Path(root) if root is not None else Path.cwd()
    out_dir: Path = args.out or base / "evals" / "out"
    baseline_path: Path = args.baseline or base / "evals" / "baseline.json"
    report = run_eval(
        args.articles or base / "evals" / "articles",
        args.gold or base / "evals" / "gold",
        split=args.split,
        extract_fn=extract_fn,
        model=args.model,
        live=args.live,
        record="missing" if args.record_missing else args.record,
        cassette_dir=args.cassettes,
        prompt_version=args.prompt,
        article_ids=args.article_ids,
        predictions_dir=out_dir / "predictions",
        extra_scorers=() if args.no_consolidation else (consolidation_scorer,),
        progress=not args.no_progress,
        fail_fast=args.fail_fast,
    )
    json_path, md_path = write_reports(report, out_dir)
    overall = report.overall
    print(
        f"{len(report.articles)} articles · overall micro-F1 {_fmt(overall.f1)} · detection P "
        f"{_fmt(report.detection_precision)} R {_fmt(report.detection_recall)} · "
        f"{report.extraction_errors} extraction errors"
    )
    print(f"reports: {json_path} {md_path}")
    if args.update_baseline:
        baseline_path.parent.mkdir(parents=True, exist_ok=True)
        baseline_path.write_text(report.to_json() + "\n", encoding="utf-8")
        print(f"baseline updated: {baseline_path}")
        return 0
    if not baseline_path.is_file():
        print(f"no baseline at {baseline_path}; nothing to compare (write one with --update-baseline)")
        return 0
    baseline: dict[str, Any] = json.loads(baseline_path.read_text(encoding="utf-8"))
    base_split = baseline.get("meta", {}).get("split")
    if base_split and base_split != report.meta.get("split"):
        print(f"warning: baseline split is {base_split!r}, this run's is {report.meta.get('split')!r}", file=sys.stderr)
    regressions = report.compare(baseline, margin=args.margin)
    if regressions:
        for message in regressions:
            print(f"REGRESSION: {message}", file=sys.stderr)
        return 1
    print(f"no regression against {baseline_path} (margin {args.margin})")
    return 0


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
