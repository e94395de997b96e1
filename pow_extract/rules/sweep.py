"""Second reading: what the model left out, read in code after the coding rules.

A small model lists the exchange an article is about and often stops there: it skips the other side's count in
a separate sentence, the earlier swap the article recalls in one line, and the breakdown of the returnees. A human
coder reads the article again for exactly these. This step does, with rules that only add what the words state
and that quote the sentence they read it from (so every addition is grounded like the model's figures):

1. **Counts of the primary exchange** (a planned or called-off one's too): in a sentence about it (a handover verb;
   no other date, tense or running total; not a sentence of another record), "N <people>" (in digits or words:
   "Ninety-five Russian servicemen") whose receiver the words name ("195 Russian prisoners", "Ukraine received
   207", "75 of our people" in Zelensky's words; "each side" for both) becomes a count, credited to the source the
   sentence names - unless another record of the article already holds that number for that receiver ("the 22 were
   in need of urgent care" tells again of the 22 another record counts).
2. **Earlier exchanges recalled by date**: a clause that names a swap ("exchange", "swap", "were exchanged") on a
   day or month other than any record's ("The previous exchange, on May 6, saw 205 prisoners freed by each
   side") becomes a secondary record between the primary exchange's sides (or the first record's, when the article
   has no primary exchange), with the counts its clause gives ("100 for 100 were exchanged": both sides); called
   off or planned when its words say so. A record's quote covers such a clause only when the record's own date
   words stand in it. A weekday names another day only when every record has a day of its own ("completed ... on
   Sunday. On Friday, both sides exchanged 270 soldiers"); "last week" or "last month" names one only beside a verb
   of a done handover ("Last week, Hamas freed four Israeli soldiers"). Only in articles where the model found an
   exchange at all.
3. **The primary exchange's place in the war's series** when the model left it out: an ordinal that numbers a
   swap ("the 50th exchange of prisoners ... took place today", "the swap was the 49th since ...") in a sentence
   of no other time, credited to the source the sentence names; not a narrower series ("the seventh since the
   beginning of the year").
4. **Breakdowns by arithmetic** (:mod:`pow_extract.rules.parts`), and the whole group as its own breakdown entry
   when a count's words say what all its people are ("ten Ukrainian civilians"); every part takes the category its
   own words name ("56 fallen soldiers from the Bakhmut sector": other).

English text only; each addition is noted in the result's warnings.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass

from pow_extract.records.schema import (
    PUBLISHED,
    AgeBound,
    ArticleExtraction,
    BreakdownItem,
    CountClaim,
    CumulativeTotal,
    DatePrecision,
    ExchangeOrdinal,
    PrisonerExchange,
    Qualifier,
    ReleasedPerson,
    Span,
)
from pow_extract.rules.checks import (
    _ATTRIBUTION,
    _CANCELLED,
    _CLAUSE,
    _HANDOVER,
    _HAPPENED,
    _N_FOR_N,
    _OFFICIAL,
    _OPENS_EARLIER,
    _OWN_PEOPLE,
    _PEOPLE,
    _PROPOSAL,
    _REPORTED,
    _RUNNING,
    _SINCE_BEFORE,
    _THE_EXCHANGE,
    Speaker,
    _attribute,
    _bodies_own_records,
    _check_mediators,
    _counterpart,
    _dedupe,
    _governing,
    _mediators_in,
    _named_individual,
    _number_position,
    _ordinal_clause,
    _person_receiver,
    _qualifier,
    _side_where_introduced,
    _sources_of_figures,
    _speakers,
    _two_way_total,
    absorb,
    narrower_series,
    quotation_speaker,
    quoted_by,
    receiver_named,
    voice_at,
)
from pow_extract.rules.parts import (
    add_parts,
    categories_from_words,
    category_of,
    counts_that_are_parts,
    listed_groups,
    parts_once,
    parts_within_whole,
    side_counted_last,
    whole_group,
)
from pow_extract.rules.registry import enabled, note
from pow_extract.text.dates import cardinals, dated_phrases, find_date_phrases, resolve_date
from pow_extract.text.lexicon import (
    ANY_MONTH,
    BODY_NOUNS,
    DEATH_WORDS,
    MONTH_ABBREVIATIONS,
    MONTHS,
    MOVED_VERBS,
    NOT_RETURNED,
    SAID,
    SCHEDULED_WORDS,
    SWAP_NOUNS,
    SWAP_WORDS,
    SWAPS_IN_GENERAL,
    TALK_WORDS,
    TIME_AFTER,
    TO_COME,
    WEEKDAYS,
    nationality_after,
    side_of_nationality,
    word_pattern,
)
from pow_extract.text.names import names_match
from pow_extract.text.normalize import (
    is_known_party,
    normalize_party,
    receiver_in_clause,
    returns_home,
    sides_named_in,
    speaker_received_before,
)
from pow_extract.text.numbers import find_numbers, read_number
from pow_extract.text.sentences import abbreviates, is_latin, sentence_index, sentence_spans

_EACH_DID = re.compile(
    rf"\beach\s+(?:side\s+)?(?:{MOVED_VERBS}|received|exchanged|swapped|traded|got|freed)\s+(?:back\s+|over\s+|home\s+)?$",
    re.IGNORECASE,
)  # "Russia and Ukraine each handed back 90", "each side returned 50"; not "three trains, each with 1,200 bodies"
_EACH = re.compile(r"\beach\b|\bapiece\b", re.IGNORECASE)
#: "1,000 prisoners of war each", "45 soldiers apiece": the same number for each side, said after the people
_EACH_AFTER = re.compile(r"[^,;.\d]{0,40}?\b(?:each|apiece)\b", re.IGNORECASE)
_COMBINED = re.compile(r"\b(?:a total of|in total|in all|altogether|from both sides|on both sides|both sides)\b", re.I)
_OTHER_TIME = re.compile(
    rf"\b(?:{MONTHS}|(?:{MONTH_ABBREVIATIONS})\.?\s+\d{{1,2}}|{WEEKDAYS}|earlier|previous|previously|"
    r"last (?:week|month|year|time)|(?:that|the) same (?:day|week|month)|(?:later|earlier) that (?:day|week|month)|"
    r"since|so far|to date|overall|in all|altogether|total|will|would|shall|expected|"
    rf"{SCHEDULED_WORDS}|plan\w*|next|upcoming|on the way|en route|(?:are|is) to be|foresee\w*|envisag\w*|stipulat\w*|"
    r"could|should|may|might|\d{4})\b",
    re.IGNORECASE,
)


def _numbers_in(sentence: str) -> list[tuple[int, int, int]]:
    """(value, start, end) of every cardinal number in ``sentence``, in digits ("1,212") or words ("Ninety-five"),
    read by the one number reader; "one" only before a nationality ("one American citizen"), not in "one of them",
    "one-for-one"; no number of a date ("On 3 April 2023, another prisoner exchange")."""
    return [
        (n.value, n.start, n.end)
        for n in cardinals(sentence)
        if n.text.lower() != "one" or nationality_after(sentence[n.end : n.end + 40], words=1)
    ]


_SWAP = word_pattern(SWAP_WORDS)
#: between a part and the whole it is drawn from: "400 of the 7,000", "five of those 20"
_PART_OF = re.compile(r"\s+of\s+(?:the\s+|those\s+|these\s+)?", re.IGNORECASE)
_SWAP_NOUN = re.compile(rf"(?:{SWAP_NOUNS})s?", re.IGNORECASE)
_NOT_RETURNED = word_pattern(NOT_RETURNED)
_DEATH = re.compile(DEATH_WORDS, re.IGNORECASE)
_BODIES = word_pattern(BODY_NOUNS)
_DATE = re.compile(
    rf"(?:\b(?:on|in|of|for)\s+)?(?:\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{ANY_MONTH})|\b(?:{ANY_MONTH})\.?\s+\d{{1,2}}"
    rf"(?:st|nd|rd|th)?)\b(?:,?\s+\d{{4}})?|\b(?:on|in|of|for)\s+(?:{MONTHS})\b(?:,?\s+\d{{4}})?"
    rf"|\blast\s+(?:{WEEKDAYS})\b|\b(?:in\s+)?(?:mid|early|late)[-\s](?:{MONTHS})\b",
    re.IGNORECASE,
)
#: a recent period named without a date: "last week", "last month", "earlier this month"
_RECENT = re.compile(r"\b(?:last|earlier\s+this)\s+(?:week|month)\b", re.IGNORECASE)
_SWAPS_IN_GENERAL = re.compile(SWAPS_IN_GENERAL, re.IGNORECASE)


#: a deal struck on a day, its handovers still to come: "signed an agreement in Jordan to swap more than 1,400"
_DEAL = re.compile(
    r"\b(?:signed|reached|struck|sealed)\s+(?:an?\s+|the\s+)?(?:agreement|deal|accord)\b[^.;]{0,60}?\bto\s+"
    r"(?:swap|exchange|release|free|hand\s+over)\b|\bagreed\s+(?:on\s+)?(?:to\s+)?(?:swap|exchange|release|free)\b",
    re.IGNORECASE,
)
_OPENING_SINCE = re.compile(r"\W*since\b", re.IGNORECASE)  # "Since 2022, ...": it governs the whole sentence


#: "Between mid-March and November, Ukraine returned more than 1,130": a period, not the day of one exchange
_PERIOD = re.compile(
    rf"\b(?:between|from)\s+(?:(?:mid|early|late)[-\s])?(?:{ANY_MONTH})\b[^,;]{{0,20}}?\s(?:and|to|until|through)\s+"
    rf"(?:(?:mid|early|late)[-\s]|the\s+end\s+of\s+)?(?:{ANY_MONTH})\b",
    re.IGNORECASE,
)


def _in_general(clause: str, when: int) -> bool:
    """Whether ``clause`` speaks of swaps in general ("most swaps since", "typically", "a series of exchanges"),
    read in its comma-separated parts that speak of a swap or a handover or hold its date (at ``when``): "Despite
    the freezing of the process since August, on January 3, the largest exchange ... took place" tells one
    exchange (its "since" is the freeze's; "the largest ... since" ranks the exchange); "since the operation began
    in February last year, more than 2,000 have been exchanged" and "Since 2022, exchanges on 8 February freed 100"
    do not (a "since" that opens the sentence governs all of it)."""
    parts = [m.group(0) for m in re.finditer(r"[^,]+,?", clause)
             if _SWAP.search(m.group(0)) or _HANDOVER.search(m.group(0)) or m.start() <= when < m.end()
             or (m.start() == 0 and _OPENING_SINCE.match(m.group(0)))]  # fmt: skip
    return any(_SWAPS_IN_GENERAL.search(_SUPERLATIVE_SINCE.sub(" ", p)) for p in parts)


#: "In the first step of the carefully choreographed swap, the 10 Russian agents pleaded guilty on Thursday": a step
#: of the swap the text tells is that swap, not another one on its weekday
_STEP_OF_THE_SWAP = re.compile(
    rf"\b(?:step|stage|part|phase)s?\s+of\s+(?:the|this)\s+(?:[\w-]+\s+){{0,3}}?(?:{SWAP_WORDS})\b", re.IGNORECASE
)
#: "the largest swap since the start of the war": a superlative's "since" measures one exchange against the others
_SUPERLATIVES = r"largest|biggest|greatest|first|longest|latest|most\s+\w+"
_SUPERLATIVE_SINCE = re.compile(rf"\b(?:{_SUPERLATIVES})\b[\s\w'’-]*?\bsince\b", re.IGNORECASE)
_PLANNED = word_pattern(SCHEDULED_WORDS)
#: a date beside words of talks, agreements or announcements is theirs, unless a verb says people were handed over
_TALKS = word_pattern(TALK_WORDS)
#: a plan told in the past tense: the day it was planned for may be behind the report
_PAST_PLAN = re.compile(
    r"\b(?:was|were|had\s+been)\s+(?:originally\s+|initially\s+)?(?:planned|scheduled|set|expected|due)\b", re.I
)
#: "200 ... will be released", "the next four hostages would be freed": a handover still to come
_TO_COME = re.compile(
    rf"\b(?:{TO_COME})\s+(?:then\s+|also\s+)?be\s+"
    rf"(?:{MOVED_VERBS}|exchanged|swapped)\b",
    re.IGNORECASE,
)
#: "on Friday" dates a handover still to come (of one that happened, a weekday is the primary's own day); so does
#: a weekday without "on" ("The first exchange took place Sunday"), not a possessive ("Sunday's swap")
_HANDOVER_WEEKDAY = re.compile(rf"\b(?:on\s+)?(?:{WEEKDAYS})\b(?!['’]s)", re.IGNORECASE)


def _handover_weekday(clause: str) -> re.Match[str] | None:
    """The first weekday of the clause ("on Friday", "took place Sunday") that is not the day a source spoke ("Russia
    said on Tuesday ...")."""
    return next((m for m in _HANDOVER_WEEKDAY.finditer(clause) if not _REPORTED.search(clause[: m.start()])), None)


@dataclass(frozen=True)
class _Count:
    at: int  # where the number stands in its sentence
    number: int
    receivers: tuple[str, ...]
    claimant: str | None
    claimant_side: str | None
    qualifier: Qualifier


#: "10 Hamas hostages per day", "300 prisoners a week": a rate of an arrangement, not the people of one handover
_RATE = re.compile(r"^[^.;,]{0,40}?\b(?:(?:per|a|each|every)\s+(?:day|week|month)|daily|weekly)\b", re.IGNORECASE)
#: "... and 44 to Armenia": a number standing for the people of the clause before, sent to a side
_GAPPED = re.compile(r"\s+to\s+(?:the\s+)?([A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)\s*(?:[.,;]|$)")
#: "10 agents released by Washington and four freed by Moscow": the people left out, the side that let them go named
_GAPPED_BY = re.compile(rf"\s+(?:{MOVED_VERBS})\s+by\s+(?:the\s+)?([A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)\b")
#: "nine-for-nine": the words between two numbers written in words that make an "N for N"
_FOR_BETWEEN = re.compile(r"\s*-?\s*for\s*-?\s*", re.IGNORECASE)
#: "the "50 for 50" formula": the noun that makes an "N for N" the ratio of the exchange told
_RATIO_NOUN = re.compile(r"formula|format|principle|scheme|basis", re.IGNORECASE)
#: "303 Russian servicemen have returned, while an equivalent number of Ukrainian prisoners have also been freed"
_SAME_NUMBER = re.compile(r"\b(?:the\s+same|an?\s+(?:equal|equivalent|identical|similar))\s+number\s+of\b", re.I)


def _same_for_same(sentence: str) -> dict[int, bool]:
    """Where the numbers of an "N for N" with the same N on both sides stand in ``sentence`` (True for the first,
    False for the second: read once, for both sides), when people or a verb saying they were handed over follow
    ("100 for 100 were exchanged"), or the words call it the exchange's ratio ("exchanged according to the "50 for
    50" formula", "on a 'nine-for-nine' formula"); not a deal's name: "the '1,000 for 1,000' swap took place"."""
    pairs = [(int(m.group(1).replace(",", "")), m.start(1), int(m.group(2).replace(",", "")), m.start(2), m.end())
             for m in _N_FOR_N.finditer(sentence)]  # fmt: skip
    numbers = _numbers_in(sentence)
    pairs += [(a, at_a, b, at_b, end) for (a, at_a, mid), (b, at_b, end) in itertools.pairwise(numbers)
              if not sentence[at_a].isdigit() and _FOR_BETWEEN.fullmatch(sentence, mid, at_b)]  # fmt: skip
    found: dict[int, bool] = {}
    for a, at_a, b, at_b, end in pairs:
        following = [w for w in re.findall(r"[\w'’-]+", sentence[end : end + 60]) if w.strip("'’")]
        if len(following) > 2 and _SWAP_NOUN.fullmatch(following[0]) and following[1].lower() == "of":
            following = following[2:]  # "a 307-for-307 swap of military personnel": the swap's people follow
        people, verb = " ".join(following[:3]), " ".join(following[:2])
        ratio = bool(following) and _RATIO_NOUN.fullmatch(following[0]) is not None
        if a == b and (_PEOPLE.search(people) or _HAPPENED.search(verb) or ratio):
            found[at_a], found[at_b] = True, False
    return found


def _people_after(after: str) -> bool:
    """Whether the words right after a number (``after``) name people ("95 Russian servicemen", "80 dead
    soldiers"), not a time ("2 years"), a rate ("10 hostages per day") or another number ("18, 95 ..."). The
    number's own words end where the next number starts: "the two countries swapped 95 POWs" counts no countries."""
    following = next((n.start for n in find_numbers(after) if n.start > 0), len(after))
    words = re.findall(r"[\w'’-]+", after[:following])[:4]
    return (
        bool(words)
        and not words[0][:1].isdigit()
        and bool(_PEOPLE.search(" ".join(words)))
        and not (TIME_AFTER.match(after) or _RATE.match(after))
    )


def _numbers_of_people(clause: str) -> set[int]:
    """The numbers of people ``clause`` counts ("the bodies of another 80 dead soldiers"), whoever received them."""
    return {number for number, _, end in _numbers_in(clause) if _people_after(clause[end : end + 60])}


def _people_counted(clause: str) -> bool:
    """Whether ``clause`` counts people ("the bodies of another 80 dead soldiers"), whoever received them."""
    return bool(_numbers_of_people(clause))


def _read_counts(
    sentence: str, parties: list[str], quoted: Speaker | None = None, home: str | None = None
) -> list[_Count]:
    """ "N <people>" in ``sentence`` whose receiver the words name, with the source the sentence credits (or
    ``quoted``, the source of a sentence that is a whole quotation). People who "were returned home" with no side
    and no source named go to ``home``, when given: the side whose people the article tells of coming home."""
    speakers = _speakers(sentence) if _ATTRIBUTION.search(sentence) else []
    if not speakers and quoted is not None:
        speakers = [quoted]
    found: list[_Count] = []
    mirrored = _same_for_same(sentence) if len(parties) == 2 and enabled("both-sides-n-for-m") else {}
    numbers = _numbers_in(sentence)
    wholes = {at for (_, _, end), (_, at, _) in itertools.pairwise(numbers) if _PART_OF.fullmatch(sentence[end:at])}
    for number, at, end in numbers:
        if at in wholes:
            continue  # "releasing 400 of the 7,000 Palestinians it holds": the people drawn from, not those moved
        if at in mirrored:  # "100 for 100 were exchanged": each side received 100, whoever they were
            if mirrored[at]:
                by = _governing(speakers, at) if speakers else None
                claimant, side = (by.name, by.side) if by else (None, None)
                found.append(
                    _Count(at, number, tuple(parties), claimant, side, _qualifier(sentence, number) or "exact")
                )
            continue
        after = sentence[end : end + 60]
        gapped = _GAPPED.match(after)
        if found and gapped and normalize_party(gapped.group(1)) in parties:
            # "12 captives were handed over to Azerbaijan and 44 to Armenia": the verb and the people are left out
            side = normalize_party(gapped.group(1))
            found.append(_Count(at, number, (side,), found[-1].claimant, found[-1].claimant_side,
                                _qualifier(sentence, number) or "exact"))  # fmt: skip
            continue
        let_go = _GAPPED_BY.match(after) if found and len(parties) == 2 else None
        if let_go is not None and normalize_party(let_go.group(1)) in parties:
            side = next(p for p in parties if p != normalize_party(let_go.group(1)))  # the other side received them
            found.append(_Count(at, number, (side,), found[-1].claimant, found[-1].claimant_side,
                                _qualifier(sentence, number) or "exact"))  # fmt: skip
            continue
        if not _people_after(after):
            continue  # not people (a number of a date is none: "October 18, 95 Russian servicemen", _numbers_in)
        receiver = receiver_named(sentence, at, end, parties, words=6)
        speaker = _governing(speakers, at) if speakers else None
        if receiver is None:
            # "were returned to Kyiv", "Hamas released 12 more hostages", "112 Yemeni government prisoners"
            receiver = receiver_in_clause(sentence[:at], sentence[end:], parties)
        if (
            receiver is None
            and speaker is not None
            and (
                _OWN_PEOPLE.match(after) or returns_home(after, sentence[:at]) or speaker_received_before(sentence[:at])
            )
        ):
            receiver = speaker.side  # "its servicemen", "230 people had returned home", "it also received 50"
        if receiver is None and speaker is None and home is not None and returns_home(after, sentence[:at]):
            receiver = home  # "In the previous transfer, 44 bodies ... were returned home": the article's home side
        receivers: tuple[str, ...] = ()
        if receiver in parties:
            receivers = (str(receiver),)
        elif receiver is None and _COMBINED.search(sentence):
            receivers = ("both",)  # "a total of 478 captives were exchanged from both sides"
        elif (
            receiver is None and len(parties) == 2 and (_EACH.search(sentence[at:]) or _EACH_DID.search(sentence[:at]))
        ):
            receivers = tuple(parties)  # "103 servicemen from each side were released", "each handed back 90"
        if receivers:
            found.append(
                _Count(
                    at,
                    number,
                    receivers,
                    speaker.name if speaker else None,
                    speaker.side if speaker else None,
                    _qualifier(sentence, number) or "exact",
                )
            )
    same = _SAME_NUMBER.search(sentence) if len(parties) == 2 else None
    before = [c for c in found if same is not None and c.at < same.start()]
    if same is not None and len(before) == 1 and len(before[0].receivers) == 1 and before[0].receivers[0] in parties:
        # the same number went to the side the phrase's people belong to, the other one
        side = nationality_after(sentence[same.end() :], words=4)
        if side in parties and side != before[0].receivers[0] and not any(side in c.receivers for c in found):
            count = before[0]
            found.append(_Count(same.start(), count.number, (side,), count.claimant, count.claimant_side, "exact"))
    if len(parties) == 2:  # "300 rebel fighters in exchange for 210 government troops": the 210 went the other way
        read = {c.number for c in found}
        numbers = _numbers_in(sentence)
        for count in [c for c in found if len(c.receivers) == 1 and c.receivers[0] in parties]:
            other = _counterpart(sentence, count.number)
            where = next(((at, end) for number, at, end in numbers if number == other and at != count.at), None)
            if where is not None and _RATE.match(sentence[where[1] :]):
                continue  # "10 Hamas hostages per day in exchange for 30 Palestinian prisoners": a rate
            if other is not None and other not in read and where is not None:
                side = next(p for p in parties if p != count.receivers[0])
                found.append(_Count(where[0], other, (side,), count.claimant, count.claimant_side,
                                    _qualifier(sentence, other) or "exact"))  # fmt: skip
                read.add(other)
    return found


def _claims(counts: list[_Count], quote: str, offset: int) -> list[CountClaim]:
    span = Span(start=offset, end=offset + len(quote), match="exact", score=1.0)
    return [
        CountClaim(
            quote=quote,
            span=span,
            claimant=c.claimant,
            claimant_side=c.claimant_side,
            returned_to=receiver,
            number=c.number,
            qualifier=c.qualifier,
        )
        for c in counts
        for receiver in c.receivers
    ]


def _taken(exchanges: list[PrisonerExchange], but: PrisonerExchange | None = None) -> list[tuple[int, int]]:
    spans = []
    for exchange in exchanges:
        if exchange is not but:
            spans += [s for s in (exchange.span, *(f.span for f in exchange.figures())) if s is not None]
    return [(s.start, s.end) for s in spans]


def _said(text: str, exchanges: list[PrisonerExchange]) -> list[tuple[int, int]]:
    """What the records already say, for finding other exchanges: each record's own quote, and each figure's number
    where its quote shows it, else its quote. A count read from one clause of a long sentence leaves the sentence's
    other clauses free ("The first day included the release of 480 ..., while on Friday, 200 ... will be
    released": the Friday clause is another exchange)."""
    spans = [_own_words(text, x.span, x.date_text) for x in exchanges if x.span is not None]
    for exchange in exchanges:
        for figure in exchange.figures():
            if figure.span is None:
                continue
            number = getattr(figure, "number", None)
            found = _number_position(text[figure.span.start : figure.span.end], number) if number else None
            at = figure.span.start
            spans.append((at + found.start(), at + found.end()) if found else (at, figure.span.end))
    return spans


def _own_words(text: str, span: Span, date_text: str | None) -> tuple[int, int]:
    """The part of a record's quote (at ``span``) that is about it: the whole quote, or, when the record's date
    words stand in one clause of it, from the start of the quote to the end of that clause. "Before that, 75
    prisoners from each side went home on 31 May, and 100 for 100 were exchanged on 8 February": the record dated
    31 May does not say the 8 February clause."""
    start, end = span.start, span.end
    if not date_text:
        return start, end
    quote = text[start:end]
    at = quote.find(date_text)
    if at < 0:
        return start, end
    for a, b in _clauses(quote):
        if a <= at < b:
            return start, start + b
    return start, end


_THEN = re.compile(r"\W*(?:then|at that time|at the time|back then|that time)\b", re.IGNORECASE)
#: "the largest documented swap of troops so far": "so far" after a superlative ranks the swap, it names no time
_RANKED = re.compile(r"(\bthe\s+(?:[a-z]+est|most\s+[a-z]+)\b[^,;.]{0,60}?)\s+(?:so\s+far|to\s+date|yet|ever)\b")


#: "the largest exchange since the onset of the conflict on Feb. 24, in which 215 ...": the superlative's "since"
#: and its time measure the swap against the others; unless ", when" goes on about that time ("the first exchange
#: since August, when 22 were returned": the 22 are August's)
_RANKED_SINCE = re.compile(
    rf"(\b(?:{_SUPERLATIVES})\b[^,;.]{{0,60}}?)\s+since\s+[^,;]*?"
    r"(?=\s*[,;](?!\s*when\b)|\s+in\s+which\b|\s*$)",
    re.IGNORECASE,
)


def _without_ranking(sentence: str) -> str:
    """``sentence`` without the "so far" of "the largest swap so far" and the "since ..." of "the largest swap since
    the war began", which date nothing."""
    return _RANKED_SINCE.sub(r"\1", _RANKED.sub(r"\1", sentence))


_EARLIER = re.compile(rf"\b(?:previous|earlier|last|prior)\s+(?:\w+\s+)?(?:{SWAP_NOUNS})", re.IGNORECASE)


#: a reporting verb right before a date phrase: the phrase dates the report, not a handover
_SAID_BEFORE = re.compile(rf"\b(?:{SAID})\s+$", re.IGNORECASE)


def _other_days(sentence: str, exchange: PrisonerExchange, published: dt.date | None) -> str:
    """``sentence`` without the words that date the exchange itself: its ``date_text`` and every date phrase that
    resolves to its day ("On August 24, 146 ...", "..., the ministry said on Tuesday" of a Tuesday's exchange), so
    that what is left speaks of another time only if it names one ("the largest swap so far" names none)."""
    sentence = _without_ranking(sentence)
    if exchange.date_text:
        sentence = sentence.replace(exchange.date_text, "")
    # no day to compare with (no publication date to resolve "on Saturday" against): the date words of the record's
    # own sentence are its own; and a day right after a reporting verb is the report's ("Iranian state media
    # confirmed on Monday afternoon that five Iranian citizens ...")
    undated = exchange.date is None and bool(exchange.quote)
    for start, end in reversed(find_date_phrases(sentence)):
        if (undated and sentence[start:end] in exchange.quote) or _SAID_BEFORE.search(sentence, 0, start):
            sentence = sentence[:start] + sentence[end:]
    if exchange.date is None or published is None:
        return sentence
    for start, end, day, _ in reversed(dated_phrases(sentence, published)):
        if day == exchange.date:
            sentence = sentence[:start] + sentence[end:]
    return sentence


def _done_before(words: str, exchange: PrisonerExchange, published: dt.date | None) -> bool:
    """Whether the words of a clause before its count tell a done handover and name no other time: "Hamas has
    released on Saturday morning the three Israeli hostages that it announced yesterday it would release" - the
    time words after the count speak of its people, not of another handover."""
    return bool(_HAPPENED.search(words)) and not _OTHER_TIME.search(_other_days(words, exchange, published))


def _not_returned(sentence: str, kind: str) -> bool:
    """Whether a sentence speaks of people killed, missing or still held, not handed over. In an exchange of bodies a
    death word describes what is handed over ("the bodies of 1,000 killed Ukrainian soldiers were handed over in
    exchange for the remains of 30 Russian soldiers"), when the sentence names bodies or remains."""
    words = [m.group(0) for m in _NOT_RETURNED.finditer(sentence)]
    if kind != "prisoners" and _BODIES.search(sentence):
        words = [w for w in words if not _DEATH.fullmatch(w)]
    return bool(words)


#: "the 115 Russian soldiers": a definite number names people the report has already spoken of
_DEFINITE = re.compile(r"\bthe\s+$", re.IGNORECASE)


def _may_count(sentence: str, start: int, end: int, others: list[tuple[int, int]], kind: str = "prisoners") -> bool:
    """A sentence the sweeps may read counts from: in Latin script, holding no other record's figure, and not about
    people killed, missing or still held, nor about a swap called off or only proposed."""
    if not is_latin(sentence) or any(a < end and start < b for a, b in others):
        return False
    return not (_not_returned(sentence, kind) or _CANCELLED.search(sentence) or _PROPOSAL.search(sentence))


def _beyond_both_sides(number: int, exchange: PrisonerExchange) -> bool:
    """Whether ``number`` people "from both sides" are more than ``exchange`` handed over both ways, when it has a
    count for each of its two sides: then they are not its two-way total."""
    sided = {side: max((c.number for c in exchange.counts if c.returned_to == side), default=0)
             for side in exchange.parties}  # fmt: skip
    return len(sided) == 2 and all(sided.values()) and number > sum(sided.values())


_ALSO = re.compile(r"\balso\b", re.IGNORECASE)


def _civilians_besides(
    sentence: str, count: _Count, exchange: PrisonerExchange, quote: str, offset: int
) -> BreakdownItem | None:
    """``count`` as a part of a side's returnees, when it is civilians "also" returned to a side the exchange already
    has a count for (their sum with the count is no figure the text states); None when it is not. ``offset`` is where
    ``quote`` (the sentence) starts in the text."""
    [side] = count.receivers if len(count.receivers) == 1 else (None,)
    if side is None or not any(c.returned_to == side for c in exchange.counts):
        return None
    if category_of(sentence[count.at : count.at + 80].split("\n")[0]) != "civilians":
        return None
    label = " ".join(re.findall(r"[\w'’-]+", sentence[count.at :])[1:4])
    span = Span(start=offset, end=offset + len(quote), match="exact", score=1.0)
    return BreakdownItem(quote=quote, span=span, returned_to=side, category="civilians", label=label,
                         number=count.number)  # fmt: skip


def _sweep_counts(
    text: str,
    index: int,
    exchange: PrisonerExchange,
    exchanges: list[PrisonerExchange],
    notes: list[str],
    published: dt.date | None,
) -> None:
    others = _taken(exchanges, but=exchange)
    previous_own, previous_end, elsewhere, after_other, last_other = "", 0, False, False, False
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        # the sentence right after one about another dated or earlier exchange, in its paragraph, goes on about that
        # one ("The previous exchange took place on 6 May. Russia's Defence Ministry reported that three pilots ...
        # had been brought back"), and so does a sentence after them that says so ("At the time, ...", "That swap")
        says_so, same_paragraph = _goes_on(text, previous_end, start)
        previous_end = end
        own, before_own = _other_days(sentence, exchange, published), previous_own  # what else each one dates
        previous_own = own
        other_swap = bool(
            (_DATE.search(own) or _EARLIER.search(own)) and (_SWAP.search(sentence) or _HANDOVER.search(sentence))
        )
        ranked_out = _without_ranking(sentence)
        dates_own = own != ranked_out  # it names the exchange's own day again
        # "... in the swap" speaks of the exchange the text last told of: another one, if that was another one
        back = last_other and _THE_SWAP.search(sentence) is not None and not dates_own
        elsewhere = (after_other and (same_paragraph or says_so)) or (elsewhere and says_so) or back
        if _SWAP.search(sentence) or _HANDOVER.search(sentence):
            last_other = other_swap or (elsewhere and not dates_own)
        after_other = other_swap  # (its own clauses are read below, each for the time it names)
        if elsewhere:
            continue
        handover = bool(_HANDOVER.search(sentence))
        if not _may_count(sentence, start, end, others, exchange.kind):
            continue
        if _RUNNING.search(ranked_out) and not dates_own:
            continue  # "overall, 95 children have been returned": running totals, read as such (running-totals)
        if says_so and _OTHER_TIME.search(before_own):
            continue  # "Then, Moscow received 101 ...", "That swap returned ...": the sentence before's other time
        inside = start + len(sentence) - len(sentence.lstrip()) + 1  # past a quotation mark that opens the sentence
        counts = _read_counts(
            sentence, exchange.parties, quoted_by(text, start, end) or quotation_speaker(text, inside)
        )
        if not handover:  # "The ministry said the 115 Russian soldiers had been captured in Kursk": "the N" are
            counts = [c for c in counts if _DEFINITE.search(sentence, 0, c.at)]  # people the report is about
        newcomers = _newcomers(sentence, exchange)
        if newcomers:  # read again with them as parties: only their counts are taken from that reading
            wider = _read_counts(sentence, [*exchange.parties, *newcomers])
            counts += [c for c in wider if c.receivers[0] in newcomers]
        if _OTHER_TIME.search(own):
            # another time in the sentence: only the counts of clauses that name none ("The first day included
            # the release of 480 ..., while on Friday, 200 ... will be released": the 480)
            other = [(a, b) for a, b in _clauses(sentence)
                     if _OTHER_TIME.search(_other_days(sentence[a:b], exchange, published))]  # fmt: skip
            counts = [c for c in counts
                      if not any(a <= c.at < b and not _done_before(sentence[a : c.at], exchange, published)
                                 for a, b in other)]  # fmt: skip
        quote = sentence.strip()
        if _ALSO.search(sentence):  # "eight citizens ... residents of the Kursk region ... were also returned"
            besides = {c.at: _civilians_besides(sentence, c, exchange, quote, start + sentence.index(quote))
                       for c in counts}  # fmt: skip
            for part in besides.values():  # a part of the side's returnees, not a count: once in the breakdown
                if part is None or any((b.number, b.returned_to) == (part.number, part.returned_to)
                                       for b in exchange.breakdown):  # fmt: skip
                    continue
                exchange.breakdown.append(part)
                note(notes, "sweep-primary-counts", f"exchange {index}: {part.number} civilians also returned to "
                     f"{part.returned_to}: a part of its returnees, not a count")  # fmt: skip
            counts = [c for c in counts if besides[c.at] is None]
        for claim in _claims(counts, quote, start + sentence.index(quote)):
            key = (claim.number, claim.returned_to, claim.claimant_side)
            if any((c.number, c.returned_to, c.claimant_side) == key for c in exchange.counts):
                continue
            if any((c.number, c.returned_to) == key[:2] for x in exchanges if x is not exchange for c in x.counts):
                continue  # "the 22 were in need of urgent care": another record's count, told again
            if any(b.number == claim.number for b in exchange.breakdown):
                continue
            if claim.returned_to == "both" and _beyond_both_sides(claim.number, exchange):
                # "3,771 captives from both sides had been freed through its mediation": more than this exchange
                # handed over both ways, so a running total, not the exchange's
                if enabled("running-totals") and all(t.number != claim.number for t in exchange.cumulative_totals):
                    exchange.cumulative_totals.append(CumulativeTotal(**claim.model_dump(exclude={"span"}),
                                                                      span=claim.span, as_of=published))  # fmt: skip
                    note(notes, "running-totals", f"exchange {index}: {claim.number} from both sides is more than "
                         "this exchange's two sides together; a running total")  # fmt: skip
                continue
            if claim.returned_to in newcomers and claim.returned_to not in exchange.parties:
                exchange.parties.append(claim.returned_to)
                note(notes, "sweep-primary-counts",
                     f"exchange {index}: {claim.returned_to} receives {claim.number} in it; party added")  # fmt: skip
            exchange.counts.append(claim)
            note(
                notes,
                "sweep-primary-counts",
                f"exchange {index}: {claim.number} to {claim.returned_to} found in a sentence about this "
                "exchange that the model left out; count added",
            )
            if claim.claimant is None:  # a headline's figure: credited where a source gives it
                _attribute(text, index, claim, notes, exchange.parties)
            elif claim.claimant_side is None:
                claim.claimant_side = _side_where_introduced(text[:start], claim.claimant)
    exchange.counts = _dedupe(exchange.counts)


#: "the 50th exchange", "the 58th prisoner swap", "the sixth handover of hostages": a swap noun in the words after
_SWAP_AFTER = re.compile(rf"^(?:\s+[\w'’-]+){{0,3}}?\s+(?:{SWAP_NOUNS})\b", re.IGNORECASE)
#: "described the swap as the 49th", "the exchange, the 63rd ...": the swap named just before the ordinal
_SWAP_BEFORE = re.compile(rf"\b(?:{SWAP_NOUNS})\s*,?\s+(?:(?:was|is|as|became|marked)\s+)?the\s+$", re.IGNORECASE)


def _add_ordinal(
    text: str,
    index: int,
    exchange: PrisonerExchange,
    exchanges: list[PrisonerExchange],
    notes: list[str],
    published: dt.date | None,
) -> None:
    """The exchange's place in the war's series, from the first sentence about it that numbers a swap ("the 50th
    exchange of prisoners between Ukraine and Russia took place today"), credited to the source it names. Not
    from a sentence of another record, of another time or tense outside the ordinal's own clause ("On January 24
    they were to carry out the 50th exchange"), or of a narrower series ("the seventh since the beginning of the
    year"); nor an ordinal another sentence puts in a narrower series (a headline's "a fourth POW swap", told as
    "the fourth such exchange in a week")."""
    others = _taken(exchanges, but=exchange)
    spans = sentence_spans(text)
    sentences = [text[start:end] for start, end in spans]
    narrowed = {m.value for s in sentences for m in find_numbers(s) if m.ordinal and narrower_series(s, m.value)}
    for start, end in spans:
        sentence = text[start:end]
        if not _may_count(sentence, start, end, others, exchange.kind):
            continue
        for mention in find_numbers(sentence):
            if not mention.ordinal or mention.value < 3 or mention.value in narrowed:
                continue
            before = sentence[max(0, mention.start - 40) : mention.start]
            if not (_SWAP_AFTER.match(sentence[mention.end :]) or _SWAP_BEFORE.search(before)):
                continue
            clause = _ordinal_clause(sentence, mention.value)
            rest = sentence[: mention.start] + sentence[mention.start + len(clause) :]
            if _OTHER_TIME.search(_other_days(rest, exchange, published)) or narrower_series(sentence, mention.value):
                continue
            speakers = _speakers(sentence) if _ATTRIBUTION.search(sentence) else []
            speaker = _governing(speakers, mention.start) if speakers else None  # "..., officials said": nobody named
            quote = sentence.strip()
            at = start + sentence.index(quote)
            exchange.ordinal = ExchangeOrdinal(
                quote=quote,
                span=Span(start=at, end=at + len(quote), match="exact", score=1.0),
                claimant=speaker.name if speaker else None,
                claimant_side=speaker.side if speaker else None,
                number=mention.value,
            )
            note(notes, "sweep-ordinal", f"exchange {index}: ordinal {mention.value} read from {quote[:60]!r}, "
                 "which the model left out")  # fmt: skip
            return


def _newcomers(sentence: str, exchange: PrisonerExchange) -> list[str]:
    """Countries the model left out of the parties that a sentence about the swap names as receiving people:
    "Venezuela released 10 jailed Americans in exchange for ..." makes the United States a party."""
    if not _SWAP.search(sentence):
        return []
    named = {nationality_after(sentence[end : end + 60], words=6) for _, _, end in _numbers_in(sentence)}
    return sorted(n for n in named - {None} if n not in exchange.parties)  # type: ignore[misc]


#: "That swap returned ...": a sentence that goes on about the exchange the sentence before named
_ANAPHOR = re.compile(rf"\W*that\s+(?:\w+\s+)?(?:{SWAP_NOUNS})\b", re.IGNORECASE)


#: "... returned to their home country in the swap": the exchange the text spoke of last
_THE_SWAP = re.compile(rf"\bthe\s+(?:{SWAP_NOUNS})\b", re.IGNORECASE)


def _goes_on(text: str, previous_end: int, start: int) -> tuple[bool, bool]:
    """How the sentence at `start` may go on about the exchange of the sentence that ended at `previous_end`: it says
    so ("That swap returned ...", "At the time, ..."), and it is in the same paragraph."""
    sentence = text[start:]
    return bool(_ANAPHOR.match(sentence) or _THEN.match(sentence)), "\n" not in text[previous_end:start]


def _secondary_counts(
    text: str,
    index: int,
    record: PrisonerExchange,
    exchanges: list[PrisonerExchange],
    notes: list[str],
    published: dt.date | None,
) -> None:
    """Counts of another exchange the model recorded without any: read from its own sentence, else from the next ones
    that say they go on about it ("... the last exchange, on January 3. That swap returned 230 Ukrainians and 248
    Russians", "At the time, Yermak said ..."); with ``continuation-counts``, also from the next ones of its paragraph
    that name no other time ("The previous exchange took place on 6 May. Russia's Defence Ministry reported that
    three pilots ... had been brought back"), and from all of them, not only the first. A number another record holds
    for the same side stays that record's."""
    if record.span is None:
        return
    spans = sentence_spans(text)
    at = sentence_index(text, record.span.start)
    if at is None:
        return
    held = {(c.number, c.returned_to) for x in exchanges if x is not record for c in x.counts}
    # the article's home side: the one side its primary exchange returned people to
    homes = {c.returned_to for x in exchanges if x.mention == "primary" for c in x.counts}
    home = homes.pop() if len(homes) == 1 and homes <= set(record.parties) else None
    found: list[CountClaim] = []
    previous_end = spans[at][1]
    for start, end in spans[at : at + 3]:
        sentence = text[start:end]
        says_so = True  # its own sentence
        if (start, end) != spans[at]:
            says_so, same_paragraph = _goes_on(text, previous_end, start)
            if not says_so and not (same_paragraph and enabled("continuation-counts")):
                break
            if not says_so and _OTHER_TIME.search(_other_days(sentence, record, published)):
                break  # another time: no longer about this exchange
            if not _HANDOVER.search(sentence):
                continue  # "A further 12 remain in hospital": no handover to count
        previous_end = end
        if not is_latin(sentence) or _not_returned(sentence, record.kind):
            break
        quote = sentence.strip()
        read = _read_counts(sentence, record.parties, home=home)
        claims = [c for c in _claims(read, quote, start + sentence.index(quote))
                  if (c.number, c.returned_to) not in held]  # fmt: skip
        if claims:
            found += claims
            rule = "sweep-earlier-exchanges" if says_so else "continuation-counts"
            note(notes, rule, f"exchange {index}: counts {[c.number for c in claims]} read from {quote[:60]!r}")
            if not enabled("continuation-counts"):
                break
    record.counts = _dedupe(found) if found else record.counts


def _day_of_the_sentence_before(
    text: str, index: int, record: PrisonerExchange, primary: PrisonerExchange, notes: list[str]
) -> None:
    """A completed record the text gives no time for, told in the sentence right after the primary exchange's
    ("... exchanged 175 prisoners each on Wednesday. Russia handed over an additional 22 wounded ..."), happened on
    the primary's day."""
    if record.status != "completed" or record.date is not None or record.date_text or primary.date is None:
        return
    if record.span is None or primary.span is None:
        return
    spans = sentence_spans(text)
    at, before = sentence_index(text, record.span.start), sentence_index(text, primary.span.start)
    if at is None or before is None or at != before + 1:
        return
    sentence = text[spans[at][0] : spans[at][1]]
    if _OTHER_TIME.search(sentence) or _DATE.search(sentence):
        return
    record.date, record.date_precision = primary.date, primary.date_precision
    note(notes, "sweep-earlier-exchanges", f"exchange {index}: told right after the primary exchange with no time of "
         f"its own; dated {primary.date.isoformat()} like it")  # fmt: skip


def _other_sides_of_the_primary(
    text: str, primary: PrisonerExchange, result: ArticleExtraction, notes: list[str]
) -> None:
    """Records of the primary's kind and day (or of none), told right after a sentence of it with no time of their
    own, whose counts go only to sides the primary counts no one for ("... exchanged the bodies of 132 fallen
    soldiers. Moscow received the remains of 55 ... Ukraine repatriated 77 bodies"), are the primary's other sides:
    merged into it. A record counting people for a side the primary already counts ("175 each ... an additional 22
    wounded") stays."""
    for record in list(result.exchanges):
        same = (record.kind, record.status) == (primary.kind, primary.status) and record.date in (None, primary.date)
        if record is primary or not same:
            continue
        counted = {c.returned_to for c in primary.counts if c.returned_to != "both"}
        sides = {c.returned_to for c in record.counts}
        if not primary.counts or not sides or "both" in sides or sides & counted or record.span is None:
            continue
        own = {sentence_index(text, s.start) for s in (primary.span, *(f.span for f in primary.figures())) if s}
        at = sentence_index(text, record.span.start)
        if at is None or at - 1 not in own or record.date_text:
            continue
        absorb(primary, record)
        result.exchanges.remove(record)
        note(notes, "sweep-earlier-exchanges", f"{record.quote[:60]!r} gives the primary exchange's count for "
             f"{', '.join(sorted(sides))}; merged into it")  # fmt: skip


def _clauses(sentence: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for match in _CLAUSE.finditer(sentence):
        if match.group(0).startswith(".") and abbreviates(sentence, match.start()):
            continue  # "on Nov. 26, during which ...": one clause
        bounds.append((start, match.start()))
        start = match.end()
    return [*bounds, (start, len(sentence))]


#: "sailors who were captured ... in late February": the date of a capture, not of a swap - unless the sentence
#: opens on another time ("Earlier, ... had also exchanged nine ... for the mayor, who was abducted on 11 March")
_CAPTURED_BEFORE = re.compile(
    r"\b(?:captured|abducted|kidnapped|arrested|detained|seized|taken\s+(?:prisoner|captive))\b[^,;]{0,80}$", re.I
)
#: "That same month, ...", "Later that month": a clause dated by the sentence before it
_SAME_MONTH = re.compile(r"\W*(?:(?:that|the)\s+same|later\s+that|earlier\s+that)\s+month\b", re.IGNORECASE)


def _month_before(text: str, exchanges: list[PrisonerExchange], start: int) -> tuple[dt.date, DatePrecision] | None:
    """The month of the last record dated to the day or month before ``start`` in its paragraph, for "That same
    month, ..."."""
    dated = [x for x in exchanges if x.date is not None and x.span is not None and x.span.end <= start
             and x.date_precision in ("day", "month") and "\n\n" not in text[x.span.end : start]]  # fmt: skip
    last = max(dated, key=lambda x: x.span.start if x.span is not None else -1, default=None)
    return (last.date.replace(day=1), "month") if last is not None and last.date is not None else None


_BETWEEN = re.compile(
    r"\bbetween\s+(?:the\s+)?([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)\s+and\s+(?:the\s+)?([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)"
)


def _own_sides(clause: str) -> list[str] | None:
    """The two sides a clause names as an exchange's: the last "between <side> and <side>" it says ("the exchange of
    two prisoners between the United States and the Russian Federation"), else the two sides it names, leaving out
    those it names as mediators ("The previous swap, brokered by the UAE, between Moscow and Washington"); None
    unless two."""
    for match in reversed(list(_BETWEEN.finditer(clause))):
        pair = [normalize_party(name) for name in match.groups()]
        if pair[0] != pair[1] and all(is_known_party(name) for name in match.groups()):
            return pair
    sides = [side for side in sides_named_in(clause) if side not in _mediators_in(clause)]
    return sides if len(sides) == 2 else None


def _find_secondary(result: ArticleExtraction, anchor: PrisonerExchange) -> list[tuple[PrisonerExchange, str]]:
    """Records of the other exchanges the text names by date, each with the rule that found it; they take the
    parties of ``anchor`` (the primary exchange, else the first record)."""
    text = result.text or ""
    published = result.published or anchor.date
    taken = _said(text, result.exchanges)
    known = {(x.date, x.date_precision) for x in result.exchanges if x.date is not None}
    # a weekday dates an earlier handover only when every record has a day of its own to tell it from ("completed
    # ... on Sunday. On Friday, both sides exchanged 270 soldiers"); else it is most likely the primary's own day
    days_known = enabled("weekday-handovers") and all(x.date_precision == "day" for x in result.exchanges)
    added: list[tuple[PrisonerExchange, str]] = []
    spans = sentence_spans(text)
    for number, (start, end) in enumerate(spans):
        sentence = text[start:end]
        if not is_latin(sentence):
            continue
        captures = not _OPENS_EARLIER.match(sentence)  # a capture's date dates no swap unless it opens "Earlier, ..."
        then = spans[number + 1] if number + 1 < len(spans) else None
        if then is not None and not (
            _THEN.match(text[then[0] : then[1]]) and _HANDOVER.search(text[then[0] : then[1]])
        ):
            then = None  # "... took place on March 3. Then, Kyiv received 80 soldiers ..."
        for a, b in _clauses(sentence):
            clause = sentence[a:b]
            if any(x < start + b and start + a < y for x, y in taken):
                continue  # a clause the model's records already quote
            to_come = enabled("next-stage") and _TO_COME.search(clause) is not None
            when = next((m for m in _DATE.finditer(clause) if not _SINCE_BEFORE.search(clause[: m.start()])
                         and not (captures and _CAPTURED_BEFORE.search(clause[: m.start()]))), None)  # fmt: skip
            same_month = _SAME_MONTH.match(clause) if when is None and a == 0 else None
            month = _month_before(text, [*result.exchanges, *(r for r, _ in added)], start) if same_month else None
            when = same_month if month is not None else when
            recent = _RECENT.search(clause) if when is None and _HAPPENED.search(clause) else None
            if recent is not None and not (captures and _CAPTURED_BEFORE.search(clause[: recent.start()])):
                when = recent  # "Last week, Hamas freed four Israeli soldiers"; not "soldiers captured last month"
            dated = when is not None
            weekday = (to_come or days_known) and not _STEP_OF_THE_SWAP.search(clause)
            when = when or (_handover_weekday(clause) if weekday else None)
            if (
                when is None
                or not (_SWAP.search(clause) or _HANDOVER.search(clause))
                or _in_general(clause, when.start())
                or _PERIOD.search(clause)
            ):
                continue
            kind = "bodies" if _BODIES.search(clause) else "prisoners"  # "the bodies of 79 more dead servicemen"
            if _not_returned(clause, kind) and not _CANCELLED.search(clause):
                continue
            status = "postponed_or_cancelled" if _CANCELLED.search(clause) else "completed"
            if status == "completed" and (_PLANNED.search(clause) or to_come):
                status = "planned"
            deal = status == "completed" and _DEAL.search(clause) is not None and not _HAPPENED.search(clause)
            status = "planned" if deal else status  # "On February 16, the parties signed an agreement to swap ..."
            ahead = status == "planned" and not _PAST_PLAN.search(clause) and not deal  # "was planned for Jan 24"
            resolved = month or resolve_date(when.group(0), published, prefer="future" if ahead else "past")
            if resolved is None or (resolved[0], resolved[1]) in known:
                continue
            if (status == "planned" and not ahead and not to_come and not deal and published is not None
                    and resolved[0] < published):  # fmt: skip
                status = "postponed_or_cancelled"  # "was planned for January 24", told later: not done as planned
            if status == "completed" and published is not None and resolved[0] > published:
                continue
            if status != "completed" and not _SWAP.search(clause) and not to_come:
                continue
            quote = clause.strip()
            offset = start + a + clause.index(quote)
            read = status == "completed" or (status == "planned" and to_come)  # "200 ... will be released on Friday"
            counts = _claims(_read_counts(clause, anchor.parties), quote, offset) if read else []
            if status == "completed" and not counts and then is not None:
                following = text[then[0] : then[1]].strip()
                at = then[0] + text[then[0] : then[1]].index(following)
                counts = _claims(_read_counts(following, anchor.parties), following, at)
            undated = {c.number for x in result.exchanges if x.date is None for c in x.counts}
            if undated & {c.number for c in counts}:
                continue  # the figures of a record the model left undated: the same exchange, now with its day
            if status == "completed" and not counts and not _SWAP.search(clause) and not _people_counted(clause):
                continue  # "returned home on 3 May" with no number and no swap word: too vague
            if status == "completed" and then is None and _TALKS.search(clause) and not _HAPPENED.search(clause):
                continue  # "agreed upon at the talks on May 16", "on May 17 announced preparations": no handover
            token = PUBLISHED.set(published)
            try:
                record = PrisonerExchange.model_validate(
                    {
                        "quote": quote,
                        "date_text": when.group(0),
                        "date": resolved[0],  # resolved above, by the clause's tense: not again by the validator
                        "date_precision": resolved[1],
                        "kind": kind,
                        "status": status,
                        "mention": "secondary",
                        "parties": _own_sides(clause) or list(anchor.parties),
                        "counts": [c.model_dump(exclude={"span"}) for c in counts],
                    }
                )
            except ValueError:
                continue
            finally:
                PUBLISHED.reset(token)
            record.span = Span(start=offset, end=offset + len(quote), match="exact", score=1.0)
            for claim, located in zip(record.counts, counts, strict=True):
                claim.span = located.span
            known.add((resolved[0], resolved[1]))
            rule = "next-stage" if to_come else "sweep-earlier-exchanges" if dated else "weekday-handovers"
            added.append((record, rule))
    return added


_BOUND = re.compile(r"\b(youngest|oldest)\b", re.IGNORECASE)
#: an age range, its two ends the youngest and the oldest: "11 children aged 10 to 17", "Their age is from 10 to 17
#: years old", "between the ages of 19 and 60"
_AGE_RANGE = re.compile(
    r"\b(?:aged|ages?\s+(?:(?:is|are|was|were|range[ds]?|ranging)\s+)?(?:from\s+)?|between\s+the\s+ages\s+of)\s*"
    r"(?P<low>\d{1,3}|[a-z]+(?:-[a-z]+)?)\s*(?:to|and|-|–)\s*(?P<high>\d{1,3}|[a-z]+(?:-[a-z]+)?)\b",
    re.IGNORECASE,
)
_SHARE = re.compile(r"^\s*(?:%|percent|per\s*cent)", re.IGNORECASE)


def _add_running_totals(
    text: str, index: int, exchange: PrisonerExchange, notes: list[str], published: dt.date | None
) -> None:
    """Running totals the words mark as such ("Since the beginning of the full-scale invasion, Ukraine has returned
    home almost 2,800", "3,956 Ukrainians had now been freed ... in total", "3,771 captives from both sides had been
    freed through its mediation, the total number"), read with the one count reader; a figure not above the
    exchange's own counts for that side is the exchange's, not a running total."""
    known = {(t.number, t.returned_to) for t in exchange.cumulative_totals}
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        if not is_latin(sentence) or not _RUNNING.search(_without_ranking(sentence)) or not _HANDOVER.search(sentence):
            continue
        quote = sentence.strip()
        offset = start + sentence.index(quote)
        listed = listed_groups(sentence)
        for count in _read_counts(sentence, exchange.parties):
            if len(count.receivers) != 1 or count.at in listed:
                continue  # a group listed beside others is a part, not a running total
            side = count.receivers[0]
            own = [c.number for c in exchange.counts if c.returned_to in (side, "both")]
            if (count.number, side) in known or any(count.number <= n for n in own):
                continue
            known.add((count.number, side))
            exchange.cumulative_totals.append(
                CumulativeTotal(
                    quote=quote,
                    span=Span(start=offset, end=offset + len(quote), match="exact", score=1.0),
                    claimant=count.claimant,
                    claimant_side=count.claimant_side,
                    returned_to=side,
                    number=count.number,
                    qualifier=count.qualifier,
                    as_of=published,
                )
            )
            note(notes, "running-totals", f"exchange {index}: {count.number} returned to {side} in all, read from "
                 f"{quote[:60]!r}")  # fmt: skip


def _totals_told_as_counts(text: str, index: int, exchange: PrisonerExchange, notes: list[str]) -> None:
    """A running total of a record that is one of its counts, in the count's own sentence ("706 Houthi prisoners are
    now out of prison, in exchange for 186 ..."), is that count told again, not a total: dropped."""
    counted = {(c.number, sentence_index(text, c.span.start)) for c in exchange.counts if c.span is not None}
    kept = []
    for total in exchange.cumulative_totals:
        if total.span is not None and (total.number, sentence_index(text, total.span.start)) in counted:
            note(notes, "total-not-a-count", f"exchange {index}: running total {total.number} is a count of the "
                 "exchange in the same sentence; dropped")  # fmt: skip
            continue
        kept.append(total)
    exchange.cumulative_totals = kept


def _age_after(sentence: str, at: int) -> tuple[int, int, str] | None:
    """(age, end, words between) of the first number within 60 characters after ``at``, in the same clause
    ("youngest ... was 19", "oldest was two years old"); None for a share ("30%") or an ordinal."""
    window = re.split(r"[.;:]", sentence[at : at + 60])[0]
    numbers = [n for n in find_numbers(window) if not re.search(r"\bof\s+(?:the\s+)?$", window[: n.start])]
    first = next(iter(numbers), None)  # "the oldest of the three ... is 31": 31, not the group's three
    if first is None or first.ordinal or _SHARE.match(window[first.end :]) or not 1 <= first.value <= 110:
        return None
    return first.value, at + first.end, window[: first.start]


_NOT_YET = re.compile(r"\b(?:turn|turns|turning)\b", re.IGNORECASE)


def _add_ages(text: str, index: int, exchange: PrisonerExchange, notes: list[str]) -> None:
    """The youngest and oldest returnee of each side, where sentences say so ("The youngest Ukrainian captive
    freed was 21 and the oldest was 62", or a range: "11 children aged 10 to 17"): of several, the lowest youngest
    and the highest oldest. The side is the nationality in the phrase, else the one side the exchange's counts
    return people to. A bound the record already has (the model's) is kept; only the missing ones are added."""
    receivers = {c.returned_to for c in exchange.counts if c.returned_to in exchange.parties}
    only_receiver = next(iter(receivers)) if len(receivers) == 1 else None
    found: dict[tuple[str, str], AgeBound] = {}

    def widen(bound: AgeBound) -> None:  # of several, the lowest youngest and the highest oldest
        key = (bound.returned_to, bound.bound)
        kept = found.get(key)
        if kept is None or (bound.age < kept.age if bound.bound == "youngest" else bound.age > kept.age):
            found[key] = bound

    for start, end in sentence_spans(text):
        sentence = text[start:end]
        if not is_latin(sentence):
            continue
        side = None
        for match in _BOUND.finditer(sentence):
            read = _age_after(sentence, match.end())
            if read is None or _NOT_YET.search(read[2]):
                continue  # "the youngest will turn 21 soon" is 20
            age, age_end, between = read
            named = side_of_nationality(re.findall(r"[\w'’-]+", between))
            person = next((p.returned_to for p in exchange.released_people if p.name in between), None)
            side = named or person or side or only_receiver
            if side is None and returns_home(between):  # "Ukraine said the youngest soldier returning home was 20"
                sides = {x.side for x in _speakers(sentence)} & set(exchange.parties)
                side = sides.pop() if len(sides) == 1 else None
            if side is None:
                side = side_counted_last(text, exchange.counts, start)  # "the youngest freed hostage"
            if side is None or side not in exchange.parties:
                continue
            span = Span(start=start + match.start(), end=start + age_end, match="exact", score=1.0)
            widen(AgeBound(quote=sentence[match.start() : age_end], span=span, returned_to=side,
                           bound=match.group(1).lower(), age=age))  # fmt: skip
        for match in _AGE_RANGE.finditer(sentence):  # a range gives both bounds, to the one side it can be
            low, high = read_number(match.group("low")), read_number(match.group("high"))  # "ages six to 17"
            if low is None or high is None:
                continue
            # the nationality of the people the range is of, in the words right before it ("the Russian soldiers
            # were between the ages of 20 and 45"), not of anyone the sentence names earlier ("the Qatari Ambassador
            # ... shaking hands with the children, ages six to 17")
            named = side_of_nationality(re.findall(r"[\w'’-]+", sentence[: match.start()])[-6:])
            side = named or only_receiver
            if side is None or side not in exchange.parties or not low < high <= 120:
                continue
            span = Span(start=start + match.start(), end=start + match.end(), match="exact", score=1.0)
            for which, age in (("youngest", low), ("oldest", high)):
                widen(AgeBound(quote=match.group(0), span=span, returned_to=side, bound=which, age=age))
    if not found and not exchange.ages:
        found = _ages_of_named(text, exchange)
    given = {(a.returned_to, a.bound) for a in exchange.ages}  # the model's bounds stay; the missing ones are added
    for key, bound in found.items():
        if key in given:
            continue
        exchange.ages.append(bound)
        note(notes, "youngest-and-oldest", f"exchange {index}: {bound.bound} returned to {bound.returned_to} aged "
             f"{bound.age}, read from {bound.quote!r}")  # fmt: skip


def _age_of(text: str, name: str) -> tuple[int, int, int] | None:
    """(age, start, end) of the age the text gives a named person: "Dana Levi, 41 years old", "Omer Katz,
    27", "Romi Gonen (24)", "Hamid Noury, a 63-year-old Iranian"; "a 63-year-old ... Hamid Noury" is not read (the
    age must follow the name)."""
    for match in re.finditer(re.escape(name) + r"\s*(?:,\s*|\(\s*)", text):
        window = re.split(r"[;:)\n]|,\s(?!\d)|\.(?:\s|$)", text[match.end() : match.end() + 30])[0]
        first = next(iter(find_numbers(window)), None)
        lead = len(article.group(0)) if first is not None and (article := re.match(r"an?\s+", window)) else 0
        if first is None or first.start != lead or first.ordinal or not 1 <= first.value <= 110:
            continue
        if lead:  # "Hamid Noury, a 63-year-old Iranian": only an age reads so
            if not window[first.end :].startswith("-year-old"):
                continue
        elif not re.match(r"\s*(?:years?\s+old|-year-old)?\s*$", window[first.end :]):
            continue  # "Romi Gonen, 24 hours later": not an age
        return first.value, match.start(), match.end() + first.end
    return None


def _ages_of_named(text: str, exchange: PrisonerExchange) -> dict[tuple[str, str], AgeBound]:
    """The youngest and oldest returnee of a side when the text names every person returned to it (no count of the
    side says more were) and gives each one's age ("Dana Levi, 41 years old; Omer Katz, 27; and Noa Ben-Ami,
    33" of three hostages). The age of one prisoner named among 200 bounds nothing."""
    found: dict[tuple[str, str], AgeBound] = {}
    for side in dict.fromkeys(p.returned_to for p in exchange.released_people if p.returned_to in exchange.parties):
        ages = [_age_of(text, p.name) for p in exchange.released_people if p.returned_to == side]
        if not ages or any(a is None for a in ages):
            continue
        if any(c.number > len(ages) for c in exchange.counts if c.returned_to == side):
            continue
        read = [a for a in ages if a is not None]
        for bound, (age, start, end) in (("youngest", min(read)), ("oldest", max(read))):
            found[(str(side), bound)] = AgeBound(quote=text[start:end], returned_to=str(side), bound=bound, age=age,
                                                 span=Span(start=start, end=end, match="exact", score=1.0))  # fmt: skip
    return found


def _the_primarys_own_day(
    text: str, primary: PrisonerExchange, found: PrisonerExchange, published: dt.date | None
) -> bool:
    """Whether a completed handover the second reading found, dated in the three days before the report, is the
    primary exchange itself: the primary is completed and its date is only the report's (precision ``report``, the
    report's day set by ``report-date`` from a weekday the page names elsewhere, or date words that stand only in
    the page's date line)."""
    if published is None or found.date is None or found.status != "completed" or primary.status != "completed":
        return False
    told = _THE_EXCHANGE.search(found.quote) is not None  # "..., the same day the exchange took place"
    if not (dt.timedelta(0) <= published - found.date <= dt.timedelta(days=3) or told):
        return False  # a day of the week before the report, or one its words give the exchange the page tells
    # "On Thursday, Russia and Ukraine swapped 50 POWs": people counted, whoever received them
    told_numbers = {c.number for c in found.counts} or _numbers_of_people(found.quote)
    if told_numbers and primary.counts and not told_numbers & {c.number for c in primary.counts}:
        return False  # other figures: another handover of those days ("Yesterday, 23 November, ... exchanged 35")
    if primary.date is None or primary.date_precision == "report":
        return True
    words = primary.date_text
    if primary.date == published and not words:
        return True  # no date words of its own: ``report-date`` gave it the report's day
    if primary.date != published or not words or words not in text:
        return False
    lines = [_line_at(text, m.start()) for m in re.finditer(re.escape(words), text)]
    return all(len(line.split()) <= 8 for line in lines)  # "Date: 2024-06-16", not a sentence


def _line_at(text: str, at: int) -> str:
    end = text.find("\n", at)
    return text[text.rfind("\n", 0, at) + 1 : end if end >= 0 else len(text)]


_AMONG = r"(?:also\s+)?among\s+(?:them|the\s+(?:freed|released)|those\s+(?:freed|released|returned|swapped|exchanged))"
#: "Among them were ...": a sentence that goes on to list people handed over
_AMONG_FIRST = re.compile(rf"^\W*{_AMONG}\s+(?:were|was|are|is)\s+", re.IGNORECASE)
#: "... Viktor Ivchuk was also among those released": the name right before says who
_AMONG_AFTER = re.compile(rf"\s+(?:is|was|were|are)\s+{_AMONG}\b", re.IGNORECASE)
_PERSON = re.compile(r"(?<![\w'’-])[A-Z][a-z'’]+(?:-[A-Z]?[a-z'’]+)?(?:\s+[A-Z][a-z'’]+(?:-[A-Z]?[a-z'’]+)?){1,3}")
#: where a name of a list starts: the list's start, a comma, "and", "as well as"
_LIST_START = re.compile(r"(?:^|[,;]\s*|\band\s+|\bas\s+well\s+as\s+)$")
#: between two names of a list: a comma, "and", an age ("followed by 29-year-old Erbel Yehud and 80-year-old")
_LIST_GAP = re.compile(r"\s*(?:,|;|\band\b|,\s*and\b)\s*(?:(?:an?\s+)?\d{1,3}-year-old\s+)?$")


def _listed_names(sentence: str) -> list[tuple[int, str]]:
    """(offset, name) of the people a sentence lists as handed over: "Among them were Eyvin Hernandez, a Los Angeles
    public defender, Jerrel Kenemore and Savoi Wright, as well as Luke Denman" (not "Los Angeles", told after "a"),
    "Leniye Umerova, a young Crimean Tatar ..., is among the released", "Military medic Viktor Ivchuk was also among
    those released"; else, in a sentence that speaks of a handover or of people, a list of two or more names
    (:func:`_name_runs`). Leading names of sides ("Hero of Ukraine Viktor Ivchuk") are left out."""
    first = _AMONG_FIRST.match(sentence)
    found: list[tuple[int, str]] = []
    if first is not None:
        listed = sentence[first.end() :]
        found = [(first.end() + m.start(), m.group(0)) for m in _PERSON.finditer(listed)
                 if _LIST_START.search(listed[: m.start()])]  # fmt: skip
    elif (after := _AMONG_AFTER.search(sentence)) is not None:
        names = list(_PERSON.finditer(sentence[: after.start()]))
        if names and names[-1].end() == after.start():
            found = [(names[-1].start(), names[-1].group(0))]  # "... Viktor Ivchuk was also among those released"
        elif names and names[0].start() == 0 and sentence[names[0].end() :].startswith(","):
            found = [(0, names[0].group(0))]  # "Leniye Umerova, a young Crimean Tatar who ..., is among the released"
    elif _HANDOVER.search(sentence) or _PEOPLE.search(sentence):  # a sentence about a handover or its people
        found = _name_runs(sentence)
    people = []
    for at, name in found:
        words = name.split()
        while words and (is_known_party(words[0]) or side_of_nationality(words[:1])):
            words.pop(0)
        name = " ".join(words)
        if _named_individual(name) and not is_known_party(name) and not _OFFICIAL.search(name):
            people.append((at + sentence[at:].index(name), name))
    return people


def _name_runs(sentence: str) -> list[tuple[int, str]]:
    """Names of a list of two or more: "The four soldiers - Karina Ariev, Daniella Gilboa, Naama Levy and Liri
    Albag - appeared", "The soldiers are Lyudmila Gerasimenko and Ivan Zemlyanoy"."""
    runs: list[list[re.Match[str]]] = []
    for m in _PERSON.finditer(sentence):
        if runs and _LIST_GAP.fullmatch(sentence[runs[-1][-1].end() : m.start()]):
            runs[-1].append(m)
        else:
            runs.append([m])
    # a list ends in "and": "the head of the Tawergha Local Council, Abdurrahman Shikshak" is one man, told twice;
    # a dash closes the list: "Liri Albag-appeared" is "Liri Albag"
    lists = [run for run in runs if len(run) >= 2 and re.search(r"\band\b", sentence[run[-2].end() : run[-1].start()])]
    return [(m.start(), re.sub(r"-[a-z]+$", "", m.group(0))) for run in lists for m in run]


def _add_named(text: str, index: int, exchange: PrisonerExchange, exchanges: list[PrisonerExchange],
               notes: list[str]) -> None:  # fmt: skip
    """Add the people the text lists as handed over in the exchange's own sentences (see :func:`_listed_names`):
    each goes to the side the words around the name give, else to the one side the exchange's counts return
    people to; a source of the news is no released person."""
    taken = _taken(exchanges, but=exchange)
    receivers = {c.returned_to for c in exchange.counts if c.returned_to in exchange.parties}
    sources: list[str] | None = None
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        if not is_latin(sentence) or any(a < end and start < b for a, b in taken):
            continue
        for at, name in _listed_names(sentence):
            if any(names_match(name, p.name) for x in exchanges for p in x.released_people):
                continue
            sources = _sources_of_figures(text) if sources is None else sources
            if any(names_match(name, source) for source in sources):
                continue
            side = _person_receiver(text, name, exchange.parties) or (next(iter(receivers)) if len(receivers) == 1
                                                                      else None)  # fmt: skip
            if side is None:
                continue
            exchange.released_people.append(ReleasedPerson(
                quote=name, name=name, returned_to=side,
                span=Span(start=start + at, end=start + at + len(name), match="exact", score=1.0),
            ))  # fmt: skip
            note(notes, "named-released", f"exchange {index}: {name} is listed among the people handed over; "
                 f"released to {side}")  # fmt: skip


def sweep(result: ArticleExtraction) -> ArticleExtraction:
    """Add what a second reading of the article finds (see the module docstring), in place; return ``result``."""
    text = result.text or ""
    notes = result.warnings
    primary = next((x for x in result.exchanges if x.mention == "primary"), None)
    if enabled("sweep-primary-counts") and primary is not None:
        _sweep_counts(text, result.exchanges.index(primary), primary, result.exchanges, notes, result.published)
    if enabled("bodies-own-record"):  # the counts just read include bodies handed over with the living
        result.exchanges = _bodies_own_records(text, result.exchanges, notes)
    # an article with no primary exchange (an analysis, a backgrounder) still names others by date: their parties
    # are those of the first record
    anchor = primary or next(iter(result.exchanges), None)
    if enabled("sweep-earlier-exchanges") and anchor is not None:
        for record, rule in _find_secondary(result, anchor):
            if primary is not None and _the_primarys_own_day(text, primary, record, result.published):
                note(notes, "sweep-earlier-exchanges", f"the primary exchange is dated {record.date_text!r} by "
                     f"{record.quote[:60]!r}, not by the page's date line")  # fmt: skip
                primary.date, primary.date_precision, primary.date_text = record.date, "day", record.date_text
                continue
            result.exchanges.append(record)
            if enabled("mediators-from-words"):  # "The previous exchange, brokered by the UAE, on January 3"
                _check_mediators(text, len(result.exchanges) - 1, record, notes)
            what = "a handover still to come" if rule == "next-stage" else "an earlier or other exchange"
            note(
                notes,
                rule,
                f"exchange {len(result.exchanges) - 1}: {what} named by date in {record.quote[:60]!r}; "
                f"secondary record added",
            )
    if enabled("sweep-earlier-exchanges"):
        for index, record in enumerate(result.exchanges):
            if record.mention == "secondary" and record.status == "completed" and not record.counts:
                _secondary_counts(text, index, record, result.exchanges, notes, result.published)
            if primary is not None and record is not primary:
                _day_of_the_sentence_before(text, index, record, primary, notes)
        if primary is not None:
            _other_sides_of_the_primary(text, primary, result, notes)
    if enabled("sweep-ordinal") and primary is not None and primary.status == "completed" and not primary.ordinal:
        _add_ordinal(text, result.exchanges.index(primary), primary, result.exchanges, notes, result.published)
    if enabled("running-totals") and primary is not None and primary.status == "completed":
        _add_running_totals(text, result.exchanges.index(primary), primary, notes, result.published)
    if enabled("total-not-a-count"):
        for index, exchange in enumerate(result.exchanges):
            _totals_told_as_counts(text, index, exchange, notes)
    if enabled("named-released") and primary is not None and primary.status == "completed":
        _add_named(text, result.exchanges.index(primary), primary, result.exchanges, notes)
    if enabled("youngest-and-oldest") and primary is not None and primary.status == "completed":
        _add_ages(text, result.exchanges.index(primary), primary, notes)
    if enabled("category-from-words"):  # the model's own parts, before arithmetic reads more
        for index, exchange in enumerate(result.exchanges):
            categories_from_words(index, exchange, notes)
    if enabled("part-within-whole"):  # after every count is read: the whole a part is measured against
        for index, exchange in enumerate(result.exchanges):
            parts_within_whole(index, exchange, notes)
    if enabled("part-once"):
        for index, exchange in enumerate(result.exchanges):
            parts_once(index, exchange, notes)
    if enabled("parts-by-arithmetic"):
        for index, exchange in enumerate(result.exchanges):
            others = [x for x in result.exchanges if x is not exchange]
            add_parts(text, index, exchange, notes, others)
            counts_that_are_parts(text, index, exchange, notes)
    if enabled("echo-claims"):  # after every count is read
        for index, exchange in enumerate(result.exchanges):
            _echo_claims(text, index, exchange, result.exchanges, notes)
    if enabled("whole-group"):  # after the parts: a count read as a part is no whole
        for index, exchange in enumerate(result.exchanges):
            whole_group(text, index, exchange, notes)
    return result


def _a_title(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a line of its own with no closing stop: a headline or a subheading."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end < 0 else line_end].strip()
    return line == text[start:end].strip() and not line.endswith((".", "!", "?", '"', "”", "’", "'"))


def _voice_key(name: str | None, side: str | None) -> str | None:
    """One voice per side; a source with no side by its name; the article's own voice None."""
    return side or (f"name:{name}" if name else None)


def _echo_claims(
    text: str, index: int, exchange: PrisonerExchange, exchanges: list[PrisonerExchange], notes: list[str]
) -> None:
    """Each count told again by another voice (the outlet's own, or one named source) in a sentence about a
    handover, with the same receiver and qualifier, gets one claim per voice."""
    elsewhere = {(c.number, c.returned_to) for x in exchanges if x is not exchange for c in x.counts}
    other_numbers = {t.number for t in exchange.cumulative_totals}
    if exchange.ordinal is not None:
        other_numbers.add(exchange.ordinal.number)
    parties = list(exchange.parties)
    for claim in list(exchange.counts):
        if claim.returned_to == "both" or (claim.number, claim.returned_to) in elsewhere:
            continue
        if claim.number in other_numbers or claim.number < 2:
            continue  # a running total or an ordinal told again is no count; one person is told by name
        same = [c for c in exchange.counts if (c.number, c.returned_to) == (claim.number, claim.returned_to)]
        held = {_voice_key(c.claimant, c.claimant_side) for c in same}
        told = [c.span for c in same if c.span is not None]
        for start, end in sentence_spans(text):
            sentence = text[start:end]
            if _a_title(text, start, end) or any(a.start < end and start < a.end for a in told):
                continue  # a title repeats the lede; a sentence already read is one voice
            if not is_latin(sentence) or not _HANDOVER.search(sentence):
                continue
            at = _number_position(sentence, claim.number, words=True)
            if at is None or _qualifier(sentence, claim.number, words=True) != claim.qualifier:
                continue
            receiver = receiver_named(sentence, at.start(), at.end(), parties)  # at the number's first mention
            each = receiver is None and len(parties) == 2 and claim.returned_to in parties
            each = each and bool(_EACH_AFTER.match(sentence, at.end()) or _EACH_DID.search(sentence[: at.start()]))
            if receiver != claim.returned_to and not each:
                continue  # the sentence's own words must say whose people they are, or that each side got them
            if _two_way_total(sentence, claim.number, parties):
                continue
            voice = voice_at(text, start + at.start())
            if voice is None:
                continue
            name, side, _ = voice
            if _voice_key(name, side) in held:
                continue
            held.add(_voice_key(name, side))
            quote = sentence.strip()
            begin = text.index(quote, start)
            echo = claim.model_copy(
                update={
                    "quote": quote,
                    "span": Span(start=begin, end=begin + len(quote), match="exact", score=1.0),
                    "claimant": name,
                    "claimant_side": side,
                }
            )
            exchange.counts.append(echo)
            note(
                notes,
                "echo-claims",
                f"exchange {index}: {claim.number} to {claim.returned_to} is also told by "
                f"{name or 'the article itself'} in {quote[:60]!r}; a claim of its own",
            )
