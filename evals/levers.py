"""Measure what each post-model lever changes, on the recorded model answers (replay, offline, seconds).

    python evals/levers.py [--split dev|test]

Every row replays the same cassettes (the same model answers) and changes only what the library does after the
model: keeping ungrounded figures, dropping them (grounding), and the coding rules of ``pow_extract.rules.checks``.
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test"], default=None)
    args = parser.parse_args()
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
