"""Deterministic coding rules applied after grounding: what a careful human coder checks in every record.

They only read the article text at the located evidence, never invent a value, and note each change in the
result's warnings. Each is named and switchable in :mod:`pow_extract.rules.registry`, which is the list to trust; in
order (numbers kept from earlier releases; 4 and 16, and the "length of time" check of 7, were deleted after they
changed nothing on any split of the eval or of the real-news set):

1. **Qualifier from the words**: "more than 400" is ``over``, "almost 2,800" is ``almost``, "some 90" is ``about``.
2. **Receiver from the nationality**: "195 Russian servicemen" were returned to Russia, "207 Ukrainians" to Ukraine;
   without a nationality, the verb of the count's clause may name the side ("1,003 bodies, which ..., were returned
   to Ukraine").
3. **Claimant from the sentence**: the claimant of a figure is the source that the sentence stating it names
   ("..., President Volodymyr Zelensky said", "according to the ombudsman Dmytro Lubinets"), not one the model took
   from elsewhere; a figure stated in the article's own voice has no claimant, unless exactly one other sentence
   credits the same figure to a named source (a headline or lede echoing an official's statement), which then
   becomes its evidence. Figures inside a quotation keep the model's claimant. The claimant's side follows from
   its name: "Russian Defence Ministry" speaks for Russia.
5. **Cancelled, not completed**: an exchange whose own sentence says it was halted, postponed or called off.
6. **One record per exchange**: records with the same status, kind and day are merged; repeated figures are kept
   once, under their named claimant if one of the copies has one.
7. **Counts fit the exchange**: a count for
   the exchange's mediator is dropped; "N each" / "each side ... N" for both sides becomes one
   count per party.
8. **Only the war's own count is an ordinal**: "the first release under the truce", "the UAE's seventh mediation",
   "the first such swap since the crash" number a narrower series, not the exchange's place in the war's series.
9. **Officials are not released people**: a "released" person who claims a figure, or carries an official's title
   (president, minister, ombudsman, spokesperson...), is the source of the news, not a freed prisoner.
10. **Too vague to code**: a record with no date, no figure and no named person is dropped; so is a record whose
   sentences never speak of a handover (no swap, exchange, release, return, repatriation... in the sentence that
   reports it or in those of its figures; English text only) unless its date words stand in a sentence that does
   (a record quoting a headline of someone's words, dated "on Saturday", moves to "On Saturday, the marine was among
   the defenders freed"), and a "completed" one whose sentence only proposes or calls for a swap.
11. **One primary exchange**: when several records are marked primary, the one reported first in the article stays
   primary and the others become secondary.
12. **Mediators from the words**: "brokered by the United Arab Emirates", "thanked Qatar for its mediation":
   a known country or body named so is a mediator of the exchange whose sentence it is (the primary exchange also
   takes those of sentences about no other day and no earlier swaps), and is removed from its sides.
13. **A count belongs to its clause's exchange**: a count whose clause names another day ("..., and 100 for 100
   were exchanged on 8 February") or people still to be handed over ("the remaining 610 are due to be exchanged")
   is not a count of the completed exchange it was put in.
14. **Both sides of "N for M"**: "207 in exchange for 195 Russians", "95 for 95", "each side handed over 90":
   the other side's count is added with the same claimant, quoting the sentence.
15. **A released person is a named individual**: "Thirteen Israelis", "Ukrainian soldiers", "unknown" are not.
17. **Agreed, not done**: a "completed" exchange whose sentence only agrees to or announces the handover ("agreed
   to exchange", "will free") and reports none is planned; the date it gave is the announcement's, so it is
   dropped.
19. **The date of its own sentence**: an exchange dated from a dateline or from the day a statement was made
   ("..., the ministry said on Thursday") takes the date its own sentence gives ("were freed on Friday"); an
   undated one takes the one date its sentences give.
18. **Bodies only when the words say so**: a record of kind "bodies" or "mixed" none of whose sentences speaks of
   bodies, remains or the dead is an exchange of prisoners.

Rules that add what the model left out (counts, secondary exchanges, breakdowns) are in :mod:`pow_extract.rules.sweep`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Collection
from typing import Literal, NamedTuple, TypeVar

from pow_extract.records.schema import (
    AgeBound,
    ArticleExtraction,
    Attributed,
    BreakdownItem,
    CountClaim,
    CumulativeTotal,
    DatePrecision,
    Evidence,
    ExchangeOrdinal,
    PrisonerExchange,
    Qualifier,
    ReleasedPerson,
    Span,
)
from pow_extract.rules.registry import enabled, note
from pow_extract.text.dates import DAY_MENTION, dated_phrases, resolve_date
from pow_extract.text.lexicon import (
    ANY_MONTH,
    BODIES,
    CANCELLED,
    DEMONYMS,
    DONE_VERBS,
    HANDOVER_STEMS,
    HANDOVER_VERBS,
    MONTHS,
    PEOPLE_NOUNS,
    SAID,
    SCHEDULED_WORDS,
    SWAP_NOUNS,
    SWAP_WORDS,
    SWAPS_IN_GENERAL,
    TIME_AFTER,
    TO_COME,
    TOTAL_OF,
    UNNAMED_SOURCE_NOUNS,
    UNNAMED_SOURCE_WORDS,
    WEEKDAYS,
    hedge_before,
    is_news_agency,
    is_unnamed_source,
    nationality_after,
    side_of_nationality,
    side_of_official,
    sides_named,
    word_pattern,
)
from pow_extract.text.names import names_match
from pow_extract.text.normalize import (
    NEUTRAL_BODIES,
    group_after,
    is_known_party,
    is_party_alias,
    normalize_parties,
    normalize_party,
    places_moved_to,
    receiver_in_clause,
    returns_home,
    side_mentions,
    side_moved_to,
    side_received_before,
    side_sent_to,
    sides_named_in,
    state_sides,
)
from pow_extract.text.numbers import find_numbers
from pow_extract.text.sentences import headline_span, is_latin, sentence_at, sentence_spans, sentences_naming

_OFFICIAL = re.compile(
    r"\b(?:president|minister|ombudsman|commissioner|spokes(?:man|woman|person)|secretary|chancellor|"
    r"prime|head of|chief of|ambassador|envoy|governor|mayor|general staff)\b",
    re.IGNORECASE,
)
_HANDOVER = re.compile(HANDOVER_STEMS, re.IGNORECASE)
#: a verb saying a handover happened ("were freed", "took place", "exchanged")
_HAPPENED = word_pattern(DONE_VERBS)
#: a headline tells a done handover in the present tense: "Hamas frees 13 Israeli hostages", "Russia, Ukraine swap
#: prisoners", "Russia-Ukraine begins nine children repatriation" (people or a number right after the verb; not "to
#: swap", "will free", "halting prisoner exchanges")
_HEADLINE_VERB = re.compile(
    rf"(?<!\bto\s)(?<!\bwill\s)\b(?:{HANDOVER_VERBS}|begin|start|complete|carr(?:y|ie)\s+out)s?\s+"
    r"((?:[\w'’-]+\s+){0,2}[\w'’-]+)",
    re.IGNORECASE,
)
_PEOPLE = word_pattern(PEOPLE_NOUNS)  # a noun for people: "soldiers", "hostages", "POWs"


def _headline_to_come(headline: str) -> bool:
    """Whether a headline tells a handover still to come, in the infinitive ("Sudanese army to hand over 230 RSF
    prisoners"), and none as done ("Hamas frees 13 hostages, Israel to release 39 prisoners" is done)."""
    return bool(_HEADLINE_TO.search(headline)) and not _HAPPENED.search(headline) and not _headline_done(headline)


def _headline_done(headline: str) -> bool:
    """Whether a headline tells a handover as done: a handover verb followed, within three words, by people or a
    number ("Hamas frees 13 Israeli hostages", "Venezuela frees seven Americans")."""
    return any(
        _PEOPLE.search(m.group(1)) or any(not n.ordinal for n in find_numbers(m.group(1)))
        for m in _HEADLINE_VERB.finditer(headline)
    )


#: a source telling of a handover as done, in a noun: "announced on Sunday the return of", "confirmed the release of"
_REPORTED_DONE = re.compile(
    rf"\b(?:{SAID})\s+(?:[\w-]+\s+){{0,4}}?the\s+(?:return|release|repatriation|homecoming)\s+of\b", re.IGNORECASE
)
#: a verb's future or conditional: "the releases would include", "shall be freed"
_WOULD = re.compile(r"\b(?:will|would|shall)\b", re.IGNORECASE)
#: words of a handover still to come ("are scheduled to head to the border")
_SCHEDULED = word_pattern(rf"{SCHEDULED_WORDS}|prepar\w*\s+(?:for|to)")  # "prepares for the release"
_PROPOSAL = re.compile(
    r"\b(?:propos|call(?:ed|s|ing)? for|urg(?:ed|es|ing)|offer(?:ed|s)?|suggest|demand|seek(?:s|ing)?\b|sought\b|"
    r"work(?:s|ed|ing)?\s+(?:for|on|towards?)\s+(?:the\s+)?(?:release|return|freedom))",  # efforts, no handover yet
    re.I,
)
#: what was swapped is a list of people, not the people: "exchanged the lists of civilian prisoners", "the exchange of
#: lists", "handed over lists of 249 prisoners"
_LISTS = re.compile(
    r"\b(?:exchang\w*|swap\w*|shar\w*|hand\w*\s+over|submit\w*)\s+(?:a\s+|the\s+|their\s+)?lists?\b|"
    r"\bexchanges?\s+of\s+(?:the\s+)?lists?\b",
    re.IGNORECASE,
)
#: a number that counts the names on a list: "lists of 249 Pakistan civilian prisoners and 98 fishermen"
_LIST_OF = re.compile(r"\blists?\s+of\s+[^.;:]*$", re.IGNORECASE)
_NARROWER_SERIES = re.compile(
    r"\b(?:(?:truce|ceasefire|cease-fire|phase|stage|deal|agreement|framework)s?|mediat\w*|broker\w*|arranged|"
    r"(?:this|the) year|such)\b",
    re.IGNORECASE,
)
_BOTH_SIDES = rf"\bboth sides\b(?!\s+(?:have\s+|had\s+|also\s+)?(?:{SAID})\b)"  # not "both sides said"
_EACH = re.compile(rf"\beach\b|\bapiece\b|{_BOTH_SIDES}", re.IGNORECASE)
_BODIES = word_pattern(BODIES)
_AGREED = re.compile(
    r"\b(?:agreed|agree|agrees|pledged|promised|announced plans?|plans?|planned|will|would|is to|are to|set to|"
    r"is due to|are due to|expected to|(?:preparing|prepares|ready|proposed|proposes|seeking|seeks)"
    r"(?=\s+to\b)|(?:action|operation|effort|mission|initiative)\s+to)\s+(?:on \w+\s+)?"
    r"(?:to\s+)?(?:(?:a|an|the)\s+(?:[\w-]+\s+){0,2})?(?:exchange|swap|(?:set\s+)?free|release|return|hand over|"
    r"trade|repatriate|handover|repatriation)\b",
    re.IGNORECASE,
)
#: a headline's infinitive tells a handover still to come: "Sudanese army to hand over 230 RSF prisoners", "Israel,
#: Hezbollah to Swap Prisoners Next Week"
_HEADLINE_TO = re.compile(rf"\bto\s+(?:set\s+free|{HANDOVER_VERBS})\b", re.IGNORECASE)
_DONE = re.compile(
    r"\b(?:were|was|have been|has been|had been)\s+(?:\w+\s+)?(?:freed|released|exchanged|swapped|returned|handed"
    r"|repatriated|completed|carried out)\b|"
    r"\b(?:returned home|came home|took place|swapped|handed over|brought home|freed)\b",
    re.IGNORECASE,
)
#: words of a group or a body, no one person: the lexicon's people nouns ("National Guardsmen") and these
_GROUP_WORDS = re.compile(
    r"\b(?:defenders?|guards?|officers?|privates?|sergeants?|unknown|none|members?|executives?|service|forces|"
    rf"{PEOPLE_NOUNS})\b",  # "State Special Transport Service"
    re.IGNORECASE,
)
#: a swap halted or called off; not a truce that "temporarily halted the seven-week-long conflict" (the fighting)
_CANCELLED = re.compile(
    rf"\b(?:{CANCELLED})\b(?!\s+(?:the\s+|a\s+)?(?:[\w'’-]+\s+){{0,3}}?"
    r"(?:conflict|fighting|war|hostilities|attacks?|offensive|bombardment|shelling|combat|violence)\b)",
    re.IGNORECASE,
)


#: words that make a figure a running total: "since the start of the invasion", "so far", "in total"
_RUNNING = re.compile(
    r"\bsince\s+(?:the\s+(?:beginning|start|outbreak)\s+of|february|\d{4})\b|\b(?:so far|to date|in total|overall|"
    r"(?:has|have|had)\s+now|now\s+been|now\s+returned|brings?\s+the\s+total|the\s+total\s+number)\b",
    re.IGNORECASE,
)


_SAID = f"(?:{SAID})"
_ACCORDING_TO = re.compile(r"\baccording to\s+(?P<who>[^,.;:!?\"“”()]+)", re.IGNORECASE)
#: a sentence crediting a source (not the "States" of "the United States")
_ATTRIBUTION = re.compile(rf"\baccording to\b|(?<!United\s)\b{_SAID}\b", re.IGNORECASE)
#: ", officials said", "a military official told", "according to the military source": a source the sentence does
#: not name (a side's adjective before it names one: "Russian officials")
_UNNAMED_SOURCE = re.compile(
    rf"(?:^|[,;]\s*|\b(?:and|but|the|some|a|an)\s+)(?-i:[a-z][a-z-]*\s+)?(?:{UNNAMED_SOURCE_NOUNS})\s+"
    rf"(?:{_SAID})\b|\baccording\s+to\s+(?:the|a|an)\s+(?-i:[a-z][a-z-]*\s+)?(?:{UNNAMED_SOURCE_NOUNS})\b",
    re.IGNORECASE,
)
_QUOTE_MARKS = re.compile(r"[\"“”«»]")
_N_FOR_N = re.compile(r"(?<![\d.,])(\d[\d,]*)\s*(?:-|\s)\s*for\s*(?:-|\s)\s*(\d[\d,]*)(?![\d])", re.IGNORECASE)
#: the words between N and M in "N ... in exchange for M", "seven Americans ... in return for the release of two"
_IN_EXCHANGE_FOR = re.compile(
    r"[^.;]{0,80}?\bin (?:exchange|return) for\s+(?:the\s+)?(?:release of\s+)?", re.IGNORECASE
)
_STILL_TO_COME = word_pattern(
    rf"(?:will|would|shall)\s+be|{SCHEDULED_WORDS}|(?:are|is)\s+(?:due|to\s+be)|remaining|yet\s+to"
)
#: "1,358 Ukrainians were freed in 2024", "this year alone": a whole year's people, not one day's exchange
_WHOLE_YEAR = re.compile(
    r"\b(?:in|during|throughout|over)\s+(?:the\s+(?:whole\s+)?year\s+(?:of\s+)?)?(?:19|20)\d\d\b(?!\s*[-–]\d|['’]s)|"
    r"\b(?:this|last)\s+year\s+alone\b|\bsince\s+the\s+(?:start|beginning)\s+of\s+(?:the|this)\s+year\b",
    re.IGNORECASE,
)
#: "Moscow and Kyiv will each release a total of 500 ... over Thursday and Friday": a handover still to come
_WILL_HAND_OVER = re.compile(
    rf"\b(?:{TO_COME})\s+(?:each\s+|also\s+|then\s+)?(?:{HANDOVER_VERBS})\b",
    re.IGNORECASE,
)
_EACH_SIDE = re.compile(
    rf"\beach side\b|{_BOTH_SIDES}|\bapiece\b|\d\s+(?:[A-Za-z'’-]+\s+){{0,3}}?each\b", re.IGNORECASE
)  # "each side freed 90", "90 apiece", "144 POWs each"; "both sides said" is who says it


def _number_pattern(number: int) -> str:
    """``number`` as it may be written in digits: "1,003", "1003", "1 003", not inside a longer number."""
    pattern = "|".join(re.escape(v) for v in {f"{number:,}", str(number), f"{number:,}".replace(",", " ")})
    return rf"(?<![\d.,])(?:{pattern})(?![\d])"


def _number_positions(text: str, number: int, *, words: bool = False) -> list[re.Match[str]]:
    """Every place ``number`` is written in digits in ``text``; with ``words``, where it never is in digits, every
    place it is written in words ("four Israeli female soldiers")."""
    found = list(re.finditer(_number_pattern(number), text))
    if found or not words:
        return found
    spelled = [n for n in find_numbers(text) if n.words and not n.ordinal and n.value == number]
    return [m for n in spelled if (m := re.compile(re.escape(n.text)).match(text, n.start)) is not None]


def _number_position(text: str, number: int, *, words: bool = False) -> re.Match[str] | None:
    return next(iter(_number_positions(text, number, words=words)), None)


def _located(text: str, figure: Evidence) -> str | None:
    return text[figure.span.start : figure.span.end] if figure.span is not None else None


def _sentence(text: str, figure: Evidence | PrisonerExchange) -> str | None:
    """The sentence(s) around a figure's (or an exchange's) evidence: the quote may be only part of what the
    article says ("Hamas released three hostages" of "On Sunday, Hamas released three hostages")."""
    if figure.span is None:
        return None
    around = _sentences_around(text, figure.span)
    return text[around[0][0] : around[-1][1]] if around else text[figure.span.start : figure.span.end]


def _sentences_around(text: str, span: Span) -> list[tuple[int, int]]:
    """The bounds of every sentence ``span`` overlaps."""
    return [(a, b) for a, b in sentence_spans(text) if a < span.end and span.start < b]


def _sentence_of_its_date(text: str, exchange: PrisonerExchange) -> str | None:
    """Re-anchor ``exchange`` on the first sentence that holds its date words and speaks of a handover ("On
    Saturday, the marine was among the defenders freed", for a record quoting a headline of a mother's words);
    return that sentence, or None (the record is left as it was) when there is none."""
    if not exchange.date_text or not exchange.date_text.strip():
        return None
    for bounds in sentences_naming(text, exchange.date_text.strip(), ignore_case=True):
        sentence = text[bounds[0] : bounds[1]]
        if is_latin(sentence) and _HANDOVER.search(sentence):
            exchange.quote = sentence
            exchange.span = Span(start=bounds[0], end=bounds[1], match="exact", score=1.0)
            return sentence
    return None


def _qualifier(located: str, number: int, *, words: bool = False) -> Qualifier | None:
    match = _number_position(located, number, words=words)
    if match is None:
        return None
    return hedge_before(located[max(0, match.start() - 30) : match.start()]) or "exact"


#: "Ukraine brought home 90", "Kyiv managed to return 45 ...": a side that succeeded in getting people back got its own
_BROUGHT_HOME = re.compile(
    r"\b([A-Z][\w-]+)(?:'s)?\s+(?:has\s+|have\s+|had\s+)?(?:(?:managed|was\s+able)\s+to\s+(?:return|bring\s+back)\b|"
    r"(?:managed\s+to\s+|was\s+able\s+to\s+)?"
    r"(?:returned|return|returns|brought|brings|bring|got|gets|welcomed|welcomes)\s+(?:back\s+)?home\b)[^.]*$"
)


_TOTAL_BEFORE = re.compile(rf"\b(?:{TOTAL_OF})\s*$", re.IGNORECASE)
_TOTAL_AFTER = re.compile(r"^[^,;.]*?\b(?:in total|in all|altogether)\b", re.IGNORECASE)
_TWO_WAY_VERB = re.compile(
    rf"\b(?:{SWAP_WORDS}|exchanging|swapping|trading)\b|\b(?:from|on) both sides\b", re.IGNORECASE
)


#: "Russia and Ukraine ... have exchanged", "the two sides swapped": both sides are the subject of the swap verb
_BOTH_EXCHANGED = re.compile(
    r"(?:\band\b|\bboth\b|\btwo\s+sides\b|,)[^.;:]{0,80}?\b(?:(?:have\s+|had\s+|has\s+)?(?:exchanged|swapped|traded)"
    r"|(?:will|agreed?\s+to|agrees\s+to)\s+(?:exchange|swap|trade))\s+(?:the\s+(?:bodies|remains)\s+of\s+)?$",
    re.IGNORECASE,
)  # "Yemen's govt, Houthis agree to exchange 2,900 prisoners" too; not a headline's "Russia and Ukraine Exchange 95"


#: "95 for 95", "144 POWs each", "75 from each side": a number of one side's people
_PER_SIDE_AFTER = re.compile(r"^[^,;.]{0,40}?\b(?:each|apiece|for|in exchange)\b", re.IGNORECASE)


def _both_exchanged(before: str) -> bool:
    """Whether the words before a number make both sides its subject: "Russia and Ukraine said Friday that they
    have exchanged the bodies of 132", "the two sides swapped 300" (not "Ukraine exchanged 95 for 95")."""
    joined = _BOTH_EXCHANGED.search(before)
    if joined is None:
        return False
    subject = before[max(0, joined.start() - 40) : joined.end()]
    return bool(re.search(r"\bboth\b|\btwo\s+sides\b", subject)) or len(sides_named(subject)) >= 2


def _two_way_total(sentence: str, number: int, parties: list[str]) -> bool:
    """Whether ``number`` is the people of both directions together: "exchanging a total of 312 captives", "300
    prisoners were swapped in all"; not when its words name who received them ("a total of 90 Ukrainians")."""
    match = _number_position(sentence, number)
    if match is None or not _TWO_WAY_VERB.search(sentence):
        return False
    before, after = sentence[max(0, match.start() - 30) : match.start()], sentence[match.end() :]
    both = _both_exchanged(sentence[: match.start()]) and not _PER_SIDE_AFTER.match(after)
    if not (_TOTAL_BEFORE.search(before) or _TOTAL_AFTER.match(after) or both):
        return False
    return _demonym_receiver(sentence, number, parties) is None and side_moved_to(after, parties) is None


def _demonym_receiver(located: str, number: int, parties: Collection[str]) -> str | None:
    """The side that received ``number`` people when the words say so (:func:`receiver_named` at the number's first
    mention in ``located``)."""
    match = _number_position(located, number, words=True)
    return receiver_named(located, match.start(), match.end(), parties) if match is not None else None


#: where a clause ends: a semicolon, ", and", ", while", a full stop, "and" before a second verb's modal ("had been
#: released ... and would be taken to a hospital": the modal is the second verb's) or before another day ("a 30-for-30
#: exchange and on April 1, Ukraine held an 86-for-86 exchange"); a brought-home cue across one is another clause's
#: ("Kyiv managed to return 45 ..., and three pilots returned to Russia")
_CLAUSE = re.compile(
    r";|,\s+(?:and|while|but|followed\s+by)\s+|\.\s|\s+and\s+(?=(?:will|would|shall|could|should|may|might)\s)"
    rf"|\s+and\s+(?=on\s+(?:\d{{1,2}}\s+)?(?:{ANY_MONTH})\b)",
    re.IGNORECASE,
)


def receiver_named(sentence: str, at: int, end: int, parties: Collection[str], *, words: int = 4) -> str | None:
    """The side that received the people of the number at ``sentence[at:end]`` when the words say so: the side a
    verb sends them to ("returned five Lebanese prisoners to Hezbollah"), their nationality or group within
    ``words`` words ("195 Russian servicemen", "five Boko Haram commanders", any country's), the side bringing them
    home ("Ukraine returned home 207") or receiving them ("Moscow received the remains of 55"); a side bringing home
    or receiving counts only when it is one of the exchange's ``parties`` (not "Qatar received 12")."""
    before, after = sentence[max(0, at - 60) : at], sentence[end:]
    sent_to = side_sent_to(after, parties, before)
    if sent_to is not None:
        return sent_to
    named = nationality_after(after, words=words) or group_after(after)
    if named:
        return named
    home = _BROUGHT_HOME.search(sentence[max(0, at - 80) : at])
    if home is not None and not _CLAUSE.search(home.group(0)):
        side = normalize_party(home.group(1))
        if side in parties:
            return side
    got = side_received_before(before, after)
    return got if got in parties else None


_GENERIC_SPEAKERS = frozenset({
    *UNNAMED_SOURCE_WORDS, "he", "she", "they", "it", "we", "i", "you", "media", "reports",
    "report", "statement", "ministry", "spokesman", "spokeswoman", "spokesperson", "side", "sides", "both",
    "government", "officer", "officers", "agency", "as", "this", "that", "there",
    # sentence adverbs set off by a comma ("Meanwhile, the government forces released 18 ..., the source added")
    "meanwhile", "however", "also", "later", "earlier", "separately", "then", "moreover", "additionally",
    "furthermore", "previously", "overall", "still", "yet", "instead", "nevertheless",
})  # fmt: skip
_CONNECTORS = frozenset({"of", "the", "for", "on", "and", "in", "to", "de", "al"})
_LEADING = re.compile(r"^(?:(?:the|a|an|and|but|while|that|later|meanwhile|also|as)\s+)+", re.IGNORECASE)
_TRAILING = re.compile(
    r"(?:\s+(?:also|too|separately|later|earlier|then|again|further|previously|now|has|have|had))+$", re.IGNORECASE
)  # "Russia also said": the source is Russia


_CAPITALISED = r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*"
_JOINT = re.compile(
    rf"(?:\b(?:both|the\s+two)\s+(?:sides|parties|countries|governments)|^\s*both|(?:^|,)\s*(?:the\s+)?{_CAPITALISED}"
    rf"\s+and\s+(?:the\s+)?{_CAPITALISED})\s*(?:have|has|had|both|jointly|also)?\s*$"
)
_PRONOUN_SAID = re.compile(rf"\b(?:it|he|she|they)\s+(?:also\s+)?{_SAID}\b", re.IGNORECASE)


def _previous_speaker(text: str, start: int) -> Speaker | None:
    """The one source the sentence before ``start`` names ("the Russian defence ministry said ... It added ...")."""
    spans = [(a, b) for a, b in sentence_spans(text[:start]) if text[a:b].strip()]
    if not spans:
        return None
    a, b = spans[-1]
    named = {(sp.name, sp.side) for sp in _speakers(text[a:b])}
    if len(named) != 1:
        return None
    name, side = named.pop()
    return Speaker(0, name, side)


#: a sentence crediting the ones before it to a source: "This was reported by ...", "This information was announced
#: by the Coordination Staff"
_THIS_WAS_SAID_BY = re.compile(
    rf"^\W*(?:this|that|the\s+news|this\s+information|the\s+information)\s+(?:was|has\s+been|had\s+been)\s+"
    rf"{_SAID}\s+by\b",
    re.IGNORECASE,
)


def _next_speaker(text: str, end: int) -> Speaker | None:
    """The one source a later sentence of the same paragraph (no blank line between) credits the words before it to
    ("This was reported by the head of the presidential office, Andriy Yermak"), with no sentence crediting a source
    of its own between."""
    for a, b in sentence_spans(text):
        if a < end:
            continue
        if re.search(r"\n\s*\n", text[end:a]):
            return None  # a blank line: another paragraph
        sentence = text[a:b]
        this = _THIS_WAS_SAID_BY.match(sentence)
        if this is not None:
            by = [sp for sp in _speakers(sentence) if sp.position <= this.end() + 1]
            if by:
                return by[0]._replace(position=0)
            words = sentence[this.end() :].strip().rstrip(".")  # "the head of the presidential office, Andriy Yermak"
            name = _speaker(words, False)
            return Speaker(0, name, _side_of(name) or _side_of(words)) if name else None
        if _ATTRIBUTION.search(sentence):
            return None
        end = b
    return None


def _said_jointly(sentence: str) -> bool:
    """Whether the sentence credits its words to both sides at once ("Russia and Ukraine announced ...", "..., both
    sides said"): the figure is nobody's own claim."""
    return any(_JOINT.search(sentence[: m.start()]) for m in re.finditer(rf"\b{_SAID}\b", sentence))


def _speaker(words_before: str, at_sentence_start: bool) -> str | None:
    """A named source among the words before "said" or after "according to"; None for "he", "officials"...

    Appositions are read right to left: "The head of the delegation, presidential aide Vladimir Medinsky, told".
    """
    if _JOINT.search(words_before):
        return None  # "Russia and Ukraine announced", "both sides said": nobody's own figure
    # a closing quotation mark ends the quoted words: the source's name follows it ("“... soil!” Dmytro Lubinets wrote")
    parts = re.split(
        r",|\s+(?:and|that|but|while|after|as|when|because|who|which)\s+|\s[-–—]+\s|[”\"»]\s", words_before
    )
    candidates: list[tuple[str, bool]] = []  # (name, introduced as "the ..." or by a lowercase title)
    for part in [p for p in parts if p.strip()][::-1][:3]:
        who = part.strip(" \t\n-–—'’\"“”«»")
        if re.match(r"(?i)according to\b", who):
            continue
        who = _TRAILING.sub("", _LEADING.sub("", who)).strip()
        words = who.split()
        titled = any(not w[:1].isupper() and w.lower() not in _CONNECTORS for w in words)  # "the Kremlin aide"
        if not words or len(words) > 12 or any(not n.ordinal for n in find_numbers(who)):  # "Two hundred": no one
            continue
        lowercase = [w for w in words if not w[:1].isupper() and w.lower() not in _CONNECTORS]
        proper = [w for w in words if w[:1].isupper() and w.lower().strip("'’s") not in _GENERIC_SPEAKERS]
        if (len(lowercase) > 3 or not proper) and not words[0][:1].isupper() and side_of_official(who) is not None:
            candidates.append((who, True))  # "the coordination headquarters for prisoners of war": a known body
            continue
        if len(lowercase) > 3 or not proper:
            continue
        person = re.search(r"\b[A-Z][\w'’-]+\s+[A-Z][\w'’-]+", who)
        if not words[0][:1].isupper():
            if person is None:
                continue  # "missing in Ukraine": a name starts the phrase, or a person's name is in it
            who = who[person.start() :]  # "presidential aide Vladimir Medinsky" -> the name
        if at_sentence_start and part is parts[0] and len(words) == 1 and words[0].lower() in _GENERIC_SPEAKERS:
            continue
        candidates.append((who.removesuffix("'s").removesuffix("’s"), titled))
    if not candidates:
        return None
    first, titled = candidates[0]
    # "Vladimir Medinsky, the Kremlin aide who led the delegation, wrote": the apposition's person, not the title
    people = [
        c
        for c, _ in candidates[1:]
        if len(c.split()) >= 2 and all(w[:1].isupper() for w in c.split()[-2:]) and not _PLACE_OR_TIME.match(c)
    ]
    return people[0] if titled and people else first


_PLACE_OR_TIME = re.compile(
    rf"(?i)(?:in|on|at|to|after|before|during|today|yesterday|late|earlier|last|this|{WEEKDAYS})\b"
)  # "..., Medinsky said Thursday": a day, not a source


class Speaker(NamedTuple):
    """A source a sentence credits: where, its name as written, and the side it speaks for (if the words say)."""

    position: int
    name: str
    side: str | None


#: a dateline that opens a sentence, with its agency: "KYIV, Ukraine (AP) — ", "Tel Aviv, Jan 20 (NationPress) "
_DATELINE = re.compile(
    r"^\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*,\s+(?:[A-Z][\w.]*(?:\s+\d{1,2})?(?:,\s+\d{4})?\s+)?\([^()]{1,40}\)"
    r"\s*[-–—]*\s*"
)


#: a source that is the subject of a relative clause ("bodies that Moscow said were ...", "which Kyiv says")
_RELATIVE_SPEAKER = re.compile(r"\b(?:that|which)\s+(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}\s*$")


def _speakers(sentence: str) -> list[Speaker]:
    """Every named source a sentence attributes its words to. The side comes from the name ("Russian Defence
    Ministry") or else from its apposition ("Vladimir Medinsky, the Kremlin aide who led Russia's delegation").
    A dateline that opens the sentence names the place of the report, not a source."""
    found: list[Speaker] = []
    dateline = _DATELINE.match(sentence)
    if dateline is not None:
        sentence = " " * dateline.end() + sentence[dateline.end() :]

    def add(position: int, words: str, at_start: bool) -> None:
        name = _speaker(words, at_start)
        if name and not _PLACE_OR_TIME.match(name):
            found.append(Speaker(position, name, _side_of(name) or _side_of(words)))

    for match in _ACCORDING_TO.finditer(sentence):
        add(match.start(), match.group("who"), False)
    previous = 0
    for match in re.finditer(rf"\b{_SAID}\b", sentence):
        inverted = re.search(r"[,”\"]\s*$", sentence[previous : match.start()]) and not match.group(0).startswith(
            "told"
        )
        after = sentence[match.end() :]
        words = sentence[previous : match.start()]
        # "1,000 bodies that Moscow said were of Ukrainian soldiers": Moscow speaks of the bodies, not of the figure
        relative = _RELATIVE_SPEAKER.search(words) is not None
        if not relative and not (
            inverted and re.match(r"\s+(?:the\s+)?[A-Z]", after) and not _PLACE_OR_TIME.match(after.lstrip())
        ):
            add(match.start(), words, previous == 0)  # not "..., said Murtada"
        previous = match.end()
    for match in re.finditer(rf"(?:,|[”\"])\s*{_SAID}\s+(?P<who>[^,.;:!?\"“”()]+)", sentence):
        add(match.start("who"), match.group("who"), False)
    for match in re.finditer(rf"\b{_SAID}\s+by\s+(?P<who>[^,.;:!?\"“”()]+)", sentence):  # "as reported by X"
        add(match.start("who"), match.group("who"), False)
    return found


def _governing(speakers: list[Speaker], position: int) -> Speaker:
    """The source whose words a figure at ``position`` of the sentence are: the nearest one introduced before it
    ("According to X, ...", "X said 195 ... while Y claimed 207"), else the nearest after it ("..., X said")."""
    before = [s for s in speakers if s.position <= position]
    if before:
        return max(before, key=lambda s: s.position)
    return min(speakers, key=lambda s: s.position)


def _attribute(
    text: str, index: int, figure: CountClaim | CumulativeTotal, notes: list[str], parties: Collection[str]
) -> None:
    """Claimant from the sentence that states the figure (:func:`voice_at`): the source it names, or nobody when the
    article says it in its own voice."""
    if figure.span is None:
        return
    located = text[figure.span.start : figure.span.end]
    number = _number_position(located, figure.number)
    voice = voice_at(text, figure.span.start + (number.start() if number is not None else 0))
    if voice is None:
        return
    if voice.name is None:
        if figure.claimant:
            why = {"own": "is stated in the article's own voice", "unnamed": "is credited to sources its sentence "
                   "does not name", "joint": "is said jointly (both sides)"}[voice.how]  # fmt: skip
            note(notes, "claimant-from-sentence", f"exchange {index}: {figure.number} {why}; claimant "
                 f"{figure.claimant!r} removed")  # fmt: skip
            figure.claimant = figure.claimant_side = None
        if voice.how == "own":
            _attributed_elsewhere(text, index, figure, notes, parties)
        return
    if names_match(voice.name, figure.claimant):
        return  # the model named the same source, perhaps more fully
    how = {"quoted": "is quoted from", "later": "is credited by a sentence after its own to"}.get(
        voice.how, "is attributed in its sentence to"
    )
    note(notes, "claimant-from-sentence", f"exchange {index}: {figure.number} {how} {voice.name!r} (model said "
         f"{figure.claimant!r})")  # fmt: skip
    figure.claimant, figure.claimant_side = voice.name, voice.side


class Voice(NamedTuple):
    """Who states a figure: ``name`` and ``side`` of its source (None for the article's own voice), and how the words
    say so: ``own`` (no word of saying), ``unnamed`` ("officials said"), ``joint`` ("both sides said"), ``quoted``
    (inside a quotation), ``later`` ("This was reported by ..."), ``named`` (its sentence names the source)."""

    name: str | None
    side: str | None
    how: Literal["own", "unnamed", "joint", "quoted", "later", "named"]


def voice_at(text: str, where: int) -> Voice | None:
    """Who states the figure at ``where``: the one source its sentence, its quotation or a sentence right after
    crediting it names, or nobody (the article's own voice, unnamed sources, both sides at once); None when the
    sentence is not Latin script or its words name a source this reader cannot tell."""
    found = sentence_at(text, where)
    if found is None:
        return None
    start, end = found
    sentence = text[start:end]
    if not is_latin(sentence):
        return None
    paragraph = text.rfind("\n", 0, where) + 1
    if len(_QUOTE_MARKS.findall(text[paragraph:where])) % 2 == 1:
        quoted = quotation_speaker(text, where)  # its speaker follows it, or a pronoun the sentence before names
        return Voice(quoted.name, quoted.side, "quoted") if quoted is not None else None
    if not _ATTRIBUTION.search(sentence):
        later = _next_speaker(text, end)  # "... 11 children ... This was reported by ... Andriy Yermak."
        return Voice(later.name, later.side, "later") if later is not None else Voice(None, None, "own")
    speakers = _speakers(sentence)
    if not speakers and _PRONOUN_SAID.search(sentence):
        earlier = _previous_speaker(text, start)  # "..., it added.": the source the previous sentence names
        speakers = [earlier] if earlier is not None else []
    if not speakers:
        if _UNNAMED_SOURCE.search(sentence):
            return Voice(None, None, "unnamed")
        return Voice(None, None, "joint") if _said_jointly(sentence) else None
    chosen = _governing(speakers, where - start)
    if chosen.side is None:  # "Saraliev", introduced earlier as "Russian parliamentarian Shamsail Saraliev"
        chosen = chosen._replace(side=_side_where_introduced(text[:start], chosen.name))
    return Voice(chosen.name, chosen.side, "named")


_GENERIC_BODY = re.compile(r"^(?:the\s+)?(ministry|office|agency|headquarters|service|committee|commission)$", re.I)


#: the source named right after a closing quotation mark: '..." the ministry said', '...," said Yermak'
_SAID_AFTER_QUOTE = re.compile(
    rf"\s*,?\s*(?P<who>[^,.;:!?\"“”()]+?)\s+{_SAID}\b|\s*,?\s*{_SAID}\s+(?P<after>[^,.;:!?\"“”()]+)"
)


def _speaker_of_quotation(text: str, said: re.Match[str]) -> tuple[str, str | None] | None:
    """(name, side) of the source a :data:`_SAID_AFTER_QUOTE` match names; "the ministry" is the one ministry the
    article names, if it names exactly one."""
    words = (said.group("who") or said.group("after") or "").strip()
    generic = _GENERIC_BODY.match(words)
    if generic:
        named = {(sp.name, sp.side) for a, b in sentence_spans(text) for sp in _speakers(text[a:b])}
        bodies = {n for n in named if generic.group(1).lower() in n[0].lower()}
        return bodies.pop() if len(bodies) == 1 else None
    name = _speaker(words, False)
    return (name, _side_of(name) or _side_of(words)) if name else None


def quoted_by(text: str, start: int, end: int) -> Speaker | None:
    """The source of a sentence that is a whole quotation (``text[start:end]``, "“Two hundred and seven of our people
    have returned!”") when the words right after it name one ("Dmytro Lubinets wrote on Telegram"); the splitter
    ends a sentence at the quotation's closing "!”", so its source stands in the next sentence."""
    sentence = text[start:end].strip()
    if len(sentence) < 2 or sentence[0] not in '“"«' or sentence[-1] not in '”"»':
        return None
    said = _SAID_AFTER_QUOTE.match(text[end : end + 160].split(".")[0])
    if said is None or re.fullmatch(r"(?i)it|he|she|they", (said.group("who") or "").strip()):
        return None
    speaker = _speaker_of_quotation(text, said)
    return Speaker(end - start, *speaker) if speaker else None


def quotation_speaker(text: str, where: int) -> Speaker | None:
    """The source of the quotation that ``where`` stands inside (an odd number of quotation marks before it in its
    paragraph), named right after its closing mark ('...," the ministry said'), or by the sentence before the
    quotation when a pronoun follows it (Zelenskyy "confirmed the exchange in a Telegram post. “... We are
    bringing home 150 of our defenders ...,” he said"); None outside a quotation or when no source is named."""
    paragraph = text.rfind("\n", 0, where) + 1
    marks = list(_QUOTE_MARKS.finditer(text, paragraph, where))
    closing = _closing_words(text, where) if len(marks) % 2 == 1 else None
    if closing is None:
        return None
    said, pronoun = closing
    if said is None:
        return _previous_speaker(text, marks[-1].start()) if pronoun else None
    speaker = _speaker_of_quotation(text, said)
    return Speaker(where, *speaker) if speaker else None


def _closing_words(text: str, where: int) -> tuple[re.Match[str] | None, bool] | None:
    """What follows the closing mark of the quotation ``where`` stands in: the match naming its source ('...," the
    ministry said'), or None when none is named or only a pronoun, and whether a pronoun says it ('...," he said');
    None when the quotation does not close."""
    close = _QUOTE_MARKS.search(text, where)
    if close is None:
        return None
    tail = text[close.end() : close.end() + 160].split(".")[0]
    said = _SAID_AFTER_QUOTE.match(tail)
    if said is None or re.fullmatch(r"(?i)it|he|she|they", (said.group("who") or "").strip()):
        return None, _PRONOUN_SAID.search(tail) is not None
    return said, False


#: "157 of its servicemen", "75 of our people": the source's own side's people
_OWN_PEOPLE = re.compile(r"^\s*(?:of\s+)?(?:our|its|their\s+own)\b", re.IGNORECASE)


#: a sentence that goes on with the statement before it: its figures are that statement's
_GOES_ON = re.compile(r"^\W*(?:in\s+exchange|in\s+return|in\s+turn)\s*,", re.IGNORECASE)


def _attributed_elsewhere(
    text: str, index: int, figure: CountClaim | CumulativeTotal, notes: list[str], parties: Collection[str]
) -> None:
    """An own-voice figure (a headline, a lede) that one other sentence credits to a named source takes that
    source and that sentence as its evidence, as long as the sentence does not give the people another receiver."""
    assert figure.span is not None
    candidates = []
    for start, end in sentence_spans(text):
        if start <= figure.span.start < end:
            continue
        sentence = text[start:end]
        if not is_latin(sentence) or not _HANDOVER.search(sentence):
            continue
        at = _number_position(sentence, figure.number)
        if at is None:
            continue
        named = {(s.name, s.side) for s in _speakers(sentence)}
        later = _next_speaker(text, end) if not _ATTRIBUTION.search(sentence) else None
        if later is not None:  # "... 94 fallen defenders. This information was announced by the Coordination Staff"
            named = {(later.name, later.side)}
        earlier = _previous_speaker(text, start) if not named and _GOES_ON.match(sentence) else None
        if earlier is not None:  # "In exchange, 95 Ukrainian prisoners ...": the statement before goes on
            named = {(earlier.name, earlier.side)}
        receiver = _demonym_receiver(sentence, figure.number, parties)
        if receiver is None and len(named) == 1 and _OWN_PEOPLE.match(sentence[at.end() :]):
            receiver = next(iter(named))[1]  # "The Russian Defense Ministry said 157 of its servicemen ...": Russia's
        if isinstance(figure, CountClaim) and receiver is not None and receiver != figure.returned_to:
            continue
        if _qualifier(sentence, figure.number) != figure.qualifier:
            continue
        if len(named) == 1:
            candidates.append((start, end, *named.pop()))
    if len(candidates) != 1:
        return
    start, end, name, side = candidates[0]
    quote = text[start:end].strip()
    start = text.index(quote, start)
    note(
        notes,
        "claimant-from-sentence",
        f"exchange {index}: {figure.number} stated in the article's own voice is attributed to {name!r} "
        f"in another sentence; that sentence is its evidence",
    )
    figure.quote = quote
    figure.span = Span(start=start, end=start + len(quote), match="exact", score=1.0)
    figure.claimant, figure.claimant_side = name, side


def _side_where_introduced(before: str, name: str) -> str | None:
    """The side of a source named by a single word, from the words just before its first mention in the text
    before: "Russian parliamentarian Shamsail Saraliev" -> Russia (the three words before the name)."""
    if len(name.split()) != 1 or not name[:1].isupper():
        return None
    first = re.search(rf"\b{re.escape(name)}\b", before)
    if first is None:
        return None
    words = re.findall(r"[\w'’-]+", before[max(0, before.rfind("\n", 0, first.start()) + 1) : first.start()])[-3:]
    return _side_of(" ".join(words))


def _side_of(claimant: str) -> str | None:
    """The side a claimant speaks for: the one side its words name ("Russia's Defence Ministry"), else the side of
    the official it names ("President's Office Head Andriy Yermak")."""
    sides = sides_named(claimant)
    return sides.pop() if len(sides) == 1 else side_of_official(claimant) if not sides else None


_NAME = r"(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:of\s+the\s+|of\s+)?[A-Z][\w'’-]*)*(?:\s+\([A-Z]{2,6}\))?"  # "(UN)"
#: one name, two joined by "and", or a list whose last name follows "and" ("by Qatar, Turkey and the UAE"); a comma
#: with no "and" after it ends the name ("mediated by Georgia's Prime Minister Irakli Garibashvili, Yerevan ...")
_NAMES = rf"{_NAME}(?:(?:\s*,\s*{_NAME})*\s*,?\s+and\s+{_NAME})?"
#: what a go-between is called: "acting as an intermediary", "the guarantors"
_GO_BETWEEN = r"(?:a\s+|an\s+|the\s+)?(?:mediators?|intermediar(?:y|ies)|go-betweens?|guarantors?)"
_MEDIATION = (
    re.compile(rf"\b(?:mediated|brokered|facilitated|arranged|negotiated|supervised|assisted)\s+by\s+(?P<who>{_NAMES})"),
    re.compile(rf"\b(?:mediation|help|assistance|supervision|auspices)\s+(?:of|from)\s+(?P<who>{_NAMES})"),
    # "under Turkish-Russian auspices", "under a Russian-Turkish guarantee": the names joined into one adjective
    re.compile(r"\bunder\s+(?:the\s+|a\s+)?(?P<who>[A-Z][\w'’]*(?:[-–/][A-Z][\w'’]*)?)\s+(?:auspices|guarantee|supervision)"),
    re.compile(rf"(?P<who>{_NAME})\s+(?:helped|assisted)\s+(?:in|with)\s+(?:the\s+)?(?:[\w-]+\s+){{0,3}}?(?:exchange|swap|"
               r"process|operation|transfer|handover|repatriation)"),
    re.compile(rf"\b(?:with the help of|thanks to)\s+(?P<who>{_NAMES})\s+(?:mediat|broker|help|assist)"),
    re.compile(rf"(?P<who>{_NAME})\s+(?:(?:has|had|have)\s+)?(?:again\s+|also\s+)?(?:mediated|mediates|brokered|brokers|"
               r"facilitated|facilitates|"
               r"helped (?:to )?broker|acted as (?:a )?mediator|acting as (?:a )?mediators?|"
               r"(?:provided\s+|provides\s+)?(?:humanitarian )?mediation)"),
    re.compile(rf"\b(?:thanked|thanks|thanking|commended|praised|grateful to|gratitude to)\s+(?P<who>{_NAMES})\s+for\s+"
               rf"(?:its\s+|their\s+)?(?:[“\"])?(?:humanitarian\s+)?(?:mediat|help|assist)"),
    re.compile(rf"\bwith\s+(?P<who>{_NAMES})\s+(?:acting|serving)\s+as\s+{_GO_BETWEEN}"),
    # "Qatar, a key mediator with Hamas": a name in apposition
    re.compile(rf"(?P<who>{_NAME}),\s+(?:a|an|the)\s+(?:[\w-]+\s+)?(?:mediator|intermediary|go-between)\b"),
    re.compile(rf"(?P<who>{_NAME})\s+(?:acted|acting|served|serving)\s+as\s+{_GO_BETWEEN}"),
    # "the UAE's “humanitarian mediation”", "The UAE said it succeeded in mediating", "The UN-brokered deal"
    re.compile(rf"(?P<who>{_NAME})['\u2019]s\s+[\"\u201c]?(?:humanitarian\s+)?mediat"),
    re.compile(rf"(?P<who>{_NAME})\s+(?:said|says)\s+(?:(?:on\s+)?(?i:{WEEKDAYS})\s+)?(?:that\s+)?it\s+(?:had\s+|has\s+)?"
               r"(?:succeeded\s+in\s+)?(?:mediat|facilitat)"),  # "The Red Cross said Monday it had facilitated"
    # (not "a Russian-brokered ceasefire": who brokered a truce did not broker the swap)
    re.compile(r"(?P<who>\b[A-Z][\w'\u2019]*)-(?:brokered|mediated)\b(?!\s+(?:ceasefire|cease-fire|truce|peace|armistice))"),
    # "the intervention of Qatari and Egyptian mediators": the countries' adjectives before the word
    re.compile(r"(?P<who>\b[A-Z][\w'\u2019]*(?:\s*(?:,|,?\s+and)\s+[A-Z][\w'\u2019]*)*)\s+mediators?\b"),
)  # fmt: skip
#: words of other or earlier swaps in general ("which brokered several others", "as in previous exchanges",
#: "since 2022"), not of other things ("and other bodies") or of the same day told earlier ("Earlier on Monday")
_GENERAL = re.compile(
    rf"{SWAPS_IN_GENERAL}|\b(?:previous|earlier|prior|past|other|this\s+year's)\s+(?:[\w-]+\s+){{0,2}}?"
    rf"(?:{SWAP_NOUNS}|round)\b",  # one earlier swap: "an earlier exchange", "the previous round"
    re.IGNORECASE,
)


#: what was brokered, right before "brokered by": a truce, not the swap ("a ceasefire agreement brokered by the US")
_TRUCE_BEFORE = re.compile(r"\b(?:ceasefire|cease-fire|truce|peace|armistice)(?:\s+[\w-]+){0,2}\s+$", re.IGNORECASE)


#: the people handed to a neutral body between the sides: "handed them over to the International Committee of the Red
#: Cross", "handed over to representatives of the ICRC" (only a neutral body is read so: handed to a side, they went
#: to that side)
_HANDED_TO_BODY = re.compile(
    rf"\b(?:handed|turned|transferred|delivered)\s+(?:(?:them|him|her)\s+)?over\s+to\s+(?:the\s+)?"
    rf"(?:(?:representatives?|officials?|members?|staff|delegates?|teams?)\s+(?:of|from)\s+(?:the\s+)?)?(?P<who>{_NAME})"
)


def _without_acronym(name: str) -> str:
    """``name`` without the acronym in brackets after it: "the United Nations (UN)" -> "the United Nations"."""
    return re.sub(r"\s*\([A-Z]{2,6}\)$", "", name.strip())


def _mediators_in(sentence: str) -> list[str]:
    """Known countries or bodies that ``sentence`` says mediated ("brokered by the United Arab Emirates"); not who
    brokered a truce ("a ceasefire agreement brokered by the US government"): that is not the swap's mediator."""
    found: list[str] = []
    for pattern in _MEDIATION:
        for match in pattern.finditer(sentence):
            if pattern is _MEDIATION[0] and _TRUCE_BEFORE.search(sentence[: match.start()]):
                continue
            for name in re.split(r",|\band\b", match.group("who")):
                found.extend(party for party in normalize_parties([_without_acronym(name)]) if is_known_party(party))
    for match in _HANDED_TO_BODY.finditer(sentence):
        bodies = normalize_parties([_without_acronym(match.group("who"))])
        found.extend(body for body in bodies if body in NEUTRAL_BODIES)
    return list(dict.fromkeys(found))


#: a word of help with a handover: "with the support of the Red Cross", "the UAE for their assistance in this
#: exchange", "Erdogan, who helped mediate the prisoner swap"
_HELP_WORD = re.compile(
    r"\b(?:mediat\w*|broker(?:ed|ing)?|facilitat\w*|intermediar\w*|go-betweens?|auspices|supervis\w*|oversaw|"
    r"overseeing|assistance|assisted|support|helped|collaboration|cooperation)\b",
    re.IGNORECASE,
)
#: a word naming the handover itself (the help is with it, not with a war or a truce)
_HANDOVER_WORD = re.compile(rf"\b(?:{SWAP_WORDS}|operations?|releas\w*|return\w*|transfer\w*|handed)\b", re.I)
#: help that is care for the people, not a hand in the handover: "medical and psychological support"
_CARE_BEFORE = re.compile(
    r"\b(?:medical|psychological|rehabilitation|financial|military|legal|consular)\s+(?:and\s+[\w-]+\s+)?$",
    re.IGNORECASE,
)
#: a truce named in the sentence: who helped with it did not help with the handover
_TRUCE_WORD = re.compile(r"\b(?:ceasefire|cease-fire|truce|peace\s+(?:deal|talks|agreement|plan)|armistice)\b", re.I)
#: how far (in characters, within one clause) a name may stand from its word of help
_HELP_REACH = 60


#: between two names of one list: "Russia and Ukraine", "Russia, Ukraine", "Israel and the Palestinians"
_NAME_AT = re.compile(rf"[\w'’-]+(?:\s+{_CAPITALISED})?")
_NAMES_JOINED = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s(?:and|or|&)\s+)(?:the\s+)?", re.IGNORECASE)


