"""The scorer on small hand-made cases whose right answers are known, and the eval runner with a fake extractor."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from perfect import Q, perfect_extraction

from pow_extract.cli.evaluate import main
from pow_extract.evaluation.runner import run_eval, write_reports
from pow_extract.evaluation.scoring import (
    FIELDS,
    MATCH_THRESHOLD,
    EvalReport,
    FieldScore,
    exchange_similarity,
    load_report,
    score,
    score_article,
)
from pow_extract.records.gold import (
    GoldAge,
    GoldArticle,
    GoldBreakdown,
    GoldCount,
    GoldExchange,
    GoldOrdinal,
    GoldPerson,
    GoldTotal,
)
from pow_extract.records.schema import (
    ArticleExtraction,
    CountClaim,
    FlaggedFigure,
    PrisonerExchange,
    ReleasedPerson,
    Span,
)

JAN31 = dt.date(2024, 1, 31)


# ------------------------------------------------------------------------------------------------ builders


def gcount(number: int, to: str = "Ukraine", claimant: str | None = None, side: str | None = None) -> GoldCount:
    return GoldCount(number=number, returned_to=to, claimant=claimant, claimant_side=side)


def pcount(number: int, to: str = "Ukraine", claimant: str | None = None, side: str | None = None) -> CountClaim:
    return CountClaim(quote=Q, number=number, returned_to=to, claimant=claimant, claimant_side=side)


def gex(event_id: str, *counts: GoldCount, date: dt.date | None = JAN31, **kw: Any) -> GoldExchange:
    kw.setdefault("status", "completed")
    kw.setdefault("parties", ["Ukraine", "Russia"])
    return GoldExchange(event_id=event_id, date=date, date_precision="day" if date else None, counts=list(counts), **kw)


def pex(*counts: CountClaim, date: dt.date | None = JAN31, **kw: Any) -> PrisonerExchange:
    kw.setdefault("status", "completed")
    kw.setdefault("parties", ["Ukraine", "Russia"])
    return PrisonerExchange(quote=Q, date=date, date_precision="day" if date else None, counts=list(counts), **kw)


def gold_article(*exchanges: GoldExchange, article_id: str = "a1") -> GoldArticle:
    return GoldArticle(article_id=article_id, published=JAN31, exchanges=list(exchanges))


def pred_article(*exchanges: PrisonerExchange, article_id: str = "a1", **kw: Any) -> ArticleExtraction:
    return ArticleExtraction(article_id=article_id, published=JAN31, exchanges=list(exchanges), **kw)


def rich_gold() -> GoldArticle:
    """The shape of a real article: a primary completed swap with every field, and a halted earlier one."""
    primary = gex(
        "ru-ua-2024-01-31",
        gcount(207, "Ukraine", "Volodymyr Zelensky", "Ukraine"),
        gcount(195, "Russia", "Russian Defence Ministry", "Russia"),
        mediators=["United Arab Emirates"],
        ordinal=GoldOrdinal(number=50, claimant="Coordination Headquarters", claimant_side="Ukraine"),
        breakdown=[GoldBreakdown(returned_to="Ukraine", category="civilians", label="civilians", number=7)],
        ages=[GoldAge(returned_to="Ukraine", bound="oldest", age=61)],
        released_people=[GoldPerson(name="Maksym Kolesnikov", returned_to="Ukraine")],
        cumulative_totals=[GoldTotal(returned_to="Ukraine", number=3035)],
    )
    halted = gex("ru-ua-2024-01-24", date=dt.date(2024, 1, 24), status="postponed_or_cancelled", mention="secondary")
    return gold_article(primary, halted)


# ------------------------------------------------------------------------------------------------ tests


def test_perfect_extraction_scores_f1_one_on_every_field() -> None:
    gold = rich_gold()
    report = score([perfect_extraction(gold)], [gold])

    assert report.overall.f1 == 1.0
    for name in FIELDS:
        assert report.fields[name].fp == 0 and report.fields[name].fn == 0, name
        assert report.fields[name].tp > 0, name
    assert report.detection_precision == report.detection_recall == 1.0
    assert report.claimant_accuracy == 1.0
    assert report.count_precision == 1.0
    assert report.articles[0].errors == []
    assert report.compare(report, margin=0.0) == []


def test_missing_exchange_makes_all_its_facts_false_negatives() -> None:
    gold = rich_gold()
    pred = perfect_extraction(gold)
    pred.exchanges = pred.exchanges[:1]  # the halted exchange is not reported

    report = score([pred], [gold])

    assert report.fields["exchange"] == FieldScore(tp=1, fp=0, fn=1)
    assert report.detection_precision == 1.0 and report.detection_recall == 0.5
    assert report.fields["status"] == FieldScore(tp=1, fp=0, fn=1)
    assert report.fields["date"] == FieldScore(tp=1, fp=0, fn=1)
    assert report.fields["counts"] == FieldScore(tp=2, fp=0, fn=0)
    assert report.articles[0].unmatched_gold == ["ru-ua-2024-01-24"]
    assert any(e.startswith("exchange: missed ru-ua-2024-01-24") for e in report.articles[0].errors)


def test_extra_exchange_makes_all_its_facts_false_positives() -> None:
    gold = gold_article(gex("e1", gcount(207)))
    pred = pred_article(pex(pcount(207)), pex(pcount(50), pcount(60), date=dt.date(2023, 6, 11)))

    report = score([pred], [gold])

    assert report.fields["exchange"] == FieldScore(tp=1, fp=1, fn=0)
    assert report.fields["counts"] == FieldScore(tp=1, fp=2, fn=0)
    assert report.fields["counts.claimant"] == FieldScore(tp=1, fp=2, fn=0)
    assert report.fields["parties"] == FieldScore(tp=2, fp=2, fn=0)
    assert report.articles[0].unmatched_pred == [1]
    assert report.invented == 0  # the article does report an exchange


def test_exchange_on_article_without_exchanges_counts_as_invented() -> None:
    gold = [gold_article(article_id="none"), gold_article(gex("e1", gcount(10)), article_id="one")]
    preds = [pred_article(pex(pcount(12)), article_id="none"), pred_article(pex(pcount(10)), article_id="one")]

    report = score(preds, gold)

    assert report.invented == 1
    assert report.no_exchange_articles == 1
    assert report.fields["exchange"] == FieldScore(tp=1, fp=1, fn=0)
    by_id = {a.article_id: a for a in report.articles}
    assert by_id["none"].invented == 1 and by_id["one"].invented == 0
    assert "1 over 1 articles" in report.to_markdown()


def test_swapped_claimants_keep_counts_right_but_attribution_wrong() -> None:
    gold = gold_article(
        gex("e1", gcount(207, "Ukraine", "Zelensky", "Ukraine"), gcount(195, "Russia", "Defence Ministry", "Russia"))
    )
    pred = pred_article(
        pex(pcount(207, "Ukraine", "Defence Ministry", "Russia"), pcount(195, "Russia", "Zelensky", "Ukraine"))
    )

    report = score([pred], [gold])

    assert report.fields["counts"] == FieldScore(tp=2, fp=0, fn=0)
    assert report.fields["counts.claimant"] == FieldScore(tp=0, fp=2, fn=2)
    assert report.claimant_right == 0 and report.claimant_checked == 2
    assert report.claimant_accuracy == 0.0
    assert report.overall.f1 == 1.0  # attribution is a derived field, outside the micro-average
    assert "claimant right for 0 of 2 correct counts" in report.to_markdown()
    assert any("counts.claimant: 207 to Ukraine attributed to Defence Ministry" in e for e in report.articles[0].errors)


def test_count_matching_prefers_the_pairing_with_right_claimants() -> None:
    # two gold claims of the same number by different claimants: the pairing must not cost attribution
    gold = gold_article(gex("e1", gcount(207, "Ukraine", "Zelensky", "Ukraine"), gcount(207, "Ukraine", None, None)))
    pred = pred_article(pex(pcount(207, "Ukraine", None, None), pcount(207, "Ukraine", "Zelenskyy", "Ukraine")))

    report = score([pred], [gold])

    assert report.fields["counts.claimant"] == FieldScore(tp=2, fp=0, fn=0)


@pytest.mark.parametrize(
    "predicted", ["Zelensky", "Zelenskyy", "Volodymyr Zelensky", "President Zelensky", "ZELENSKIY", "zelensky."]
)
def test_claimant_name_variants_count_as_right(predicted: str) -> None:
    gold = gold_article(gex("e1", gcount(207, "Ukraine", "Ukrainian President Volodymyr Zelenskyy", "Ukraine")))
    pred = pred_article(pex(pcount(207, "Ukraine", predicted, "Kyiv")))

    report = score([pred], [gold])

    assert report.claimant_right == 1, report.articles[0].errors


def test_claimant_side_must_agree_even_when_names_match() -> None:
    gold = gold_article(gex("e1", gcount(207, "Ukraine", "Zelensky", "Ukraine")))
    pred = pred_article(pex(pcount(207, "Ukraine", "Zelensky", None)))

    assert score([pred], [gold]).claimant_right == 0


def test_outlet_voice_in_gold_accepts_no_claimant_only() -> None:
    gold = gold_article(gex("e1", gcount(207), gcount(195, "Russia")))
    pred = pred_article(pex(pcount(207), pcount(195, "Russia", "Shoigu", "Russia")))

    report = score([pred], [gold])

    assert (report.claimant_right, report.claimant_checked) == (1, 2)


def test_wrong_date_is_one_false_positive_and_one_false_negative() -> None:
    gold = gold_article(gex("e1", gcount(207), gcount(195, "Russia")))
    pred = pred_article(pex(pcount(207), pcount(195, "Russia"), date=dt.date(2024, 1, 30)))

    report = score([pred], [gold])

    assert report.fields["exchange"] == FieldScore(tp=1, fp=0, fn=0)  # still the same exchange
    assert report.fields["date"] == FieldScore(tp=0, fp=1, fn=1)
    assert report.fields["counts"].f1 == 1.0
    assert "[e1 ~ pred#0] date: predicted 2024-01-30, gold 2024-01-31" in report.articles[0].errors


def test_date_precision_must_agree_for_the_date_fact() -> None:
    january = dt.date(2024, 1, 1)
    gold = gold_article(GoldExchange(event_id="e1", status="completed", date=january, date_precision="month"))
    mid_january = dt.date(2024, 1, 17)
    pred_month = pred_article(PrisonerExchange(quote=Q, status="completed", date=mid_january, date_precision="month"))
    pred_day = pred_article(PrisonerExchange(quote=Q, status="completed", date=JAN31, date_precision="day"))

    assert score([pred_month], [gold]).fields["date"] == FieldScore(tp=1, fp=0, fn=0)
    report = score([pred_day], [gold])
    assert report.fields["exchange"].tp == 1  # aligned: the dates agree at month precision
    assert report.fields["date"] == FieldScore(tp=0, fp=1, fn=1)


def test_party_aliases_count_as_equal() -> None:
    gold = gold_article(
        gex("e1", gcount(207, "Ukraine", "Zelensky", "Ukraine"), parties=["Ukraine", "Russia"], mediators=["UAE"])
    )
    pred = pred_article(pex(pcount(207, "Kyiv", "Zelensky", "the Ukrainian side")))
    # bypass the schema's own normalisation: the scorer must normalise by itself
    raw = pred.exchanges[0].model_copy(update={"parties": ["Kyiv", "Moscow"], "mediators": ["the Emirates"]})
    raw.counts[0] = raw.counts[0].model_copy(update={"returned_to": "kyiv", "claimant_side": "Ukrainian side"})
    pred.exchanges = [raw]

    report = score([pred], [gold])

    assert report.fields["parties"] == FieldScore(tp=2, fp=0, fn=0)
    assert report.fields["mediators"] == FieldScore(tp=1, fp=0, fn=0)
    assert report.fields["counts"] == FieldScore(tp=1, fp=0, fn=0)
    assert report.claimant_right == 1


def test_optimal_alignment_beats_greedy_order() -> None:
    gold_x = gex("X", gcount(207), gcount(195, "Russia"))
    gold_y = gex("Y", gcount(100))
    pred_a = pex(pcount(207), pcount(195, "Russia"), pcount(100))
    pred_b = pex(pcount(207), pcount(195, "Russia"), date=dt.date(2024, 1, 30))
    # premise: greedy in prediction order gives A its best gold (X) and leaves B with Y, below threshold
    assert exchange_similarity(pred_a, gold_x) > exchange_similarity(pred_a, gold_y) >= MATCH_THRESHOLD
    assert exchange_similarity(pred_b, gold_x) >= MATCH_THRESHOLD > exchange_similarity(pred_b, gold_y)

    article = score_article(pred_article(pred_a, pred_b), gold_article(gold_x, gold_y))

    assert {(m.pred_index, m.event_id) for m in article.matches} == {(0, "Y"), (1, "X")}
    assert article.fields["exchange"] == FieldScore(tp=2, fp=0, fn=0)


def test_exchanges_differing_in_date_and_counts_stay_unmatched() -> None:
    gold = gold_article(gex("e1", gcount(207)))
    pred = pred_article(pex(pcount(48), date=dt.date(2023, 8, 7)))

    report = score([pred], [gold])

    assert report.fields["exchange"] == FieldScore(tp=0, fp=1, fn=1)
    assert report.fields["counts"] == FieldScore(tp=0, fp=1, fn=1)


def test_planned_exchange_predicted_completed_is_a_status_error() -> None:
    gold = gold_article(gex("e1", gcount(300), status="planned", date=None))
    pred = pred_article(pex(pcount(300), date=None))

    report = score([pred], [gold])

    assert (report.status_errors, report.status_checked) == (1, 1)
    assert report.fields["status"] == FieldScore(tp=0, fp=1, fn=1)
    assert "[e1 ~ pred#0] status: predicted completed, gold planned" in report.articles[0].errors


def test_released_people_match_by_name_and_qualifiers_must_agree() -> None:
    gold = gold_article(
        gex(
            "e1",
            GoldCount(number=200, returned_to="Ukraine", qualifier="over"),
            released_people=[GoldPerson(name="Maksym Kolesnikov", returned_to="Ukraine")],
        )
    )
    pred = pred_article(
        pex(
            CountClaim(quote=Q, number=200, returned_to="Ukraine", qualifier="exact"),
            released_people=[ReleasedPerson(quote=Q, name="Maxim Kolesnikov")],
        )
    )

    report = score([pred], [gold])

    assert report.fields["released_people"] == FieldScore(tp=1, fp=0, fn=0)
    assert report.fields["counts"] == FieldScore(tp=0, fp=1, fn=1)
    assert report.count_precision == 0.0


def test_grounding_rate_is_grounded_over_grounded_plus_flagged() -> None:
    span = Span(start=0, end=5, match="exact", score=1.0)
    counts = [pcount(207), pcount(195, "Russia"), pcount(402, "both")]
    for c in counts:
        c.span = span
    flagged = FlaggedFigure(exchange_index=0, field="counts", reason="quote not found", figure={"number": 9})
    pred = pred_article(pex(*counts), flagged=[flagged])

    report = score([pred], [gold_article(gex("e1", gcount(207)))])

    assert (report.grounded_figures, report.flagged_figures) == (3, 1)
    assert report.grounding_rate == 0.75


def test_gold_article_without_prediction_scores_as_empty_with_its_error() -> None:
    gold = gold_article(gex("e1", gcount(207)))

    report = score({}, [gold], extraction_errors={"a1": "TimeoutError: model took too long"})

    assert report.fields["exchange"] == FieldScore(tp=0, fp=0, fn=1)
    assert report.extraction_errors == 1
    assert report.detection_precision is None and report.detection_recall == 0.0
    assert "TimeoutError" in report.to_markdown()


def test_report_round_trips_through_json_and_renders_markdown_tables() -> None:
    gold = rich_gold()
    report = score([perfect_extraction(gold)], [gold], meta={"split": "dev"}, extra={"consolidation.f1": 0.5})

    again = EvalReport.from_json(report.to_json())
    assert again == report
    assert load_report(json.loads(report.to_json())) == report
    md = report.to_markdown()
    assert "| field | P | R | F1 | TP | FP | FN |" in md
    assert "| counts | 1.000 | 1.000 | 1.000 | 2 | 0 | 0 |" in md
    assert "| a1 | dev | 2 | 2 | 2 |" in md
    assert "consolidation.f1" in md


def _report_with(counts: FieldScore) -> EvalReport:
    fields = {name: FieldScore(tp=10) for name in FIELDS}
    fields["counts"] = counts
    return EvalReport(fields=fields)


def test_compare_flags_a_field_drop_beyond_the_margin() -> None:
    baseline = _report_with(FieldScore(tp=9, fp=1, fn=1))  # F1 0.9
    current = _report_with(FieldScore(tp=8, fp=2, fn=2))  # F1 0.8

    problems = current.compare(baseline, margin=0.02)

    assert any("field 'counts' F1 fell from 0.900 to 0.800" in p for p in problems)
    assert current.compare(json.loads(baseline.to_json()), margin=0.02) == problems  # a baseline dict works too


def test_compare_ignores_a_drop_within_the_margin_and_improvements() -> None:
    baseline = _report_with(FieldScore(tp=90, fp=10, fn=10))  # F1 0.90
    current = _report_with(FieldScore(tp=89, fp=11, fn=11))  # F1 0.89

    assert current.compare(baseline, margin=0.02) == []
    assert baseline.compare(current, margin=0.0) == []  # improvement, not a regression


def test_compare_flags_overall_drop() -> None:
    baseline = _report_with(FieldScore(tp=10))
    current = EvalReport(fields={name: FieldScore(tp=5, fn=5) for name in FIELDS})

    problems = current.compare(baseline, margin=0.02)

    assert problems[0].startswith("overall micro-F1 fell from 1.000 to 0.667")


# ------------------------------------------------------------------------------------------------ runner


def _eval_dirs(tmp_path: Path) -> tuple[Path, Path, dict[str, GoldArticle]]:
    articles, gold_dir = tmp_path / "articles", tmp_path / "gold"
    articles.mkdir()
    gold_dir.mkdir()
    golds = {
        "a1": rich_gold(),
        "a2": GoldArticle(article_id="a2", split="test", published=JAN31, exchanges=[]),
    }
    for article_id, g in golds.items():
        (articles / f"{article_id}.txt").write_text(f"text of {article_id}", encoding="utf-8")
        (gold_dir / f"{article_id}.json").write_text(g.model_dump_json(), encoding="utf-8")
    return articles, gold_dir, golds


def test_run_eval_scores_injected_extractor_and_filters_split(tmp_path: Path) -> None:
    articles, gold_dir, golds = _eval_dirs(tmp_path)
    seen: list[tuple[str, str, dt.date | None]] = []

    def fake_extract(text: str, article_id: str, published: dt.date | None) -> ArticleExtraction:
        seen.append((text, article_id, published))
        return perfect_extraction(golds[article_id]).model_copy(update={"article_id": "whatever"})

    report = run_eval(articles, gold_dir, split="dev", extract_fn=fake_extract, progress=False)

    assert seen == [("text of a1", "a1", JAN31)]
    assert [a.article_id for a in report.articles] == ["a1"]
    assert report.overall.f1 == 1.0
    json_path, md_path = write_reports(report, tmp_path / "out")
    assert EvalReport.from_json(json_path.read_text(encoding="utf-8")).overall.f1 == 1.0
    assert md_path.read_text(encoding="utf-8").startswith("# pow_extract evaluation")


def test_run_eval_records_extraction_failures_instead_of_stopping(tmp_path: Path) -> None:
    articles, gold_dir, _ = _eval_dirs(tmp_path)

    def broken(text: str, article_id: str, published: dt.date | None) -> ArticleExtraction:
        raise RuntimeError("server down")

    report = run_eval(articles, gold_dir, extract_fn=broken, progress=False)

    assert report.extraction_errors == 2
    assert report.articles[0].extraction_error == "RuntimeError: server down"
    with pytest.raises(RuntimeError):
        run_eval(articles, gold_dir, extract_fn=broken, progress=False, fail_fast=True)


def test_main_exits_one_when_a_field_regresses_against_baseline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _eval_dirs(tmp_path)
    golds = {"a1": rich_gold()}

    def perfect(text: str, article_id: str, published: dt.date | None) -> ArticleExtraction:
        return perfect_extraction(golds[article_id]) if article_id in golds else pred_article(article_id=article_id)

    def no_dates(text: str, article_id: str, published: dt.date | None) -> ArticleExtraction:
        pred = perfect(text, article_id, published)
        pred.exchanges = [e.model_copy(update={"date": None, "date_precision": None}) for e in pred.exchanges]
        return pred

    paths = [
        "--articles",
        str(tmp_path / "articles"),
        "--gold",
        str(tmp_path / "gold"),
        "--out",
        str(tmp_path / "out"),
        "--baseline",
        str(tmp_path / "baseline.json"),
        "--no-progress",
    ]
    assert main([*paths, "--update-baseline"], extract_fn=perfect) == 0
    assert (tmp_path / "baseline.json").is_file()
    assert main(paths, extract_fn=perfect) == 0
    assert main(paths, extract_fn=no_dates) == 1
    assert "REGRESSION: field 'date' F1 fell from 1.000 to 0.000" in capsys.readouterr().err
    assert (tmp_path / "out" / "report.md").is_file()
    assert (tmp_path / "out" / "predictions" / "a1.json").is_file()


def test_run_eval_replays_the_cassette_directory_and_prompt_version_it_is_given(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    article_id = "004_28e33278da86dd25"
    cassettes = tmp_path / "cassettes"
    cassettes.mkdir()
    (cassettes / f"{article_id}.yaml").write_bytes((root / "evals" / "cassettes" / f"{article_id}.yaml").read_bytes())
    common: dict[str, Any] = {"article_ids": [article_id], "cassette_dir": cassettes, "progress": False}
    replayed = run_eval(root / "evals" / "articles", root / "evals" / "gold", **common)
    assert replayed.extraction_errors == 0 and replayed.overall.tp > 0
    other_prompt = run_eval(root / "evals" / "articles", root / "evals" / "gold", prompt_version="v2", **common)
    error = other_prompt.articles[0].extraction_error or ""
    assert "no recorded answer" in error and str(cassettes) in error  # v2 sends another prompt: not in the cassette
