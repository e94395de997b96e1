"""The coding rules by name: what each one does, and a switch for each.

Every rule of :mod:`pow_extract.rules.checks` (after grounding) and :mod:`pow_extract.rules.sweep` (the second
reading) is listed here with a stable name. ``ExtractionSettings(rules_off={"each-side-split", ...})`` runs the
pipeline without them (``evals/levers.py`` switches each one off in turn and prints what it adds or costs per split
of the eval and of the real-news set). Inside the rules, a step runs only when :func:`enabled` says so, and every
change it makes leaves a warning tagged with its name (:func:`note`): ``"[each-side-split] exchange 0: 90 each: one
count per side"``, so a record's warnings say which rule touched it (:func:`rule_of` reads the tag back).

This module imports nothing of the package (a ``core`` data module).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Rule:
    """One named rule: ``stage`` says whether it checks the model's records or adds what it left out."""

    name: str
    stage: Literal["checks", "sweep"]
    summary: str


RULES: tuple[Rule, ...] = (
    Rule("qualifier-from-words", "checks", '"more than 400" is over, "almost 2,800" almost, "some 90" about'),
    Rule("receiver-from-nationality", "checks", '"195 Russian servicemen" were returned to Russia; so were "90 '
         'soldiers, who ..., handed over to Russia" (the verb of their clause names it)'),
    Rule("age-not-count", "checks", '"the youngest was 19", "aged 65": an age is not a count'),
    Rule("own-return", "checks", '"the Russian ministry reported the return of 90 servicemen": people a source says '
         "came home, without saying whose, are its own side's"),
    Rule("two-way-total", "checks", '"exchanging a total of 312 captives": both directions together, not one '
         "side's count"),
    Rule("claimant-from-sentence", "checks", "a figure's claimant is the source its own sentence names; its side "
         "follows from the name"),
    Rule("cancelled-not-completed", "checks", "an exchange whose sentence says it was halted or called off"),
    Rule("called-off-later", "checks", 'a planned primary exchange its own or a later sentence says was called off '
         '("did not confirm the exchange today and postponed it"): postponed_or_cancelled'),
    Rule("agreed-not-done", "checks", 'a "completed" exchange whose sentence only agrees to or announces it, or whose '
         'headline tells it in the infinitive ("Sudanese army to hand over 230 RSF prisoners"): planned'),
    Rule("total-of-one-day", "checks", 'a running total in a sentence that dates one handover and has no word of a '
         'total ("took place on March 19, with 175 Ukrainians brought back home") is no running total'),
    Rule("bodies-own-record", "checks", '"as a part of the swap, the bodies of 212 Ukrainian defenders were handed '
         'over": bodies handed over with living people are a record of their own (kind bodies, same day and sides)'),
    Rule("bodies-only-when-said", "checks", "kind bodies/mixed only when a sentence speaks of bodies or remains"),
    Rule("one-record-per-exchange", "checks", "records of the same status, kind and day merge; repeated figures "
         "are kept once; a later record whose own sentence names another handover day stays apart"),
    Rule("date-of-own-sentence", "checks", "an exchange takes the date its own sentence gives, not a statement's"),
    Rule("names-one-by-one", "checks", 'a list of names is as many released people ("Oleksiy Bulakhov and Mykola '
         'Kostenko"); an age or a place after a name is no part of it ("Yocheved Lifshitz (85)")'),
    Rule("receiver-is-party", "checks", "a side a count's people were returned to is a party of the exchange"),
    Rule("lone-record-primary", "checks", "the only exchange an article tells is its primary one, whatever the "
         "model marked"),
    Rule("report-date", "checks", "a primary exchange the text gives no day for, planned and called-off ones too, "
         "is dated by the report (precision report)"),
    Rule("no-date-no-figure", "checks", "a record with no date, no figure and no named person is dropped (ages alone "
         "are no figure)"),
    Rule("no-handover-words", "checks", "a record whose sentences never speak of a handover moves to the first "
         "sentence of its date words that does, or is dropped"),
    Rule("completed-needs-a-done-verb", "checks", "a completed record without figures whose sentence has no verb "
         "saying a handover happened is planned (when scheduled) or dropped"),
    Rule("lists-not-people", "checks", '"New Delhi and Islamabad exchanged a list of their nuclear installations and '
         'prisoners", "lists of 249 Pakistan civilian prisoners": a swap of lists is no exchange, its numbers no '
         "counts"),
    Rule("proposal-not-exchange", "checks", "a completed record whose sentence only proposes a swap is dropped"),
    Rule("ordinal-narrower-series", "checks", 'an ordinal of a narrower series ("the UAE\'s seventh mediation") or '
         "below 3 is dropped"),
    Rule("one-exchange-per-ordinal", "checks", "an ordinal the primary exchange holds is dropped from the others"),
    Rule("people-not-parties", "checks", '"Griner", "Bout" as sides: a person is no side; the sides are those the '
         "sentences naming the people name (else the two the text names most), and a person named in a sentence of a "
         "handover is a released person; the ICRC or the UN is no side either"),
    Rule("state-side-in-civil-war", "checks", '"Sudan" beside the Rapid Support Forces is the Sudanese Armed Forces: '
         "a country against an armed group fighting in it is its state's side"),
    Rule("mediators-from-words", "checks", '"brokered by the UAE": a known country named so is a mediator'),
    Rule("mediators-by-help", "checks", '"with the support of the Red Cross", "the UAE for their assistance in this '
         "exchange\": a known third party beside a word of help in a sentence about a handover is a mediator"),
    Rule("not-the-mediator", "checks", "a count returned to the exchange's mediator or to a neutral body (the "
         "ICRC, the UN) is dropped"),
    Rule("count-of-another-clause", "checks", "a count whose clause names another day or people still to come "
         "belongs elsewhere"),
    Rule("each-side-split", "checks", '"N each" for both sides becomes one count per side'),
    Rule("both-sides-n-for-m", "checks", '"207 in exchange for 195", "95 for 95", "exchanged by the \'50 for 50\' '
         "formula\": the other side's count is added"),
    Rule("named-individual-only", "checks", '"Thirteen Israelis", "unknown" are not released people'),
    Rule("officials-not-released", "checks", "a source of the news or an official is not a released person"),
    Rule("released-only-when-done", "checks", "a planned or called-off exchange has freed no one yet: the people "
         "the model named as its released are dropped"),
    Rule("person-receiver", "checks", '"The three flown to the United States were ... Evan Gershkovich", "German '
         'citizen Rico Krieger": where a released person went'),
    Rule("sweep-primary-counts", "sweep", "counts of the primary exchange the model left out, from its sentences "
         "(a planned or called-off one's too); a country whose people a swap sentence counts joins the parties"),
    Rule("sweep-earlier-exchanges", "sweep", "earlier or other exchanges named by date, or done \"last week\" or "
         "\"last month\", become secondary records (with "
         "the two sides their clause names, else the primary's); one "
         'without counts reads them from its sentence or the next that goes on about it ("That swap returned ..."); '
         'a deal struck on a named day ("On February 16, the parties signed an agreement to swap ...") is a planned '
         "one"),
    Rule("continuation-counts", "sweep", '"The previous exchange took place on 6 May. Russia\'s Defence Ministry '
         "reported that three pilots ... had been brought back\": an earlier exchange's counts also come from the "
         "sentences that go on about it in its paragraph, and from all those that say so, not only the first"),
    Rule("weekday-handovers", "sweep", '"completed the exchange on Sunday ... On Friday, both sides exchanged 270 '
         "soldiers\": a handover on a weekday other than every record's own day is an earlier exchange (only when "
         "every record has a day of its own)"),
    Rule("next-stage", "sweep", '"on Friday, 200 Houthi prisoners will be released in exchange for 251": a handover '
         "still to come on a named day is a planned record with the counts its clause gives"),
    Rule("sweep-ordinal", "sweep", '"the 50th exchange of prisoners ... took place today": the primary exchange\'s '
         "place in the war's series, read from a sentence about it, when the model left it out"),
    Rule("running-totals", "sweep", '"since the start of the invasion, 2,800 have come home": running totals the '
         'words mark as such, and people "from both sides" beyond what the exchange handed over both ways'),
    Rule("total-not-a-count", "sweep", '"706 Houthi prisoners are now out of prison": a running total that is a count '
         "of the same exchange in the same sentence is that count told again"),
    Rule("named-released", "sweep", '"Among them were Eyvin Hernandez, ..., Jerrel Kenemore and Savoi Wright", "The '
         'soldiers are Lyudmila Gerasimenko and Ivan Zemlyanoy": the people a sentence of the primary exchange lists '
         "as handed over"),
    Rule("youngest-and-oldest", "sweep", '"the youngest was 19 and the oldest 65", "aged 10 to 17": the ages of '
         "the primary exchange's returnees"),
    Rule("category-from-words", "sweep", 'a part of the returnees takes the category its own words name ("56 fallen '
         'soldiers from the Bakhmut sector": other, not rank), else other'),
    Rule("part-within-whole", "sweep", "a part bigger than every count of its side is no part of them (\"the map "
         'of 97,000 mines" beside 15 prisoners): dropped'),
    Rule("part-once", "sweep", "a part of the returnees given twice (same side, category and number) is one part"),
    Rule("parts-by-arithmetic", "sweep", "breakdowns of the returnees (branches, women, civilians...) read in code"),
    Rule("echo-claims", "sweep", '"207 Ukrainians returned home" and Zelensky\'s "207 guys": the outlet\'s figure and '
         "a source's identical figure, each told in a sentence of the exchange, are two claims"),
    Rule("whole-group", "sweep", '"ten Ukrainian civilians": a count whose words say what all its people are '
         "(civilians, minors, women, wounded or ill) is also a breakdown entry of that category"),
)  # fmt: skip
RULE_NAMES: frozenset[str] = frozenset(rule.name for rule in RULES)