def _joined_to_a_side(sentence: str, mentions: list[tuple[int, str]], i: int, parties: Collection[str]) -> bool:
    """Whether the ``i``-th name of ``mentions`` is listed right beside a name of one of ``parties`` (only a comma or
    "and" between them): a name in a list shares its role."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(mentions) and mentions[j][1] in parties:
            (first, _), (second, _) = sorted((mentions[i], mentions[j]))
            name = _NAME_AT.match(sentence, first)  # the whole first name: "the Russian Federation and Ukraine"
            if name is not None and _NAMES_JOINED.fullmatch(sentence[name.end() : second]):
                return True
    return False


def _mediators_by_help(sentence: str, parties: Collection[str]) -> list[str]:
    """Third parties a sentence about a handover names right beside a word of help, in one clause: "carried out ...
    with the support of the Red Cross", "thanked ... as well as the UAE for their assistance in this exchange",
    "President Recep Erdogan, who helped mediate the prisoner swap". The exchange's sides are never its mediators,
    nor is who brokered a truce or gave the people care ("in Belarus, where they are receiving medical and
    psychological support")."""
    if not _HANDOVER_WORD.search(sentence) or _TRUCE_WORD.search(sentence):
        return []
    helps = [m.start() for m in _HELP_WORD.finditer(sentence) if not _CARE_BEFORE.search(sentence[: m.start()])]
    mentions = sorted(side_mentions(sentence))
    found: list[str] = []
    for i, (at, name) in enumerate(mentions):
        if name in parties or name in found or not is_known_party(name):
            continue
        if _joined_to_a_side(sentence, mentions, i, parties):
            continue  # "captives from Russia and Ukraine": named as one of the sides are, not as a helper
        for help_at in helps:
            between = sentence[min(at, help_at) : max(at, help_at)]
            if abs(at - help_at) <= _HELP_REACH and not re.search(r"[;:]", between):  # one clause
                found.append(name)
                break
    return found


def _before_general(sentence: str) -> str:
    """The part of a sentence before it turns to other or earlier swaps ("..., which brokered several others")."""
    general = _GENERAL.search(sentence)
    return sentence[: general.start()] if general else sentence


#: a place's preposition before a name: "talks in Istanbul", "flown to Ankara", "met at Doha"
_AT_PLACE = re.compile(r"\b(?:in|at|to|from|near|via)\s+(?:the\s+)?$", re.IGNORECASE)


def _only_a_place(text: str, name: str) -> bool:
    """Whether ``name``, not a country or body the lexicon knows, is named in ``text`` only as a place, after "in",
    "at", "to"...: a venue, not a mediator."""
    if is_known_party(name):
        return False
    found = list(re.finditer(rf"\b{re.escape(name)}\b", text))
    return bool(found) and all(_AT_PLACE.search(text, max(0, m.start() - 12), m.start()) for m in found)


def _check_mediators(text: str, index: int, exchange: PrisonerExchange, notes: list[str]) -> None:
    """Mediators from the words: a side the article says mediated is a mediator, not a party, and the primary
    exchange takes the mediators named in any sentence that is not about other or earlier swaps."""
    not_mediators = (  # (which of the model's mediators mediate nothing, and why)
        (is_news_agency, "reported it, a news agency mediates nothing"),
        (
            lambda name: is_unnamed_source(name) and not is_known_party(name),
            "is a source of the news named by its role, not a body that mediated",
        ),
        (lambda name: _only_a_place(text, name), 'is named only as a place ("talks in Istanbul")'),
        (lambda name: _LEADING.sub("", name.strip()).lower() in _GENERIC_SPEAKERS, 'names no one ("government")'),
        # a side, or an official speaking for one, is not its mediator (unless the words below say it mediated)
        (lambda name: name in exchange.parties or side_of_official(name) in exchange.parties, "is a side of it"),
    )
    for drop, why in not_mediators:
        dropped = [name for name in exchange.mediators if drop(name)]
        if dropped:
            exchange.mediators = [name for name in exchange.mediators if name not in dropped]
            note(notes, "mediators-from-words", f"exchange {index}: {', '.join(dropped)} {why}; dropped from "
                 "mediators")  # fmt: skip
    own = [exchange.span, *(f.span for f in exchange.figures())]
    bounds = {sentence_at(text, span.start) for span in own if span is not None}
    sides_before = len(exchange.parties)
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        if not is_latin(sentence):
            continue
        mine = (start, end) in bounds
        if not mine:
            if exchange.mention != "primary":
                continue
            days = [resolve_date(m.group(0), exchange.date) for m in DAY_MENTION.finditer(sentence)]
            if any(day is None or day[0] != exchange.date for day in days):
                continue  # it names another day (or the exchange has none to compare with)
        region = sentence if mine else _before_general(sentence)
        told, rule = _mediators_in(region), "mediators-from-words"
        if not told and enabled("mediators-by-help"):
            told, rule = _mediators_by_help(region, exchange.parties), "mediators-by-help"
        for name in told:
            if name in exchange.parties and len(exchange.parties) > 1:
                exchange.parties = [p for p in exchange.parties if p != name]
                note(
                    notes,
                    "mediators-from-words",
                    f"exchange {index}: {name} mediated it, it is not a side; moved to mediators",
                )
            if name not in exchange.mediators and name not in exchange.parties:
                exchange.mediators.append(name)
                note(
                    notes,
                    rule,
                    f"exchange {index}: mediator {name} named in {sentence.strip()[:60]!r}",
                )
    if len(exchange.parties) < 2 <= sides_before and exchange.span is not None:
        # a mediator moved out of the sides leaves one: the other is the side the record's own sentence names
        # ("Erdogan said that Russia and Ukraine had exchanged 200 prisoners under the mediation of Türkiye")
        where = sentence_at(text, exchange.span.start)
        sentence = text[where[0] : where[1]] if where else exchange.quote
        for side in sides_named_in(sentence):
            if len(exchange.parties) < 2 and side not in exchange.parties and side not in exchange.mediators:
                exchange.parties.append(side)
                note(notes, "mediators-from-words", f"exchange {index}: {side}, named in its sentence, is the "
                     "other side")  # fmt: skip


#: "Daglo's Rapid Support Forces": the forces a person leads
_LED_BY = r"['’]s\s+(?P<side>(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)"


def _full_name(text: str, name: str) -> tuple[str, tuple[int, int]] | None:
    """The full name of the person that ``name`` (a surname or a whole name) is, with its first sentence naming it:
    "Bout" -> "Viktor Bout"; None when the text never writes it as a person's name (a given name before a surname,
    not at a sentence's start; or two or more capitalised words) or when its words name a side ("Russian Bout")."""
    if is_known_party(name) or sides_named(name):
        return None
    if _named_individual(name) and len(name.split()) >= 2:
        first = next(sentences_naming(text, name), None)
        if first is not None:
            return name, first
    # "Halyna Kovalchuk" not in the text, "commander Mohamed Daglo": is the surname a person's?
    surname = name.split()[-1] if name.split() else name
    for match in re.finditer(rf"\b([A-Z][a-z'’-]+)\s+{re.escape(surname)}\b", text):
        bounds = sentence_at(text, match.start())
        full = f"{match.group(1)} {surname}"
        opens = bounds is not None and bounds[0] == match.start() and len(name.split()) < 2
        if bounds is None or opens or sides_named(match.group(1)) or not _named_individual(full):
            continue  # "Then Bout ..." starts a sentence: "Then" is no given name (a whole name has shown its shape)
        if _in_title_case_headline(text, match.start()):  # "AFC/M23 Accuses Kinshasa of": capitals say nothing there
            continue
        return full, bounds
    return None


def _in_title_case_headline(text: str, at: int) -> bool:
    """Whether ``at`` is in the text's first line and that line is written in title case ("AFC/M23 Accuses Kinshasa
    of Faulting Prisoner Exchange Agreement"): there a capital starts every word, and a name's shape says nothing."""
    start, end = headline_span(text)
    if not start <= at < end:
        return False
    line = text[start:end]
    words = re.findall(r"\b[A-Za-z][a-z]{3,}\b", line)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _sides_named_most(text: str) -> list[str]:
    """The sides the English sentences of ``text`` name, the most often named first (ties in order of appearance)."""
    named = Counter(side for start, end in sentence_spans(text) if is_latin(text[start:end])
                    for side in sides_named_in(text[start:end]) if side not in NEUTRAL_BODIES)  # fmt: skip
    return [side for side, _ in named.most_common()]


def _people_not_parties(text: str, index: int, exchange: PrisonerExchange, notes: list[str]) -> None:
    """People and neutral bodies are not sides. The ICRC or the UN beside a side is dropped from the parties. A party
    that is a person ("Griner", "Bout") is replaced by the sides that the sentences naming those people name ("Russia
    freed ... Brittney Griner ..., as the U.S. released ... Viktor Bout"), else by the two sides the text names most;
    a person the text names so in a sentence of a handover joins the released people. Nothing changes unless two
    sides are found."""
    neutral = [party for party in exchange.parties if party in NEUTRAL_BODIES or is_news_agency(party)]
    if neutral and len(neutral) < len(exchange.parties):  # the ICRC, the UN, UNN: go-betweens or sources, no side
        exchange.parties = [party for party in exchange.parties if party not in neutral]
        note(notes, "people-not-parties", f"exchange {index}: {', '.join(neutral)} is no side of it; dropped")
    people = {party: found for party in exchange.parties if (found := _full_name(text, party)) is not None}
    for party, (full, _) in list(people.items()):
        led = re.search(rf"\b{re.escape(full.split()[-1])}{_LED_BY}", text)
        if led is not None and is_known_party(led.group("side")):  # a leader stands for the forces he leads
            side = normalize_party(led.group("side"))
            exchange.parties = list(dict.fromkeys(side if p == party else p for p in exchange.parties))
            note(notes, "people-not-parties", f"exchange {index}: {party!r} leads {side}, the side")
            del people[party]
    if not people:
        return
    sides: list[str] = []
    for start, end in sorted({b for full, _ in people.values() for b in sentences_naming(text, full)}):
        sides += [s for s in sides_named_in(text[start:end])
                  if s not in exchange.mediators and s not in sides and s not in NEUTRAL_BODIES]  # fmt: skip
    parties = list(dict.fromkeys([*(p for p in exchange.parties if p not in people), *sides]))
    if len(parties) < 2:  # the people's sentences name fewer sides: the two the whole text names most
        parties = list(dict.fromkeys([*parties, *_sides_named_most(text)]))[:2]
    if len(parties) < 2:
        return
    exchange.parties = parties
    for party, (full, (start, end)) in people.items():
        note(notes, "people-not-parties", f"exchange {index}: {party!r} is a person, not a side; sides "
             f"{', '.join(parties)}")  # fmt: skip
        freed = names_match(full, party) and _HANDOVER.search(text[start:end])  # "Russia freed ... Brittney Griner"
        if freed and not any(names_match(full, person.name) for person in exchange.released_people):
            span = Span(start=start, end=end, match="exact", score=1.0)
            exchange.released_people.append(ReleasedPerson(name=full, quote=text[start:end], span=span))


def apply_checks(result: ArticleExtraction) -> ArticleExtraction:
    """Apply the coding rules of this module to a grounded result, in place; return it."""
    text = result.text or ""
    notes = result.warnings
    if enabled("mediators-from-words"):
        for index, exchange in enumerate(result.exchanges):
            _check_mediators(text, index, exchange, notes)
    if enabled("people-not-parties"):
        for index, exchange in enumerate(result.exchanges):
            _people_not_parties(text, index, exchange, notes)
    if enabled("state-side-in-civil-war"):
        for index, exchange in enumerate(result.exchanges):
            _state_sides(index, exchange, notes)
    # the sources of the text's figures are not released people: read once per article, when any record names people
    named = enabled("officials-not-released") and any(x.released_people for x in result.exchanges)
    sources = _sources_of_figures(text) if named else []
    for index, exchange in enumerate(result.exchanges):
        _check_figures(text, index, exchange, notes, result.published, sources)
        if exchange.status == "completed" and exchange.span is not None:
            sentence = text[exchange.span.start : exchange.span.end]
            if enabled("cancelled-not-completed") and _CANCELLED.search(sentence):
                exchange.status = "postponed_or_cancelled"
                note(
                    notes,
                    "cancelled-not-completed",
                    f"exchange {index}: its sentence says it did not happen; status postponed_or_cancelled",
                )
            elif (enabled("agreed-not-done") and is_latin(sentence) and not _DONE.search(sentence)
                  and (_AGREED.search(sentence)
                       or (exchange.span.start == 0 and _headline_to_come(sentence)))):  # fmt: skip
                exchange.status = "planned"
                exchange.date = exchange.date_precision = None
                note(
                    notes,
                    "agreed-not-done",
                    f"exchange {index}: its sentence agrees to or announces a handover; status planned, "
                    "the announcement's date dropped",
                )
    if enabled("called-off-later"):
        for index, exchange in enumerate(result.exchanges):
            _called_off_later(text, index, exchange, result.published, notes)
    if enabled("total-of-one-day"):
        for index, exchange in enumerate(result.exchanges):
            _totals_of_one_day(text, index, exchange, result.published, notes)
    for index, exchange in enumerate(result.exchanges):
        if enabled("bodies-only-when-said") and exchange.kind != "prisoners" and exchange.span is not None:
            sentences = [text[exchange.span.start : exchange.span.end], *(_sentence(text, f) or "" for f in
                                                                          exchange.figures())]  # fmt: skip
            if all(is_latin(s) and not _BODIES.search(s) for s in sentences):
                note(
                    notes,
                    "bodies-only-when-said",
                    f"exchange {index}: no word of its sentences speaks of bodies; kind prisoners",
                )
                exchange.kind = "prisoners"
    if enabled("one-record-per-exchange"):
        result.exchanges = _merge_same_day(text, result.exchanges, notes, result.published)
    if enabled("date-of-own-sentence"):
        for index, exchange in enumerate(result.exchanges):
            _date_from_sentence(text, index, exchange, result.published, notes)
    if enabled("bodies-own-record"):
        result.exchanges = _bodies_own_records(text, result.exchanges, notes)
    headline = text[slice(*headline_span(text))]
    kept = []
    for index, exchange in enumerate(result.exchanges):
        figures = exchange.figures()
        vague = exchange.date is None and exchange.date_text is None and all(isinstance(f, AgeBound) for f in figures)
        if enabled("no-date-no-figure") and vague:
            note(
                notes,
                "no-date-no-figure",
                f"exchange {index}: no date, no figure and no named person; dropped as too vague to code",
            )
            continue
        sentences = [_sentence(text, e) or "" for e in figures]
        anchor = text[exchange.span.start : exchange.span.end] if exchange.span is not None else exchange.quote
        silent = is_latin(anchor) and not any(_HANDOVER.search(s) for s in [anchor, *sentences])
        if enabled("no-handover-words") and silent:
            moved = _sentence_of_its_date(text, exchange)
            if moved is None:
                note(
                    notes,
                    "no-handover-words",
                    f"exchange {index}: its sentences never speak of a handover; not an exchange, dropped",
                )
                continue
            note(notes, "no-handover-words", f"exchange {index}: its sentences never speak of a handover; anchored "
                 f"on the sentence of its date words, which does: {moved[:60]!r}")  # fmt: skip
            anchor = moved
        if enabled("lists-not-people") and is_latin(anchor) and _LISTS.search(anchor):
            listed = [c for c in exchange.counts if _LIST_OF.search(_words_before(text, c))]
            if listed:
                exchange.counts = [c for c in exchange.counts if c not in listed]
                note(notes, "lists-not-people", f"exchange {index}: {', '.join(str(c.number) for c in listed)} "
                     "count the names on lists the sides exchanged; dropped")  # fmt: skip
            if not exchange.counts and not exchange.released_people:  # its ordinal numbers the lists' swaps
                note(notes, "lists-not-people", f"exchange {index}: its sentence swaps lists, not people; dropped")
                continue
        undated_aside = exchange.mention == "secondary" and exchange.date is None
        proposed = (
            exchange.status == "completed" and _PROPOSAL.search(anchor) and (not exchange.counts or undated_aside)
        )
        if enabled("proposal-not-exchange") and proposed:
            note(
                notes,
                "proposal-not-exchange",
                f"exchange {index}: its sentence proposes or calls for a swap; not an exchange, dropped",
            )
            continue
        whole = _sentence(text, exchange) or ""
        staying = [f for f in figures if not (isinstance(f, ExchangeOrdinal) and f.number <= 2)]  # 1, 2: dropped below
        undone = exchange.status == "completed" and not staying and is_latin(whole) and not _HAPPENED.search(whole)
        undone = undone and not _REPORTED_DONE.search(whole)
        undone = undone and not (whole.strip() == headline and _headline_done(whole))
        future = (
            exchange.status == "completed"
            and bool(staying)
            and all(
                is_latin(s) and _WOULD.search(s) and not _HAPPENED.search(s) and not _REPORTED_DONE.search(s)
                for s in (whole, *(_sentence(text, f) or "" for f in staying))  # each figure's sentence
            )
        )  # "The releases shall include 100 Palestinian prisoners": a figure of a handover still to come
        if enabled("completed-needs-a-done-verb") and future:
            exchange.status = "planned"
            note(notes, "completed-needs-a-done-verb", f"exchange {index}: its figures' sentences tell the handover "
                 f"only in the future ({whole[:60]!r}); status planned")  # fmt: skip
        if enabled("completed-needs-a-done-verb") and undone:
            if _SCHEDULED.search(whole):
                exchange.status = "planned"
                note(notes, "completed-needs-a-done-verb", f"exchange {index}: no verb of its sentence says a "
                     f"handover happened, and it is scheduled ({whole[:60]!r}); status planned")  # fmt: skip
            else:
                note(notes, "completed-needs-a-done-verb", f"exchange {index}: no figure, and no verb of its sentence "
                     f"says a handover happened ({whole[:60]!r}); not a completed exchange, dropped")  # fmt: skip
                continue
        kept.append(exchange)
    result.exchanges = kept
    if enabled("released-only-when-done"):  # after the filters, whose evidence the names may be
        for index, exchange in enumerate(result.exchanges):
            if exchange.status != "completed" and exchange.released_people:
                names = ", ".join(p.name for p in exchange.released_people)
                note(notes, "released-only-when-done", f"exchange {index}: {exchange.status}, so {names} not "
                     "released yet; dropped")  # fmt: skip
                exchange.released_people = []
    for index, exchange in enumerate(result.exchanges):  # after the filters: an ordinal is evidence of an exchange
        if enabled("ordinal-narrower-series") and exchange.ordinal is not None:
            whole = _sentence(text, exchange.ordinal) or ""
            if exchange.ordinal.number <= 2 or narrower_series(whole, exchange.ordinal.number):
                note(
                    notes,
                    "ordinal-narrower-series",
                    f"exchange {index}: ordinal {exchange.ordinal.number} numbers a narrower series; dropped",
                )
                exchange.ordinal = None
    if enabled("one-exchange-per-ordinal"):
        held = {x.ordinal.number for x in result.exchanges if x.ordinal is not None and x.mention == "primary"}
        for index, exchange in enumerate(result.exchanges):
            if exchange.mention != "primary" and exchange.ordinal is not None and exchange.ordinal.number in held:
                note(
                    notes,
                    "one-exchange-per-ordinal",
                    f"exchange {index}: ordinal {exchange.ordinal.number} is the primary exchange's; dropped",
                )
                exchange.ordinal = None
    if enabled("receiver-is-party"):
        for index, exchange in enumerate(result.exchanges):
            _receivers_are_parties(index, exchange, notes)
    if enabled("lone-record-primary") and len(result.exchanges) == 1 and result.exchanges[0].mention != "primary":
        result.exchanges[0].mention = "primary"  # the one exchange the page tells is what it is about
        note(notes, "lone-record-primary", "exchange 0: the only exchange the article tells; primary")
    # after the filters (a record kept only because it got a date would be too vague) and after the ordinals' checks
    # (an ordinal dropped above no longer ties the record to the page's date line)
    if enabled("report-date"):
        for index, exchange in enumerate(result.exchanges):
            _date_from_report(text, index, exchange, result.published, notes)
    return result


#: words in an ordinal's clause that bound its series, to a window of time shorter than the war ("the fourth ... in
#: the past week", "the seventh since the beginning of the year", "the sixth since October") or by size ("the sixth
#: ... involving 500 or more soldiers")
_TIME_WINDOW = re.compile(
    r"\b(?:in|over|during|within)\s+the\s+(?:past|last|previous)\s+(?:\w+\s+)?(?:days?|weeks?|months?)\b|"
    r"\b(?:this|that)\s+(?:week|month|year)\b|"
    r"\b(?:since|from)\s+the\s+(?:beginning|start)\s+of\s+(?:the|this)\s+(?:year|month)\b|"
    rf"\bsince\s+(?:last\s+)?(?:{MONTHS})\b(?!,?\s+\d{{4}})|"  # "since October", not "since February 2022"
    r"\binvolving\s+(?:at\s+least\s+|more\s+than\s+|over\s+)?\d[\d,]*",
    re.IGNORECASE,
)


def narrower_series(sentence: str, number: int) -> bool:
    """Whether the ordinal ``number`` written in ``sentence`` numbers a narrower series than the war's exchanges:
    its own words name one ("the UAE's seventh mediation", "the third release under the truce") or its clause a
    window of time or a size ("the fourth ... in the past week", "the seventh since the beginning of the year", "the
    sixth since October involving 500 or more")."""
    phrase = _ordinal_phrase(sentence, number)
    if not is_latin(phrase):
        return False
    return bool(_NARROWER_SERIES.search(phrase) or _TIME_WINDOW.search(_ordinal_clause(sentence, number)))


def _ordinal_clause(sentence: str, number: int) -> str:
    """The words from the ordinal to the end of its clause or the next ordinal ("fourth in a series of handovers ...
    in the past week"; "the 54th since 2022" of "the 54th since 2022 and the third over the past seven weeks")."""
    mentions = find_numbers(sentence)
    for i, mention in enumerate(mentions):
        if mention.ordinal and mention.value == number:
            end = next((m.start for m in mentions[i + 1 :] if m.ordinal), len(sentence))
            return re.split(r"[,;:.!?]", sentence[mention.start : end])[0]
    return ""


def _ordinal_phrase(sentence: str, number: int) -> str:
    """The ordinal and the five words after it ("seventh mediation between the two", "35th of the war"): what it
    numbers. The whole sentence when the ordinal is not written in it."""
    for mention in find_numbers(sentence):
        if mention.ordinal and mention.value == number:
            after = sentence[mention.end :].split()[:5]
            return " ".join([mention.text, *after])
    return sentence


#: "... since the war began in February", "freed from February 24": the date of a period's start, not of a swap
#: (not "held since the October 7 attack were freed on Friday": a verb of the sentence's own comes between)
_SINCE_BEFORE = re.compile(
    r"\bsince\b(?:(?!\b(?:were|was|is|are|have|has|had|been|will)\b)[^,;]){0,40}$|\bfrom\s+$", re.IGNORECASE
)
_OWN_DATE = re.compile(
    rf"\b(?:(?:on|for)\s+)?(?<!until )(?<!before )(?<!after )(?<!by )"
    rf"(?:(?:early|late)\s+)?(?:{WEEKDAYS})\b|\b(?:on|for)\s+\d{{1,2}}\s+(?:{ANY_MONTH})\b"
    rf"|\b(?:on|for)\s+(?:{ANY_MONTH})\.?\s+\d{{1,2}}\b|\b(?:yesterday|today)\b"  # "... spy swap ... yesterday"
    r"|^\W*(?:(?:earlier|later)\s+this|last)\s+(?:week|month)\b",  # "Earlier this month, Azerbaijan handed over ..."
    re.IGNORECASE,
)
_REPORTED = re.compile(rf"\b{_SAID}\s+(?:\w+\s+){{0,2}}$", re.IGNORECASE)


def _own_date_words(sentence: str, words: str) -> bool:
    """Whether ``words`` stand in ``sentence`` as its own date, not as the day a source spoke ("..., the ministry
    said on Saturday")."""
    at = sentence.find(words)
    return at >= 0 and not _REPORTED.search(sentence[:at])


def _date_from_sentence(
    text: str, index: int, exchange: PrisonerExchange, published: dt.date | None, notes: list[str]
) -> None:
    """The exchange's date from its own sentence ("... were freed on Friday"), when the model took another one
    (a dateline, the day a statement was made) or none. Dates of statements ("..., the ministry said on Thursday")
    are not dates of the exchange."""
    if published is None or exchange.span is None:
        return
    sentences = [_sentence(text, exchange) or exchange.quote]
    if exchange.date is None or not exchange.date_text or exchange.date_text not in sentences[0]:
        sentences += [_sentence(text, f) or "" for f in exchange.figures()]
    for sentence in sentences:
        if not is_latin(sentence):
            return
        if exchange.date_text and _own_date_words(sentence, exchange.date_text):
            return  # the model's date is this sentence's own
        own = _own_day(sentence, published, exchange.status)
        if own is None:
            continue
        day, precision, phrase = own
        if (day, precision) != (exchange.date, exchange.date_precision):
            note(
                notes,
                "date-of-own-sentence",
                f"exchange {index}: dated {phrase!r} by its own sentence, not {exchange.date_text!r}",
            )
            exchange.date, exchange.date_precision, exchange.date_text = day, precision, phrase
        return


def _period_start(sentence: str, match: re.Match[str]) -> bool:
    """Whether the date phrase at ``match`` starts a period the sentence measures from: right after "since" or
    "from", or put by "on"/"in" into a clause that "since" opens ("since the truce came into force on November 24"),
    not a day named after it ("the biggest spy swap since the Cold War yesterday")."""
    before = sentence[: match.start()]
    if re.search(r"\b(?:since|from)\s+$", before, re.IGNORECASE):
        return True
    return bool(_SINCE_BEFORE.search(before)) and match.group(0).lower().startswith(("on ", "in "))


def _own_day(sentence: str, published: dt.date, status: str) -> tuple[dt.date, DatePrecision, str] | None:
    """The one date that the day phrases of ``sentence`` resolve to, leaving out the days a source spoke ("..., the
    ministry said on Thursday") and those a period starts on ("since the truce came into force on November 24"),
    with the first such phrase; None when there is none or several. A completed exchange's day is never after the
    publication."""
    found = [
        m
        for m in _OWN_DATE.finditer(sentence)
        if not _REPORTED.search(sentence[: m.start()]) and not _period_start(sentence, m)
    ]
    resolved = {resolve_date(m.group(0), published, prefer="future" if status == "planned" else "past") for m in found}
    resolved.discard(None)
    if len(resolved) != 1:
        return None
    day, precision = resolved.pop()  # type: ignore[misc]
    return None if status == "completed" and day > published else (day, precision, found[0].group(0))


def _handover_day(text: str, record: PrisonerExchange, published: dt.date | None) -> dt.date | None:
    """The day on which the own sentence of ``record``, a later record with counts of its own, says its people were
    handed over ("Similarly, 14 wounded were released on Monday"); a record with another day than an earlier
    record's is another exchange."""
    if published is None or record.mention == "primary" or not record.counts or record.span is None:
        return None
    sentence = text[record.span.start : record.span.end]
    own = _own_day(sentence, published, record.status) if is_latin(sentence) else None
    return own[0] if own is not None and own[1] == "day" else None


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def _day_named(text: str, published: dt.date, *, spoken: bool) -> bool:
    """Whether the running text names the publication day ("on Saturday", "today", "On 31 January"). A date with
    its year ("Date: 2024-10-19", "MOSCOW, October 18, 2024") is the page's own date line or dateline, not the
    text's word on when the exchange happened. The day a source spoke ("..., the ministry said on
    Thursday") counts only when ``spoken`` (a record the model left undated takes the day its source spoke, as
    `_statement_day` does); it does not keep a day the model copied from the date line."""
    return any(
        (day, precision) == (published, "day")
        and not _YEAR.search(text[start:end])
        and (spoken or not _REPORTED.search(text[max(0, start - 60) : start]))
        for start, end, day, precision in dated_phrases(text, published)
    )


def _statement_day(sentence: str, published: dt.date) -> dt.date | None:
    """The one day a sentence's source reported it on ("..., both sides said on Wednesday (March 19)"), if the
    sentence names no other day and that day is not after the publication."""
    if not is_latin(sentence):
        return None
    days = set()
    for match in _OWN_DATE.finditer(sentence):
        resolved = resolve_date(match.group(0), published, prefer="past")
        if resolved is None or resolved[1] != "day" or not _REPORTED.search(sentence[: match.start()]):
            return None
        days.add(resolved[0])
    day = days.pop() if len(days) == 1 else None
    return day if day is not None and day <= published else None


def _date_from_report(
    text: str, index: int, exchange: PrisonerExchange, published: dt.date | None, notes: list[str]
) -> None:
    """A primary exchange the text gives no day for is dated by the report: the publication date, precision
    ``report`` (scored and merged at the month). That covers a record left undated and a record whose date is the
    publication date taken from outside its own sentences (a dateline, the page's date line) or from the words of a
    source in them ("..., the ministry said on Saturday", "confirmed Wednesday that ..."). The day stays a day
    when the article names it in words ("on Saturday", "today") - wherever it does, as the report's day. A planned
    or called-off exchange the text gives no day for is dated by the report too (for a planned one, the day it was
    announced; grouping does not read it as the day it happens), and so is a day the model took for it from the
    page's date line or a dateline."""
    if published is None or exchange.mention != "primary":
        return
    if exchange.status != "completed" and exchange.date is None:
        exchange.date, exchange.date_precision = published, "report"
        note(notes, "report-date", f"exchange {index}: {exchange.status} with no day of its own; dated by the report, "
             f"{published.isoformat()} (precision report)")  # fmt: skip
        return
    if exchange.date is not None:
        if (exchange.date, exchange.date_precision) != (published, "day") or not exchange.date_text:
            return
        own = [exchange.quote, *(_sentence(text, f) or "" for f in exchange.figures())]
        if any(_own_date_words(sentence, exchange.date_text) for sentence in own):
            return  # its own sentence gives the day
    if exchange.date is None and exchange.span is not None:
        stated = _statement_day(text[exchange.span.start : exchange.span.end], published)
        if stated is not None:
            exchange.date, exchange.date_precision = stated, "day"
            note(notes, "report-date", f"exchange {index}: undated; dated {stated.isoformat()}, the day its own "
                 "sentence's source reported it")  # fmt: skip
            return
    if _day_named(text, published, spoken=exchange.date is None):
        if exchange.date is None:
            exchange.date, exchange.date_precision = published, "day"
            note(notes, "report-date", f"exchange {index}: undated; the article names its day, the report's")
        return
    exchange.date, exchange.date_precision = published, "report"
    note(notes, "report-date", f"exchange {index}: the text gives no day for it; dated by the report, "
         f"{published.isoformat()} (precision report)")  # fmt: skip


_AGE_BEFORE = re.compile(
    r"(?:\b(?:youngest|oldest)\b[^.;:]{0,60}?\b(?:was|is|were|are|aged)|\baged|\bage\s+of)\s+$", re.IGNORECASE
)
_AGE_AFTER = re.compile(r"^\s*-?\s*(?:years?[- ]old|years?\s+of\s+age)\b", re.IGNORECASE)
#: a number set off by commas right after a name: "Sanchez, 62, was released", "Naama Levy, 20, and Liri Albag, 19"
_NAME_THEN = re.compile(r"\b[A-Z][\w'’-]+,\s*$")
_THEN_CLAUSE = re.compile(r"^\s*(?:,|\band\b)")


def _is_age(sentence: str, start: int, end: int) -> bool:
    """Whether the number at ``sentence[start:end]`` is someone's age: "the youngest was 19", "aged 65", "a
    63-year-old", "Odín Sánchez, 62, was freed"."""
    before, after = sentence[:start], sentence[end:]
    digits = sentence[start:end]
    years = re.fullmatch(r"\d{1,3}", digits) is not None and int(digits) <= 120
    if years and _NAME_THEN.search(before) and _THEN_CLAUSE.match(after):
        return True
    return bool(_AGE_BEFORE.search(before) or _AGE_AFTER.match(after))


def _an_age(text: str, index: int, count: CountClaim, notes: list[str]) -> bool:
    """True (and noted) when the count's number is someone's age in its sentence: "the youngest was 19", "aged
    65", "a 63-year-old"."""
    sentence = _sentence(text, count) or count.quote
    match = _number_position(sentence, count.number)
    if match is None:
        return False
    if _is_age(sentence, match.start(), match.end()):
        note(notes, "age-not-count", f"exchange {index}: {count.number} is an age in {sentence[:60]!r}; not a count")
        return True
    return False


def _own_return(sentence: str, index: int, count: CountClaim, parties: list[str], notes: list[str]) -> None:
    """A side's source telling of people who came home without saying whose ("the Russian Defense Ministry reported
    the return of 90 servicemen") speaks of its own side's people; the source is the count's claimant, else the one
    its sentence names (the claimant is read from the sentence later)."""
    match = _number_position(sentence, count.number)
    speakers = _speakers(sentence) if match is not None and count.claimant is None else []
    side = _governing(speakers, match.start()).side if speakers and match is not None else count.claimant_side
    if side is None or side not in parties or count.returned_to in (side, "both"):
        return
    if match is None or _demonym_receiver(sentence, count.number, parties) is not None:
        return
    after, before = sentence[match.end() :], sentence[: match.start()]
    if side_moved_to(after, parties, before=before) is None and returns_home(after, before):
        note(notes, "own-return", f"exchange {index}: {count.number} came home by the words of a source of {side}; "
             f"returned to {side}, not {count.returned_to}")  # fmt: skip
        count.returned_to = side


def _receivers_are_parties(index: int, exchange: PrisonerExchange, notes: list[str]) -> None:
    """A side that people of the record were returned to is one of its parties ("Azerbaijan repatriated three
    Armenian prisoners of war", told in a US statement: Armenia, whatever other side the model named)."""
    for count in exchange.counts:
        side = count.returned_to
        if side and side != "both" and side not in exchange.parties and side not in NEUTRAL_BODIES:
            exchange.parties.append(side)
            note(notes, "receiver-is-party", f"exchange {index}: {count.number} were returned to {side}; a party")


def _state_sides(index: int, exchange: PrisonerExchange, notes: list[str]) -> None:
    """A country beside an armed group fighting in it is its state's side: the parties, receivers and claimant sides
    of the record say "Sudanese Armed Forces" for "Sudan" when the Rapid Support Forces are the other party."""
    renames = state_sides(exchange.parties)
    if not renames:
        return
    exchange.parties = list(dict.fromkeys(renames.get(p, p) for p in exchange.parties))
    received: list[CountClaim | BreakdownItem | AgeBound | CumulativeTotal | ReleasedPerson] = [
        *exchange.counts,
        *exchange.breakdown,
        *exchange.ages,
        *exchange.cumulative_totals,
        *exchange.released_people,
    ]
    for item in received:
        if item.returned_to in renames:
            item.returned_to = renames[item.returned_to]
    for figure in exchange.figures():
        if isinstance(figure, Attributed) and figure.claimant_side in renames:
            figure.claimant_side = renames[figure.claimant_side]
    for country, state in renames.items():
        note(notes, "state-side-in-civil-war", f"exchange {index}: {country} beside the armed group it fights is "
             f"its state's side, {state}")  # fmt: skip


def _check_figures(
    text: str,
    index: int,
    exchange: PrisonerExchange,
    notes: list[str],
    published: dt.date | None,
    sources: list[str],
) -> None:
    """Check the figures of one record against their sentences; ``sources`` are the names the text gives figures to
    (:func:`_sources_of_figures`), none of whom is a released person."""
    figures: list[CountClaim | CumulativeTotal] = [*exchange.counts, *exchange.cumulative_totals]
    for figure in figures:
        located = _located(text, figure)
        if located is None:
            continue
        qualifier = _qualifier(located, figure.number) if enabled("qualifier-from-words") else None
        if qualifier is not None and qualifier != figure.qualifier:
            note(notes, "qualifier-from-words", f"exchange {index}: {figure.number} is {qualifier!r} by the words "
                 f"before it (model said {figure.qualifier!r})")  # fmt: skip
            figure.qualifier = qualifier
        if isinstance(figure, CountClaim) and enabled("receiver-from-nationality"):
            sentence = _sentence(text, figure) or located
            receiver = _demonym_receiver(sentence, figure.number, exchange.parties)
            positions = _number_positions(sentence, figure.number, words=True)
            at = positions[0] if positions else None
            if receiver is None and at is not None:  # "84 people ... from Russian captivity": the other side's;
                # "1,003 bodies, which ..., were returned to Ukraine": the side the clause's verb sends them to;
                # "two pro-government soldiers": the state's side against an armed group
                receiver = receiver_in_clause(sentence[: at.start()], sentence[at.end() :], exchange.parties)
            # "205 soldiers returned to Russia and 205 ... to Ukraine": which 205 the model meant, the words do not say
            # (a span of time is no such second figure: "Three Indonesian hostages ... for more than three months")
            of_people = [p for p in positions if not TIME_AFTER.match(sentence, p.end())]
            twice = len(of_people) > 1 and figure.returned_to in exchange.parties
            if receiver and figure.returned_to != receiver and not twice:
                note(
                    notes,
                    "receiver-from-nationality",
                    f"exchange {index}: {figure.number} followed by a nationality goes to {receiver}, "
                    f"not {figure.returned_to}",
                )
                figure.returned_to = receiver
        two_way = isinstance(figure, CountClaim) and enabled("two-way-total") and figure.returned_to != "both"
        if two_way and _two_way_total(_sentence(text, figure) or located, figure.number, exchange.parties):
            note(notes, "two-way-total", f"exchange {index}: {figure.number} counts both directions together, "
                 f"not the people returned to {figure.returned_to}")  # fmt: skip
            figure.returned_to = "both"
        if enabled("claimant-from-sentence") and figure.claimant:
            # the side the claimant's words or name tell, over the model's ("Coordination Headquarters" -> Ukraine)
            figure.claimant_side = _side_of(figure.claimant) or figure.claimant_side
        if isinstance(figure, CountClaim) and enabled("own-return"):
            _own_return(_sentence(text, figure) or located, index, figure, exchange.parties, notes)
    ordinal = exchange.ordinal
    if enabled("claimant-from-sentence") and ordinal is not None and ordinal.claimant and not ordinal.claimant_side:
        ordinal.claimant_side = _side_of(ordinal.claimant)

    if enabled("age-not-count"):
        exchange.counts = [c for c in exchange.counts if not _an_age(text, index, c, notes)]
    exchange.counts = _fit_counts(text, index, exchange, notes, published)
    attributed: list[CountClaim | CumulativeTotal] = [*exchange.counts, *exchange.cumulative_totals]
    if enabled("claimant-from-sentence"):
        for figure in attributed:
            _attribute(text, index, figure, notes, exchange.parties)
    if enabled("one-record-per-exchange"):
        exchange.counts = _dedupe(exchange.counts)
        exchange.cumulative_totals = _dedupe(exchange.cumulative_totals)
    claimants = [c.claimant for c in [*exchange.counts, *exchange.cumulative_totals] if c.claimant]
    if exchange.ordinal is not None and exchange.ordinal.claimant:
        claimants.append(exchange.ordinal.claimant)
    if exchange.released_people:
        claimants += sources
    if enabled("names-one-by-one"):
        exchange.released_people = _one_by_one(index, exchange.released_people, notes)
    people = []
    for person in exchange.released_people:
        if enabled("named-individual-only") and not _named_individual(person.name):
            note(
                notes,
                "named-individual-only",
                f"exchange {index}: {person.name!r} is not a named individual; dropped from released people",
            )
            continue
        official = _OFFICIAL.search(person.name) or _in_office(text, person.name)
        official = official or any(names_match(person.name, c) for c in claimants) or _negotiator(text, person.name)
        official = official and not _freed_by_name(text, person.name)  # a freed official, or a freed person quoted
        if enabled("officials-not-released") and official:
            note(
                notes,
                "officials-not-released",
                f"exchange {index}: {person.name!r} is a source of the news, not a released person; dropped",
            )
            continue
        receiver = _person_receiver(text, person.name, exchange.parties) if enabled("person-receiver") else None
        if receiver is not None and receiver != person.returned_to:
            note(notes, "person-receiver", f"exchange {index}: {person.name} went to {receiver} by the words around "
                 f"the name, not {person.returned_to}")  # fmt: skip
            person.returned_to = receiver
        people.append(person)
    exchange.released_people = people


def _in_office(text: str, name: str) -> bool:
    """Whether the text quotes ``name`` as an official: named with an office in an apposition and as the one who
    speaks ("Abdulkader Al-Murtada, head of the Houthi National Committee for Prisoners' Affairs, said", "tweeted
    Charles Michel, president of the European Council"), or said to hold one ("Kyrylo Budanov is Chief of Ukraine's
    Defence Intelligence"); not "Ivan Samoydyuk, the deputy mayor of Enerhodar", freed."""
    who = re.escape(name)
    holds = rf"{who}\s+is\s+(?:the\s+|a\s+|an\s+)?(?:[\w'’-]+\s+){{0,3}}?{_OFFICIAL.pattern}"
    if re.search(holds, text, re.IGNORECASE) is not None:
        return True
    office = rf"{who},\s+(?:the\s+|a\s+|an\s+)?(?:[\w'’-]+\s+){{0,3}}?{_OFFICIAL.pattern}"
    speaks = rf"\b(?:{_SAID}|tweeted)\s+{who}\b|{office}[^.;:]{{0,100}}?,\s+(?:{_SAID})\b"
    return re.search(office, text, re.IGNORECASE) is not None and re.search(speaks, text, re.IGNORECASE) is not None


#: who negotiated or mediated the swap: "the deal was negotiated by Mustapha Zanna", "Rustam Muradov, spent two weeks
#: intensively negotiating", "the chief negotiator, Zanna"
_NEGOTIATED_BY = r"\b(?:negotiated|mediated|brokered)\s+by\s+(?:[\w'’.-]+\s+){0,3}?"
_NEGOTIATING = (
    r",?\s+(?:(?:[\w'’-]+\s+){0,4}?(?:negotiat\w*|mediat\w*|brokered)\b|(?:the\s+|a\s+)?(?:chief\s+)?negotiator)"
)


def _negotiator(text: str, name: str) -> bool:
    """Whether the text says ``name`` negotiated or mediated the swap: a go-between, not a released person."""
    who = re.escape(name)
    return re.search(rf"{_NEGOTIATED_BY}{who}\b|\b{who}{_NEGOTIATING}", text, re.IGNORECASE) is not None


#: the words right before a name that hand its person over: "the swap of nine servicemen for", "the release of"
_FREED_BEFORE = re.compile(
    rf"(?:\b(?:{SWAP_NOUNS})\b[^.;:]{{0,80}}?\bfor|\bin exchange for|\b(?:release|freeing|return) of)\s+$"
    # the object of a verb of release, no other verb between: "freed its last hostage, former Congressman"
    rf"|\b(?:freed|released)\s+(?:(?!\b(?:{_SAID}|was|were|is|are)\b)[^.;:\d]){{0,60}}$",
    re.IGNORECASE,
)


def _freed_by_name(text: str, name: str) -> bool:
    """Whether the text hands the person over by name ("the swap of nine Russian servicemen for Melitopol Mayor Ivan
    Fedorov"): an official so named was freed, not a source."""
    return any(
        _FREED_BEFORE.search(text[max(0, m.start() - 120) : m.start()]) and not re.match(r"['’]s\b", text[m.end() :])
        for m in re.finditer(re.escape(name), text)
    )  # not a possessor: "those freed was President Volodymyr Zelensky's adviser"


def _sources_of_figures(text: str) -> list[str]:
    """Names of the sources the text gives a figure of people to, in any sentence ("A member of the government's
    negotiating team, Majid Fadael, told dpa that seven Saudi citizens ... will be released"): they tell the news."""
    names = []
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        speakers = _speakers(sentence) if is_latin(sentence) else []
        for number in find_numbers(sentence) if speakers else ():
            if not number.ordinal and not 1900 <= number.value <= 2100:  # a year is no figure of people
                names.append(_governing(speakers, number.start).name)
    return names


def _fit_counts(
    text: str, index: int, exchange: PrisonerExchange, notes: list[str], published: dt.date | None
) -> list[CountClaim]:
    parties = set(exchange.parties)
    fitted: list[CountClaim] = []
    # a count of a handover not told in the future: then the exchange's future counts are of a plan beyond it
    done = any(not _WILL_HAND_OVER.search(_sentence(text, c) or c.quote) for c in exchange.counts)
    for claim in exchange.counts:
        located = _located(text, claim) or ""
        position = _number_position(located, claim.number)
        if enabled("not-the-mediator") and (claim.returned_to in exchange.mediators
                                            or claim.returned_to in NEUTRAL_BODIES):  # fmt: skip
            note(
                notes,
                "not-the-mediator",
                f"exchange {index}: {claim.number} returned to the mediator {claim.returned_to}; dropped",
            )
            continue
        if enabled("count-of-another-clause") and claim.span is not None and position is not None:
            reason = _belongs_elsewhere(text, claim.span.start + position.start(), exchange, published, done)
            if reason:
                note(notes, "count-of-another-clause", f"exchange {index}: {claim.number} {reason}; dropped")
                continue
        sentence = _sentence(text, claim) or located
        if enabled("each-side-split") and claim.returned_to == "both" and len(parties) == 2 and _EACH.search(sentence):
            note(notes, "each-side-split", f"exchange {index}: {claim.number} each: one count per side")
            fitted.extend(claim.model_copy(update={"returned_to": side}) for side in exchange.parties)
            continue
        fitted.append(claim)
        mirror = enabled("both-sides-n-for-m") and claim.returned_to in parties and len(parties) == 2
        if mirror and claim.span is not None and position is not None:
            mirrored = _other_side(text, claim, claim.span.start + position.start(), exchange.parties)
            if mirrored is not None and mirrored.span is not None:
                at = _number_position(mirrored.quote, mirrored.number)
                where = mirrored.span.start + (at.start() if at is not None else 0)
                if enabled("count-of-another-clause") and _belongs_elsewhere(text, where, exchange, published):
                    continue
                note(
                    notes,
                    "both-sides-n-for-m",
                    f"exchange {index}: {claim.number} to {claim.returned_to} was given for "
                    f"{mirrored.number} to {mirrored.returned_to}; both counts kept",
                )
                fitted.append(mirrored)
    return fitted


def _belongs_elsewhere(
    text: str, where: int, exchange: PrisonerExchange, published: dt.date | None, done: bool = False
) -> str | None:
    """Why the count at ``where`` belongs to another exchange than ``exchange``, if its own clause (between commas,
    semicolons and "and") says so: it names another day ("... and 100 for 100 were exchanged on 8 February"), or it
    speaks of people still to be handed over ("the remaining 610 are due to be exchanged") while the exchange is
    completed - or, when the exchange has a count (``done``) of a handover told as done, of a handover its verb puts
    in the future ("will each release a total of 500": the plan; the 200 "already swapped" are the exchange's); or,
    for an exchange of one day, it counts a whole year's people ("1,358 Ukrainians were freed in 2024")."""
    bounds = sentence_at(text, where)
    if bounds is None or not is_latin(text[bounds[0] : bounds[1]]):
        return None
    sentence, at = text[bounds[0] : bounds[1]], where - bounds[0]
    start = max(sentence.rfind(sep, 0, at) for sep in (", ", ";", " and "))
    ends = [i for i in (sentence.find(sep, at) for sep in (", ", ";", " and ")) if i >= 0]
    clause = sentence[max(start, 0) : min(ends) if ends else len(sentence)]
    if exchange.status == "completed" and (_STILL_TO_COME.search(clause) or (done and _WILL_HAND_OVER.search(clause))):
        return "is about people still to be handed over"
    if exchange.date is None or exchange.date_precision != "day":
        return None
    if _WHOLE_YEAR.search(clause) and not DAY_MENTION.search(clause):
        return "counts the people of a whole year in its clause, not of one day's exchange"
    for mention in DAY_MENTION.finditer(clause):
        resolved = resolve_date(mention.group(0), published or exchange.date)
        if resolved is not None and resolved[1] == "day" and resolved[0] != exchange.date:
            return f"is dated {mention.group(0)!r} in its clause, not {exchange.date.isoformat()}"
    return None


def _counterpart(sentence: str, number: int) -> int | None:
    """M in "N for M", "N-for-M", "N ... in exchange for M" when N is ``number`` (or N when M is); in an exchange
    sentence the numbers may be written in words ("seven Americans in exchange for the release of two nephews")."""
    for match in _N_FOR_N.finditer(sentence):
        a, b = (int(g.replace(",", "")) for g in match.groups())
        if a == number:
            return b
        if b == number:
            return a
    mentions = [n for n in find_numbers(sentence) if not n.ordinal and not 1900 <= n.value <= 2100
                and not _is_age(sentence, n.start, n.end)]  # fmt: skip
    for first, second in itertools.combinations(mentions, 2):
        if _IN_EXCHANGE_FOR.fullmatch(sentence, first.end, second.start):
            if first.value == number:
                return second.value
            if second.value == number:
                return first.value
    return None


def _other_side(text: str, claim: CountClaim, where: int, parties: list[str]) -> CountClaim | None:
    """The count of the other side that the sentence of ``claim`` gives with it ("195 for 195", "each side")."""
    bounds = sentence_at(text, where)
    if bounds is None:
        return None
    sentence = text[bounds[0] : bounds[1]]
    if not is_latin(sentence):
        return None
    number = _counterpart(sentence, claim.number)
    if number is None and _EACH_SIDE.search(sentence):
        number = claim.number
    if number is None:
        return None
    words = sentence
    if number == claim.number:  # "100 Russian prisoners in exchange for 100 ...": not the claim's own 100 again
        at = where - bounds[0]
        own = _number_position(sentence[at:], number)
        if own is not None:
            words = sentence[:at] + " " * own.end() + sentence[at + own.end() :]
    receiver = _demonym_receiver(words, number, parties) or next(p for p in parties if p != claim.returned_to)
    if receiver == claim.returned_to or receiver not in parties:
        return None
    quote = sentence.strip()
    start = bounds[0] + sentence.index(quote)
    return claim.model_copy(
        update={
            "quote": quote,
            "span": Span(start=start, end=start + len(quote), match="exact", score=1.0),
            "returned_to": receiver,
            "number": number,
            "qualifier": _qualifier(sentence, number) or claim.qualifier,
        }
    )


_US = re.compile(r"^(?:US|U\.S\.)$")  # "American" is in the lexicon's nationalities


_APPOSITION = re.compile(r"^,\s+(?:a|an)\s+((?:[\w'’-]+\s+){0,2}[\w'’-]+)")


def _person_receiver(text: str, name: str, parties: list[str]) -> str | None:
    """Where a released person went, from the words of the sentences naming them: the one destination a handover
    verb gives ("The three flown to the United States were ... Evan Gershkovich"), the side that "got back" them, or
    the one nationality just before the name or in the apposition after it ("German citizen Rico Krieger", "US
    citizen Ksenia Karelina", "Hamid Noury, a 63-year-old Iranian former official")."""
    if len(name.split()) < 2:
        return None
    found: set[str] = set()
    for match in re.finditer(re.escape(name), text):
        bounds = sentence_at(text, match.start())
        if bounds is None or not is_latin(text[bounds[0] : bounds[1]]):
            continue
        sentence, at = text[bounds[0] : bounds[1]], match.start() - bounds[0]
        places = {p for p in places_moved_to(sentence) if p in parties or is_known_party(p)}
        got = side_received_before(sentence[:at])
        if len(places) == 1:
            found |= places
        elif got in parties:
            found.add(got)
        else:
            before = re.findall(r"[\w.'’-]+", sentence[max(0, at - 40) : at])[-3:]
            apposition = _APPOSITION.match(sentence[at + len(name) :])  # "Hamid Noury, a 63-year-old Iranian ..."
            words = before + (re.findall(r"[\w.'’-]+", apposition.group(1)) if apposition else [])
            nationalities = {"United States" if _US.match(w) else side_of_nationality([w]) for w in words} - {None}
            if len(nationalities) == 1 and nationalities <= set(parties):
                found.add(str(nationalities.pop()))
    return found.pop() if len(found) == 1 else None


#: a place's name, not a person's: "South Ossetia", "West Bank", "Northern Cyprus"
_PLACE_FIRST = re.compile(r"(?:North|South|East|West|Central|Upper|Lower)(?:ern)?\s", re.IGNORECASE)


#: what follows a name without being part of it: "Yocheved Lifshitz (85)", "Kevin King from the US"
_AFTER_NAME = re.compile(r"\s*\([^()]*\)$|\s+from\s+(?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*$")
#: between the names of a list: "Oleksiy Bulakhov and Mykola Kostenko", "Karina Ariev, Daniella Gilboa and Liri Albag"
_NAME_LIST = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*")


def _one_by_one(index: int, people: list[ReleasedPerson], notes: list[str]) -> list[ReleasedPerson]:
    """Each released person by their own name: a list of names ("Oleksiy Bulakhov and Mykola Kostenko") is as many
    people when every part is a person's name, first names before a full one sharing its surname ("Artem and Anna
    Dultsev"), and an age or a place after a name is no part of it ("Yocheved Lifshitz (85)", "Kevin King from the
    US")."""
    one_by_one: list[ReleasedPerson] = []
    for person in people:
        name = _AFTER_NAME.sub("", person.name).strip()
        parts = [part.strip() for part in _NAME_LIST.split(name) if part.strip()]
        if len(parts) > 1 and all(re.fullmatch(r"[A-Z][\w'’-]+", part) for part in parts[:-1]):
            surname = parts[-1].split()[-1]  # "Artem and Anna Dultsev": the last name is the family's
            parts = [f"{part} {surname}" for part in parts[:-1]] + parts[-1:]
        names = parts if len(parts) > 1 and all(_named_individual(part) for part in parts) else [name]
        if names != [person.name]:
            note(notes, "names-one-by-one", f"exchange {index}: {person.name!r} read as {', '.join(names)}")
        one_by_one += [person.model_copy(update={"name": one}) for one in names]
    return one_by_one


def _named_individual(name: str) -> bool:
    """ "Evan Gershkovich", "Khalida Jarrar": two or more capitalised words, no number, no group noun, not the name
    of a country or body ("United Arab Emirates")."""
    words = name.split()
    particles = {"al", "el", "bin", "ibn", "de", "da", "van", "von", "der", "la", "le", "abu", "di"}
    if len(words) < 2 or any(ch.isdigit() for ch in name) or _GROUP_WORDS.search(name):
        return False
    if is_party_alias(name):
        return False
    if words[-1].lower() in DEMONYMS or words[0].lower() in DEMONYMS or _PLACE_FIRST.match(name):
        return False
    return all(w[:1].isupper() or w.lower().strip("-") in particles or _joined_particle(w, particles) for w in words)


def _joined_particle(word: str, particles: set[str]) -> bool:
    """ "al-Subaihi", "d'Artagnan": a lower-case particle joined to a capitalised name."""
    head, _, tail = re.sub(r"['’]", "-", word).partition("-")
    return head.lower() in particles | {"d", "ad", "ar", "as", "at", "az", "an"} and tail[:1].isupper()


_Claim = TypeVar("_Claim", CountClaim, CumulativeTotal)


def _dedupe(items: list[_Claim]) -> list[_Claim]:
    """One figure per (receiver, number, qualifier), preferring a named claimant; keep both sides' claims. A figure
    the article gives both sides in its own voice ("45 soldiers from each side") stays whole beside a source's claim
    for one of them."""
    receivers: dict[tuple[int, str], set[str]] = {}
    for item in items:
        if item.claimant_side is None and item.returned_to != "both":
            receivers.setdefault((item.number, item.qualifier), set()).add(item.returned_to)
    pairs = {figure for figure, sides in receivers.items() if len(sides) >= 2}
    # ... unless the source's claim is the same sentence: then the pair is that claim told again
    named = {(i.number, i.qualifier, i.quote) for i in items if i.claimant_side is not None}

    def whole(claim: _Claim) -> bool:  # one of an own-voice pair, told in a sentence of its own
        return (claim.number, claim.qualifier) in pairs and (claim.number, claim.qualifier, claim.quote) not in named

    chosen: dict[tuple[str, int, str, str | None], _Claim] = {}
    for item in items:
        key = (item.returned_to, item.number, item.qualifier, item.claimant_side)
        anonymous = (item.returned_to, item.number, item.qualifier, None)
        paired = whole(item)
        if (item.claimant_side is not None and anonymous in chosen and not chosen[anonymous].claimant
                and not whole(chosen[anonymous])):  # fmt: skip
            del chosen[anonymous]
        if item.claimant_side is None and not paired and any(k[:3] == key[:3] for k in chosen):
            continue
        current = chosen.get(key)
        if current is None or (not current.claimant and item.claimant):
            chosen[key] = item
    return list(chosen.values())


def _same_figures_undated(a: PrisonerExchange, b: PrisonerExchange) -> bool:
    """Two records, at least one of them undated and neither dated differently, that give the same count to the
    same side ("144 each" in a headline and again in the lede): one exchange told twice."""
    if a.date is not None and b.date is not None:
        return False
    return bool({(c.number, c.returned_to) for c in a.counts} & {(c.number, c.returned_to) for c in b.counts})


def absorb(into: PrisonerExchange, other: PrisonerExchange) -> None:
    """Merge `other`, a second record of the same exchange, into `into`: the one merge of same-exchange records.

    Counts and running totals are deduplicated (a named claimant wins over an anonymous one), parts, ages and
    released people are added unless already there, mediators and parties are joined in order, and `into` takes
    `other`'s primary mention, ordinal and date where it has none. The caller removes `other` from its list."""
    if other.mention == "primary":
        into.mention = "primary"
    into.counts = _dedupe([*into.counts, *other.counts])
    into.cumulative_totals = _dedupe([*into.cumulative_totals, *other.cumulative_totals])
    for name in ("breakdown", "ages", "released_people"):
        seen = {(type(f).__name__, f.model_dump_json(exclude={"span", "quote"})) for f in getattr(into, name)}
        for figure in getattr(other, name):
            key = (type(figure).__name__, figure.model_dump_json(exclude={"span", "quote"}))
            if key not in seen:
                getattr(into, name).append(figure)
                seen.add(key)
    into.mediators = list(dict.fromkeys([*into.mediators, *other.mediators]))
    into.parties = list(dict.fromkeys([*into.parties, *other.parties]))
    if into.ordinal is None:
        into.ordinal = other.ordinal
    if into.date is None and other.date is not None:
        into.date, into.date_precision, into.date_text = other.date, other.date_precision, other.date_text


#: a sentence that opens by putting what it tells before the report's exchange: "Earlier this month, ...", "Last month"
_OPENS_EARLIER = re.compile(r"\W*(?:earlier|previously|before\s+that|last\s+(?:month|week))\b", re.IGNORECASE)


def _told_as_earlier(text: str, exchange: PrisonerExchange) -> bool:
    """Whether the record's own sentence opens as an earlier time's ("Earlier this month, Azerbaijan handed over 10
    Armenian soldiers"): such a record is not the same-day twin of one told without it, whatever day the model gave
    both. When a verb of saying comes before the sentence's first number, the time is the statement's ("Earlier,
    the Russian-installed head ... said Russia would also free 107 ..."), not the handover's."""
    sentence = _sentence(text, exchange) or ""
    opening = _OPENS_EARLIER.match(sentence)
    if opening is None:
        return False
    rest = sentence[opening.end() :]
    first = next(iter(find_numbers(rest)), None)
    return not re.search(rf"\b{_SAID}\b", rest if first is None else rest[: first.start], re.IGNORECASE)


def _merge_same_day(
    text: str, exchanges: list[PrisonerExchange], notes: list[str], published: dt.date | None
) -> list[PrisonerExchange]:
    out: list[PrisonerExchange] = []
    earlier = {id(x): _told_as_earlier(text, x) for x in exchanges}
    for exchange in exchanges:
        day = _handover_day(text, exchange, published)
        twin = next(
            (x for x in out if x.status == exchange.status and x.kind == exchange.kind and (
                (x.date is not None and x.date == exchange.date and x.date_precision == exchange.date_precision)
                or x.quote == exchange.quote or _same_figures_undated(x, exchange))
             and (day is None or x.date is None or x.date == day) and earlier[id(exchange)] == earlier[id(x)]),
            None,
        )  # fmt: skip
        if twin is None:
            out.append(exchange)
            continue
        note(notes, "one-record-per-exchange", f"two records of the exchange reported by {twin.quote[:60]!r} merged")
        absorb(twin, exchange)
    return out


#: "the exchange", "postponed it": words that speak of the exchange already told
_THE_EXCHANGE = re.compile(rf"\bthe\s+(?:{SWAP_NOUNS})\b|\b(?:{CANCELLED})\s+it\b", re.IGNORECASE)
#: another exchange than the one told: "the previous exchange", "an earlier swap"
_ANOTHER = re.compile(r"\b(?:previous|earlier|last|another|next|first|second|latest)\b", re.IGNORECASE)


#: the remains of the dead right before or after a number: "the bodies of 212 Ukrainian defenders", "212 bodies"
_BODIES_OF_BEFORE = re.compile(r"\b(?:bodies|remains)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_BODIES_AFTER = re.compile(r"^\s+(?:[\w'’-]+\s+){0,2}?(?:bodies|remains)\b", re.IGNORECASE)


def _bodies_own_records(text: str, exchanges: list[PrisonerExchange], notes: list[str]) -> list[PrisonerExchange]:
    """Bodies handed over with a swap of living people ("as a part of the swap, the bodies of 212 Ukrainian defenders
    were handed over by Russia") are their own record (kind bodies, same day, sides and status): a prisoners record
    keeps its living people's counts, and the bodies' count goes to a record of its own."""
    out: list[PrisonerExchange] = []
    for exchange in exchanges:
        out.append(exchange)
        if exchange.kind != "prisoners" or len(exchange.counts) < 2:
            continue
        for count in list(exchange.counts):
            where = _number_sentence(text, count)
            sentence = text[where[0] : where[1]] if where else ""
            positions = _number_positions(sentence, count.number, words=True)
            if not where or not positions or not is_latin(sentence):
                continue
            at = positions[0]
            if not (_BODIES_OF_BEFORE.search(sentence[: at.start()]) or _BODIES_AFTER.match(sentence[at.end() :])):
                continue
            if all(c is count for c in exchange.counts):
                break  # the record's only count: the record is the bodies' own
            exchange.counts.remove(count)
            quote = sentence.strip()
            start = where[0] + sentence.index(quote)
            span = Span(start=start, end=start + len(quote), match="exact", score=1.0)
            record = exchange.model_copy(deep=True, update={"kind": "bodies", "quote": quote, "span": span,
                                                            "counts": [count], "breakdown": [], "ages": [],
                                                            "released_people": [], "cumulative_totals": [],
                                                            "ordinal": None})  # fmt: skip
            out.append(record)
            note(notes, "bodies-own-record", f"exchange {len(out) - 1}: the bodies of {count.number} handed over "
                 f"with the swap of living people are a record of their own ({quote[:60]!r})")  # fmt: skip
    return out


def _totals_of_one_day(
    text: str, index: int, exchange: PrisonerExchange, published: dt.date | None, notes: list[str]
) -> None:
    """A running total the model gave whose number stands in a sentence that dates one handover and has no word of
    a running total ("The most recent exchange took place on March 19, with 175 Ukrainians brought back home") is
    that handover's count, not a total: dropped (the second reading then reads that exchange)."""
    if published is None:
        return
    kept = []
    for total in exchange.cumulative_totals:
        where = _number_sentence(text, total)
        sentence = text[where[0] : where[1]] if where else ""
        days = [sentence[a:b] for a, b, _, _ in dated_phrases(sentence, published)] if sentence else []
        on_a_day = any(re.match(r"(?:on|in)\s", day, re.IGNORECASE) for day in days)  # not "With Thursday's exchange"
        if on_a_day and is_latin(sentence) and not _RUNNING.search(sentence):
            note(notes, "total-of-one-day", f"exchange {index}: running total {total.number} stands in a sentence "
                 f"of one day's handover ({sentence.strip()[:60]!r}); dropped")  # fmt: skip
            continue
        kept.append(total)
    exchange.cumulative_totals = kept


def _words_before(text: str, figure: CountClaim) -> str:
    """The words of the figure's sentence before its number."""
    located = _sentence(text, figure) or ""
    match = _number_position(located, figure.number, words=True)
    return located[: match.start()] if match is not None else ""


def _number_sentence(text: str, figure: CountClaim | CumulativeTotal) -> tuple[int, int] | None:
    """The sentence of a figure's quote that holds its number (the first one, when none does)."""
    if figure.span is None:
        return None
    spans = _sentences_around(text, figure.span)
    holding = (s for s in spans if _number_positions(text[s[0] : s[1]], figure.number, words=True))
    return next(holding, None) or (spans[0] if spans else None)


def _called_off_later(
    text: str, index: int, exchange: PrisonerExchange, published: dt.date | None, notes: list[str]
) -> None:
    """A planned exchange that its own sentence, or for the primary one a later sentence, says was called off ("the
    Ukrainian side did not confirm the exchange today and postponed it indefinitely") is postponed_or_cancelled,
    dated the report's day when a later sentence names it; a later sentence that names another day or another
    exchange speaks of something else (a day its own sentence names is the record's own: "said on Saturday that Kyiv
    had postponed the handover")."""
    if exchange.status != "planned" or exchange.span is None:
        return
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        if end <= exchange.span.start or not is_latin(sentence) or not _CANCELLED.search(sentence):
            continue
        own = start <= exchange.span.start  # its own sentence: it tells of the record, and a day it names is its own
        if not own and exchange.mention != "primary":
            return  # a later sentence's calling off is the primary exchange's, not a background one's
        if not own and (not _THE_EXCHANGE.search(sentence) or _ANOTHER.search(sentence)):
            continue
        days = {day for _, _, day, _ in dated_phrases(sentence, published)} if published is not None else set()
        if days - {published} and not own:
            continue
        exchange.status = "postponed_or_cancelled"
        if days and not own and published is not None and exchange.date is None:
            exchange.date, exchange.date_precision = published, "day"
        if own and published is not None and exchange.date is not None and exchange.date > published:
            # a weekday read as the next one, for a plan, is the last one for a plan called off ("Russia canceled
            # on Saturday a scheduled exchange")
            past = resolve_date(exchange.date_text, published, prefer="past") if exchange.date_text else None
            exchange.date, exchange.date_precision = past if past is not None else (None, None)
        which = "its own" if own else "a later"
        note(notes, "called-off-later", f"exchange {index}: {which} sentence says it was called off "
             f"({sentence.strip()[:60]!r}); status postponed_or_cancelled")  # fmt: skip
        return
