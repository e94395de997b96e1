"""Measure what each post-model lever changes, on the recorded model answers (replay, offline, seconds).

    python evals/levers.py [--split dev|test]          # the stages: grounding, coding rules, second reading
    python evals/levers.py --rules                     # each named rule switched off in turn, per split
    python evals/levers.py --rules --realnews RUN      # the same, also on a recorded real-news run (git-ignored)
    python evals/levers.py --patterns pow_extract.rules.sweep:_OWN [...] [--realnews RUN]
                                                       # each module-level pattern made never to match, in turn

Every row replays the same cassettes (the same model answers) and changes only what the library does after the
model: keeping ungrounded figures, dropping them (grounding), the coding rules of ``pow_extract.rules.checks`` and
the second reading of ``pow_extract.rules.sweep``. With ``--rules``, a positive number is what the rule adds to
micro-F1 (F1 with every rule on, minus F1 without it).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pow_extract.evaluation.runner import run_eval  # noqa: E402
from pow_extract.model import recording  # noqa: E402
from pow_extract.reading.extraction import ExtractionSettings, extract  # noqa: E402
from pow_extract.records.schema import ArticleExtraction  # noqa: E402

LEVERS = {
    "model answer as is (ungrounded figures kept)": ExtractionSettings(
        drop_ungrounded=False, coding_rules=False, second_reading=False
    ),
    "+ grounding (drop figures whose quote or number is not in the text)": ExtractionSettings(
        coding_rules=False, second_reading=False
    ),
    "+ coding rules (pow_extract.rules.checks)": ExtractionSettings(second_reading=False),
    "+ second reading (pow_extract.rules.sweep: missed counts, earlier exchanges, breakdowns)": ExtractionSettings(),
}


def _extractor(settings: ExtractionSettings):  # type: ignore[no-untyped-def]
    def extract_fn(text: str, article_id: str, published: dt.date | None) -> ArticleExtraction:
        path = ROOT / "evals" / "cassettes" / f"{article_id}.yaml"
        with recording.cassette(path, record_mode="none") as tape:
            # the request does not depend on these post-model settings, so every row replays the same answers
            return extract(text, backend=tape.backend, published=published, article_id=article_id, settings=settings)

    return extract_fn


def _eval_f1(settings: ExtractionSettings, split: str) -> float:
    report = run_eval(ROOT / "evals" / "articles", ROOT / "evals" / "gold", split=split,
                      extract_fn=_extractor(settings), progress=False)  # fmt: skip
    return float(report.overall.f1)


def _realnews_f1(run_name: str, off: str | None) -> dict[str, float]:
    """micro-F1 per split of the real-news run ``run_name`` replayed with rule ``off`` switched off."""
    import contextlib
    import io
    import json
    import tempfile

    import run_realnews

    with tempfile.TemporaryDirectory() as tmp:
        argv = ["--replay", "--run-name", run_name, "--out", tmp, *(["--rules-off", off] if off else [])]
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = run_realnews.main(argv)
        if code:
            raise SystemExit(f"run_realnews {' '.join(argv)} failed with exit code {code}")
        splits = json.loads((Path(tmp) / "report.json").read_text(encoding="utf-8"))["splits"]
    return {name: float(split["summary"]["micro"]["f1"] or 0.0) for name, split in splits.items() if name != "all"}


def _header(first: list[str], realnews: str | None) -> tuple[dict[str, float], dict[str, float]]:
    """Print the table's head; return micro-F1 per split with everything on (eval, and the real-news run if any)."""
    base = {split: _eval_f1(ExtractionSettings(), split) for split in ("dev", "test")}
    real = _realnews_f1(realnews, None) if realnews else {}
    heads = ["eval dev", "eval test", *(f"realnews {s}" for s in real)]
    print(f"| {' | '.join(first)} | {' | '.join(heads)} |")
    print("|" + "---|" * len(first) + "---:|" * len(heads))
    return base, real


def _deltas(base: dict[str, float], real: dict[str, float], realnews: str | None, settings: ExtractionSettings,
            rule_off: str | None = None) -> str:  # fmt: skip
    """The table cells: micro-F1 with everything on minus micro-F1 under ``settings`` (and ``rule_off``), per split."""
    deltas = [base[s] - _eval_f1(settings, s) for s in ("dev", "test")]
    if realnews:
        without = _realnews_f1(realnews, rule_off)
        deltas += [real[s] - without[s] for s in real]
    return " | ".join(f"{d:+.3f}" for d in deltas)


def rules_table(realnews: str | None) -> None:
    """What each named rule adds to micro-F1, per split (the rule's F1 contribution; negative: it costs)."""
    from pow_extract.rules.registry import RULES

    base, real = _header(["rule", "stage"], realnews)
    print(f"| (every rule on: micro-F1) | | {' | '.join(f'{v:.3f}' for v in [*base.values(), *real.values()])} |")
    for rule in RULES:
        off = ExtractionSettings(rules_off=frozenset({rule.name}))
        print(f"| {rule.name} | {rule.stage} | {_deltas(base, real, realnews, off, rule.name)} |", flush=True)


def patterns_table(names: list[str], realnews: str | None) -> None:
    """What each module-level pattern adds to micro-F1, per split: the pattern is made never to match wherever it is
    bound (``scripts/mutate_patterns.never_matching``, as the mutation check does to the tests), the eval and the
    real-news run are replayed, and it is put back."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from mutate_patterns import never_matching

    base, real = _header(["pattern"], realnews)
    for name in names:
        module, _, attr = name.partition(":")
        with never_matching(module, attr):
            print(f"| {name} | {_deltas(base, real, realnews, ExtractionSettings())} |", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test"], default=None)
    parser.add_argument("--rules", action="store_true", help="switch each named rule off in turn, per split")
    parser.add_argument("--patterns", nargs="+", metavar="MODULE:NAME", help="make each pattern never match, in turn")
    parser.add_argument("--realnews", metavar="RUN", default=None, help="with --rules/--patterns: also a real-news run")
    args = parser.parse_args()
    if args.patterns:
        patterns_table(args.patterns, args.realnews)
        return 0
    if args.rules:
        rules_table(args.realnews)
        return 0
    split = args.split or "all"
    print(f"| lever ({split} split) | micro-F1 | P | R | count precision | claimant right | detection P/R |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, settings in LEVERS.items():
        assert dataclasses.replace(settings).prompt_version == ExtractionSettings().prompt_version
        report = run_eval(ROOT / "evals" / "articles", ROOT / "evals" / "gold", split=args.split,
                          extract_fn=_extractor(settings), progress=False)  # fmt: skip
        o = report.overall
        print(f"| {name} | {o.f1:.3f} | {o.precision or 0:.3f} | {o.recall or 0:.3f} | "
              f"{report.count_precision or 0:.3f} | {report.claimant_accuracy or 0:.3f} | "
              f"{report.detection_precision or 0:.3f} / {report.detection_recall or 0:.3f} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