_OFF: ContextVar[frozenset[str]] = ContextVar("pow_extract_rules_off", default=frozenset())


def check_rule_names(names: Iterable[str]) -> frozenset[str]:
    """``names`` as a frozenset; raise ValueError naming the known rules when one is unknown."""
    chosen = frozenset(names)
    unknown = sorted(chosen - RULE_NAMES)
    if unknown:
        raise ValueError(f"unknown rule(s) {', '.join(unknown)}; known: {', '.join(r.name for r in RULES)}")
    return chosen


def enabled(name: str) -> bool:
    """Whether rule ``name`` runs (raises KeyError for a name that is not in :data:`RULES`: a typo is a bug)."""
    if name not in RULE_NAMES:
        raise KeyError(f"no rule named {name!r}")
    return name not in _OFF.get()


@contextmanager
def rules_off(names: Iterable[str]) -> Iterator[None]:
    """Run the rules inside the block without those named (see :data:`RULES`)."""
    token = _OFF.set(check_rule_names(names))
    try:
        yield
    finally:
        _OFF.reset(token)


def note(notes: list[str], rule: str, message: str) -> None:
    """Append ``message`` to ``notes`` (a result's warnings) tagged with the rule that made the change:
    ``"[rule] message"``. Raises KeyError for a name that is not in :data:`RULES`."""
    if rule not in RULE_NAMES:
        raise KeyError(f"no rule named {rule!r}")
    notes.append(f"[{rule}] {message}")


_TAG = re.compile(r"\[([a-z0-9-]+)\] ")


def rule_of(warning: str) -> str | None:
    """The name of the rule a warning comes from (its ``[rule]`` tag), or None for other warnings (grounding,
    parsing, the model's answer)."""
    tag = _TAG.match(warning)
    return tag.group(1) if tag is not None and tag.group(1) in RULE_NAMES else None
