"""Breakdowns found by arithmetic: numbers in one sentence that add up to a count are parts of it.

A careful coder reading "207 returned: 95 soldiers of the Armed Forces, 56 National Guardsmen, 26 border guards,
29 territorial defence fighters and one police officer" sees that 95 + 56 + 26 + 29 + 1 = 207 and codes the
five numbers as the branches of the 207, not as counts. Small models rarely do (they list the parts as counts, or
skip them). This step does it in code, and only where the sum is exact:

1. **Parts of a total**: a run of two or more consecutive numbers in one sentence (digits or number words, each
   followed by a group of people) that adds up exactly to a count of the exchange becomes that count's breakdown,
   one item per number. The receiver is the count's; when counts to two sides share the total ("390 each"), the
   side the sentence names decides, and nothing is added when it names neither or both.
   The parts' own verb may name their side ("60 soldiers and four civilians were returned to Kyiv"):
   then they are not parts of the other side's count, whatever the sum.
2. **Groups listed without a total**: "Ukraine brought home 140 of its troops and 12 civilians" - numbers
   joined only by "and" or a comma, at least one of them a count the model gave to one side from that sentence,
   naming no two nationalities and not all plain "people": parts of a total the text does not state (their sum
   is arithmetic, not a reported figure), so breakdown items, and not counts.
3. **Named subgroups**: "among them 36 seriously wounded", "including four civilians", "12 civilians among the
   freed women" - a number after an inclusion cue (or followed by "among"), followed by a category word
   (civilians, women, minors, wounded or ill, officers), smaller than a count of the exchange to the one side the
   sentence can be tied to. A partitive names a part too, with or without a category word: "58 of those released
   were from the interior ministry", "of the 130 prisoners, 87 were defenders of the city" - the category is read
   from what is said of the part (the head noun names the whole), else ``other``. When the sentence does not tell
   whose, "of them" speaks of the people counted last before it, in its sentence or the one before ("We are bringing
   86 of our soldiers home! 15 of them are women!").
4. **A part is not a count**: a count whose number and sentence are those of an item found above is removed.
5. **A part is within its whole** (:func:`parts_within_whole`, run by the second reading before the steps above): a
   breakdown entry bigger than every count of its side is dropped.

Every item quotes its sentence and is located in the text, so it is grounded like the model's figures. Each
addition is noted in the result's warnings. English text only.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pow_extract.records.schema import BreakdownCategory, BreakdownItem, CountClaim, PrisonerExchange, Span
from pow_extract.rules.registry import note
from pow_extract.text.dates import cardinals
from pow_extract.text.lexicon import (
    MOVED_VERBS,
    NOT_RETURNED,
    PEOPLE_NOUNS,
    SWAP_WORDS,
    TIME_UNITS,
    TOTAL_OF,
    hedge_before,
    nationality_after,
    side_of_official,
    sides_named,
    word_pattern,
)
from pow_extract.text.normalize import side_moved_to
from pow_extract.text.numbers import find_numbers
from pow_extract.text.sentences import is_latin, paragraph_before, sentence_at, sentence_index, sentence_spans

_NOT_PEOPLE = re.compile(
    rf"^\s*(?:-|\s)?(?:{TIME_UNITS}|percent|per cent|km|kilomet|miles?|dollars?|"
    r"euros?|million|billion|thousand|times|am|pm|a\.m|p\.m|th|st|nd|rd|of them|of those|of whom|jails?|prisons?|"
    r"stages?|phases?|countries|sides|(?-i:in\s+[A-Z]\w+))\b",  # "39 in Porbandar": where they were held
    re.IGNORECASE,
)
_NOT_RETURNED = word_pattern(NOT_RETURNED)
_TOTAL_BEFORE = re.compile(rf"\b(?:{TOTAL_OF})\s*$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[•*·▪–—-]|\d+[.)])\s+")
#: where the words of a number's group end: a clause, or an agent ("two Thai nationals freed by Hamas")
_LABEL_END = re.compile(
    r"[,;:()—–]|\s(?:and|with|who|were|are|had|have|from whom)\s|"
    r"\s(?:freed|released|held|captured|taken|abducted|kidnapped|seized|detained)\s+by\s|\.\s|\.$"
)
_OF_OWN = re.compile(r"of\s+(?:its|their|our|his|her|your)\s+[a-z]", re.IGNORECASE)  # "10 of its citizens"
_INCLUSION = re.compile(r"\b(?:among them|among those|among the|including|included|of them|of whom|of those)\b", re.I)
# the noun a number counts, before any preposition: "two smaller prisoner exchanges in ..." counts exchanges
_HEAD = re.compile(r"^(?P<phrase>.*?)(?:\s+(?:in|of|for|from|to|on|at|with|by|since|during)\b|$)", re.I)
_SWAPS = re.compile(rf"\b(?:{SWAP_WORDS}|rounds?)$", re.I)
_AMONG_AFTER = re.compile(r"^\s*(?:[\w-]+\s+){1,3}among\b", re.I)  # "12 civilians among the freed women"
_BE = r"(?:were|was|are|is|had been|have been|has been)"
# "58 of those released were from ...", "37 of the women had been captured ...": a part of the people the sentence
# speaks of, said by what is predicated of it (the head noun names the whole, not the part)
_WHOLE = rf"(?:them|whom|(?:the|those|these)(?:\s+[\w-]+){{0,3}}?\s+(?:{PEOPLE_NOUNS}|{MOVED_VERBS}))"
_PARTITIVE = re.compile(rf"^\s+of\s+{_WHOLE}\s+{_BE}\s+(?P<pred>[^,;:.!?]+)", re.I)
# "of the 130 prisoners, 87 were Mariupol defenders, and 71 were from ...": the whole named first
_WHOLE_FIRST = re.compile(rf"\bof\s+{_WHOLE},", re.I)
_PREDICATE = re.compile(rf"^\s+{_BE}\s+(?P<pred>[^,;:.!?]+)", re.I)
#: a predicate that is an age: "the other three are 20", "... were 19 years old" (not "were 20-year-old conscripts")
_AGE_ONLY = re.compile(r"\d{1,3}(?:\s+years?\s+old)?\s*$", re.I)
_CATEGORIES: tuple[tuple[BreakdownCategory, re.Pattern[str]], ...] = (
    ("minors", re.compile(r"\b(?:child\w*|minors?|teen\w*|boys|girls|juveniles?|under 18)\b", re.I)),
    ("women", re.compile(r"\b(?:\w*wom[ae]n|female\w*)\b", re.I)),  # "servicewomen", "policewomen"
    ("wounded_or_ill", re.compile(r"\b(?:wounded|injur\w*|ill|illness\w*|sick|disabled)\b", re.I)),
    ("civilians", re.compile(r"\b(?:civilians?|residents)\b", re.I)),  # "residents of the Kursk region"
    ("rank", re.compile(
        r"\b(?:(?<!police )officers?|privates?|sergeants?|rank[- ]and[- ]file|enlisted|non-commissioned)\b", re.I)),
    ("branch", re.compile(
        r"\b(?:armed forces|army|navy|naval|sailors?|seamen|marines?|guard\w*|border|police\w*|territorial|air force|"
        r"national guard|brigade|defence forces|defense forces)\b", re.I)),
)  # fmt: skip


@dataclass(frozen=True)
class _Number:
    value: int
    start: int
    end: int
    label: str  # the words after the number, up to the next number or clause break
    context: str  # the words after the number, up to the next number


def _numbers(sentence: str) -> list[_Number]:
    found: list[_Number] = []
    starts = [n.start for n in find_numbers(sentence) if not n.ordinal]  # a label ends at the next number, a date's too
    for match in cardinals(sentence):  # (no number of a date: "on 3 April 2023")
        value = match.value
        after = sentence[match.end : next((s for s in starts if s >= match.end), len(sentence))]
        before = sentence[max(0, match.start - 12) : match.start]
        if after.startswith("%"):
            continue
        if _NOT_PEOPLE.match(after):
            continue
        if re.search(r"\b(?:aged|age)\s*$", before, re.IGNORECASE):
            continue
        if _hedged(sentence, match.start):
            continue
        if not match.words and 1900 <= value <= 2100 and not re.match(r"\s+[a-z]", after):
            continue  # a year
        label = _LABEL_END.split(after.strip())[0]
        head = _HEAD.match(label)
        if head is not None and _SWAPS.search(head.group("phrase")):
            continue  # exchanges, not people
        found.append(_Number(value, match.start, match.end, " ".join(label.split()[:6]), after[:100]))
    return found


def _names_people(number: _Number) -> bool:
    """Whether words follow the number before the clause ends, and not as a member of another group: "Mohammed
    al-Tous, 69, who ..." (an age) and "one of the six prisoners" are no part of a sum of returnees, while "10 of its
    citizens" counts a side's own people."""
    label = number.label
    return bool(label.strip()) and (not re.match(r"of\b", label, re.I) or bool(_OF_OWN.match(label)))


def _hedged(sentence: str, start: int) -> bool:
    """Whether a hedge stands right before the number at ``start`` ("at least 36 of them have been injured"): a part
    has no qualifier, so a hedged number is no part."""
    return hedge_before(sentence[max(0, start - 20) : start]) is not None


def _partitives(sentence: str) -> list[tuple[_Number, int | None]]:
    """Parts named by a partitive: "58 of those released were from the interior ministry", and "of the 130
    prisoners, 87 were Mariupol defenders"; the label is what is said of the part (its category, else other). Each
    comes with the number of the whole when the partitive names one (the 130)."""
    whole = _WHOLE_FIRST.search(sentence)
    of = [n.value for n in find_numbers(whole.group(0)) if not n.ordinal] if whole is not None else []
    found: list[tuple[_Number, int | None]] = []
    for match in find_numbers(sentence):
        if match.ordinal or match.value < 1 or _hedged(sentence, match.start):
            continue
        after = sentence[match.end :]
        said = _PARTITIVE.match(after)
        if said is None and whole is not None and match.start >= whole.end():
            said = _PREDICATE.match(after)
        if said is not None and not _AGE_ONLY.match(said.group("pred")):  # "the other three are 20": their age
            predicate = " ".join(said.group("pred").split()[:6])
            total = of[0] if of and whole is not None and match.start >= whole.end() else None
            named = [n.value for n in find_numbers(said.group(0)[: said.start("pred")]) if not n.ordinal]
            total = named[0] if named and total is None else total  # "four of the five civilians were ...": 5
            found.append((_Number(match.value, match.start, match.end, predicate, predicate), total))
    return found


def category_of(*phrases: str) -> BreakdownCategory:
    """The category the first category word of the first phrase that has one names ("12 civilians among the freed
    women": civilians; "38 National Guardsmen": branch), else ``other``. A category's own name is read as words: a
    label "wounded_or_ill" says wounded."""
    for words in (phrase.replace("_", " ") for phrase in phrases):
        found = [(match.start(), category) for category, pattern in _CATEGORIES if (match := pattern.search(words))]
        if found:
            return min(found)[1]
    return "other"


def _category(number: _Number) -> BreakdownCategory:
    """The category the first category word after the number names, from its label, else from the rest of its
    line."""
    return category_of(number.label, number.context.split("\n")[0])


def _named_sides(sentence: str, parties: set[str]) -> set[str]:
    return sides_named(sentence) & parties


def _sides_of_people(numbers: Iterable[_Number], parties: set[str]) -> set[str]:
    """The exchange's sides whose people the numbers name by nationality ("185 Ukrainian soldiers"): not a place in
    their words ("31 from morgues in Russia"), and a third country's people ("five Thai citizens") name none."""
    return {side for n in numbers if (side := nationality_after(n.context)) in parties}


def side_counted_last(text: str, counts: Sequence[CountClaim], position: int) -> str | None:
    """The side that received the people ``counts`` count last before ``position``, in its paragraph or the one
    before: whom "them" or "the youngest freed hostage" speak of ("Thirteen Israelis ... were freed on Friday. [...]
    Four of them were children."). None when none is counted there, or when the last sentence that counts people
    counts both sides' ("150 prisoners each")."""
    since = paragraph_before(text, position)
    told = [(sentence_index(text, c.span.start), c.returned_to) for c in counts
            if c.span is not None and since <= c.span.start < position]  # fmt: skip
    last = max((i for i, _ in told if i is not None), default=None)
    sides = {side for i, side in told if i == last}
    return sides.pop() if last is not None and len(sides) == 1 else None


def _blocks(text: str) -> list[tuple[int, int]]:
    """Sentences, with a bulleted list and the line introducing it taken as one block."""
    blocks: list[tuple[int, int]] = []
    for start, end in sentence_spans(text):
        line_start = text.rfind("\n", 0, start) + 1
        if _BULLET.match(text[line_start:end]) and blocks and text[blocks[-1][1] : start].count("\n") <= 2:
            blocks[-1] = (blocks[-1][0], end)
        else:
            blocks.append((start, end))
    return blocks


def _receiver(
    totals: Sequence[CountClaim | BreakdownItem], sentence: str, parties: set[str], labels: str = ""
) -> str | None:
    """The one side of ``totals`` these parts went to: the only one, or the one their labels or sentence name."""
    sides = {c.returned_to for c in totals}
    if len(sides) == 1:
        return sides.pop()
    for words in (labels, sentence):
        named = _named_sides(words, parties) & sides
        if len(named) == 1:
            return named.pop()
    return None


def _nearest_count_owner(
    position: int, exchange: PrisonerExchange, others: Sequence[PrisonerExchange]
) -> PrisonerExchange | None:
    """The record whose count the article states last before ``position`` (``exchange`` when none is before it)."""
    best: tuple[int, PrisonerExchange] | None = None
    for record in [exchange, *others]:
        for count in record.counts:
            if count.span is not None and count.span.start <= position and (best is None or count.span.start > best[0]):
                best = (count.span.start, record)
    return best[1] if best is not None else exchange


_JOINED = re.compile(r"[^,;:.!?]*?(?:,\s*(?:and\s+)?|\s+and\s+)(?:another\s+|more\s+)?", re.IGNORECASE)
_VERB = re.compile(rf"\b(?:were|was|are|is|have|has|had|while|whereas|but|{MOVED_VERBS})\b", re.IGNORECASE)


def listed_groups(sentence: str) -> set[int]:
    """Where (start offsets) the numbers of ``sentence`` stand that are listed beside another, joined only by a comma
    or "and": "95 soldiers, 56 national guardsmen, 26 border guards and one police officer" - groups of people, each
    a part of some whole, none of them a whole by itself."""
    numbers = _numbers(sentence)
    listed: set[int] = set()
    for previous, number in itertools.pairwise(numbers):
        between = sentence[previous.end : number.start]
        if _JOINED.fullmatch(between) and not _VERB.search(between):
            listed |= {previous.start, number.start}
    return listed


def _listed_without_total(
    sentence: str,
    start: int,
    numbers: list[_Number],
    counts: list[CountClaim],
    found: list[tuple[_Number, str, BreakdownCategory]],
    parties: set[str],
    owned: bool,
) -> list[tuple[_Number, str, BreakdownCategory]]:
    """Groups listed side by side for one receiver with no total stated: "Ukraine brought home 140 of its
    troops and 12 civilians", "60 soldiers and four civilians were returned to Kyiv". The numbers are
    joined only by "and" or a comma, name no two of the exchange's sides by nationality (a foreign group among
    them, "five Thai citizens" freed from Gaza, names none), and at least one of them is a count the exchange
    gives to one side from this sentence; they are parts of an unstated total (the sum is arithmetic, not
    reported), so they become breakdown items and their counts are dropped."""
    taken = {id(n) for n, _, _ in found}
    runs: list[list[_Number]] = []
    for number in numbers:
        previous = runs[-1][-1] if runs else None
        between = sentence[previous.end : number.start] if previous is not None else ""
        joined = previous is not None and _JOINED.fullmatch(between) and not _VERB.search(between)
        if joined and id(number) not in taken and id(previous) not in taken:
            runs[-1].append(number)
        else:
            runs.append([number])
    items: list[tuple[_Number, str, BreakdownCategory]] = []
    for run in runs:
        if len(run) < 2:
            continue
        values = {n.value for n in run}
        here = [c for c in counts if c.number in values and c.span is not None
                and start <= c.span.start < start + len(sentence)]  # fmt: skip
        sides = {c.returned_to for c in here}
        if not here and owned:  # no count from this sentence: the side their own verb names
            moved = side_moved_to(sentence[run[-1].end :], parties, before=sentence[: run[0].start])
            sides = {moved} if moved is not None else set()
        nationalities = _sides_of_people(run, parties)
        categories = {_category(n) for n in run}
        if len(sides) != 1 or len(nationalities) > 1 or nationalities - sides or categories == {"other"}:
            continue
        receiver = sides.pop()
        if any(c.number == sum(n.value for n in run) and c.returned_to == receiver for c in counts):
            continue  # the total is stated: parts by arithmetic
        items += [(n, receiver, _category(n)) for n in run]
    return items


def _branches_included(sentence: str, numbers: list[_Number]) -> list[_Number]:
    """The numbers of a list of two or more branches after an inclusion cue ("the group included 38 National Guard
    members, 21 naval personnel, eight border guards and four police officers"), else none: one number of a branch
    ("among them nine Russian troops") may count another swap's people, a list of branches is a breakdown."""
    cue = _INCLUSION.search(sentence)
    listed = [n for n in numbers if cue is not None and n.start > cue.end()]
    if len(listed) < 2 or any(_category(n) != "branch" for n in listed):
        return []
    gaps = (sentence[a.end : b.start] for a, b in itertools.pairwise(listed))  # joined as `listed_groups` joins
    return listed if all(_JOINED.fullmatch(gap) and not _VERB.search(gap) for gap in gaps) else []


#: a part of the returnees as the rules tell two apart: the side it went to, its category, its number
_PartKey = tuple[str, str, int]


def _key(part: BreakdownItem) -> _PartKey:
    return (part.returned_to, part.category, part.number)


def _known_parts(exchange: PrisonerExchange) -> set[_PartKey]:
    """The parts ``exchange`` already has, by side, category and number: a rule adds a part only when it is new."""
    return {_key(b) for b in exchange.breakdown}


def add_parts(
    text: str, index: int, exchange: PrisonerExchange, notes: list[str], others: Sequence[PrisonerExchange] = ()
) -> None:
    """Add the breakdown items of ``exchange`` that the article's arithmetic shows, and drop counts that are parts.

    A part named without arithmetic ("among them three women") goes to the exchange whose count the article gave
    last before it: not to an exchange of ``others`` (the article's other records) reported elsewhere."""
    counts = [c for c in exchange.counts if c.returned_to not in ("both", "") and c.qualifier == "exact"]
    if not counts:
        return
    parties = {c.returned_to for c in exchange.counts} | set(exchange.parties)
    known = _known_parts(exchange)
    parts_found: set[tuple[int, int]] = set()  # (sentence start, number)
    blocks = _blocks(text)
    for start, end in blocks:
        sentence = text[start:end]
        if not is_latin(sentence):
            continue
        numbers = _numbers(sentence)
        items: list[tuple[_Number, str, BreakdownCategory]] = []
        for i in range(len(numbers)):  # runs of consecutive numbers adding up to a count
            total = 0
            for j in range(i, len(numbers)):
                total += numbers[j].value
                if j == i:
                    continue
                # a count, or a part already read ("one civilian and 35 military" ... "22 National guardsmen,
                # eight border guards, four Navy soldiers and one serviceman": the 35's parts)
                matching: list[CountClaim | BreakdownItem] = [c for c in counts if c.number == total]
                matching = matching or [b for b in exchange.breakdown if b.number == total]
                if matching and all(n.value < total and _names_people(n) for n in numbers[i : j + 1]):
                    labels = " ".join(n.label for n in numbers[i : j + 1])
                    receiver = _receiver(matching, sentence, parties, labels)
                    moved = side_moved_to(sentence[numbers[j].end :], parties)  # "... were returned to Kyiv"
                    named = _sides_of_people(numbers[i : j + 1], parties)
                    if receiver is not None and named <= {receiver} and moved in (None, receiver):
                        items += [(n, receiver, _category(n)) for n in numbers[i : j + 1]]
        owned = _nearest_count_owner(start, exchange, others) is exchange
        items += _listed_without_total(sentence, start, numbers, counts, items, parties, owned)
        branches = _branches_included(sentence, numbers)
        for number in numbers:  # "among them 36 seriously wounded", "12 civilians among the freed women"
            if any(number is n for n, _, _ in items):
                continue
            if not _INCLUSION.search(sentence[: number.start]) and not _AMONG_AFTER.match(number.context):
                continue
            if _NOT_RETURNED.search(sentence):
                continue
            category = _category(number)
            bigger = [c for c in counts if c.number > number.value]
            receiver = _receiver(bigger, sentence, parties, number.label) if bigger else None
            own = _nearest_count_owner(start + number.start, exchange, others) is exchange
            if receiver is None and number in branches and bigger:  # a source lists its own side's returnees
                spoken = side_of_official(sentence)
                receiver = spoken if spoken in {c.returned_to for c in bigger} else None
            branch = number in branches and receiver is not None and sum(n.value for n in branches) <= max(
                c.number for c in bigger)  # fmt: skip
            if (category not in ("other", "branch") or branch) and receiver is not None and own:
                items.append((number, receiver, category))
        if not _NOT_RETURNED.search(sentence):
            taken = {(n.start, n.value) for n, _, _ in items}
            for number, whole in _partitives(sentence):  # "of the 130 prisoners, 87 were ...": the 130's side
                bigger = [c for c in counts if c.number == whole] or [c for c in counts if c.number > number.value]
                receiver = _receiver(bigger, sentence, parties) if bigger else None
                if receiver is None and whole is None:
                    # "We are bringing 86 of our soldiers home! 15 of them are women!": "them" are the people counted
                    # last before them
                    receiver = side_counted_last(text, bigger, start + number.start)
                own = _nearest_count_owner(start + number.start, exchange, others) is exchange
                if receiver is not None and own and (number.start, number.value) not in taken:
                    items.append((number, receiver, _category(number)))
        # "..., making a total of 206": the total of the parts listed, not one of them
        items = [item for item in items if not _TOTAL_BEFORE.search(sentence[: item[0].start])]
        quote = sentence.strip()
        offset = start + sentence.index(quote)
        for number, receiver, category in items:
            parts_found.add((start, number.value))
            if (receiver, category, number.value) in known:
                continue
            known.add((receiver, category, number.value))
            exchange.breakdown.append(
                BreakdownItem(
                    quote=quote,
                    span=Span(start=offset, end=offset + len(quote), match="exact", score=1.0),
                    returned_to=receiver,
                    category=category,
                    label=number.label or category,
                    number=number.value,
                )
            )
            note(
                notes,
                "parts-by-arithmetic",
                f"exchange {index}: {number.value} {number.label!r} is part of a count to {receiver}; "
                f"breakdown ({category}) added",
            )
    if not parts_found:
        return
    kept = []
    for count in exchange.counts:
        where = count.span.start if count.span is not None else -1
        block = next((a for a, b in blocks if a <= where < b), None)
        if (block, count.number) in parts_found:
            note(
                notes,
                "parts-by-arithmetic",
                f"exchange {index}: {count.number} is part of a total, not a count; dropped",
            )
            continue
        kept.append(count)
    exchange.counts = kept


def _number_of(text: str, count: CountClaim) -> _Number | None:
    """The count's number as its sentence writes it, with the words after it (its quote when the sentence is not
    found), or None when the sentence does not write it."""
    bounds = sentence_at(text, count.span.start) if count.span is not None else None
    sentence = text[bounds[0] : bounds[1]] if bounds is not None else count.quote
    return next((n for n in _numbers(sentence) if n.value == count.number), None)


def counts_that_are_parts(text: str, index: int, exchange: PrisonerExchange, notes: list[str]) -> None:
    """A count of a side that, with a part of the side's returnees, makes up another, bigger count of the side is a
    part too: "Forty-five people, including twelve civilians, were released. Out of the thirty-three Ukrainian
    troops released, ..." - 33 + 12 = 45, so the 33 are the 45's other part, not a second count. The arithmetic
    may cross sentences (:func:`add_parts` reads it within one). Both counts are one source's: two sources' figures
    for one side are two claims, whatever their difference."""

    def sentence_of(item: CountClaim | BreakdownItem) -> tuple[int, int] | None:
        return sentence_at(text, item.span.start) if item.span is not None else None

    def other_part(small: CountClaim, big: CountClaim) -> bool:  # told with the big count, not with the small one
        if (small.claimant_side, small.claimant) != (big.claimant_side, big.claimant):
            return False  # two sources' figures ("189", Zelensky said; "150", Moscow said) are two claims
        rest = big.number - small.number
        return any(p.returned_to == small.returned_to and p.number == rest and sentence_of(p) == sentence_of(big)
                   != sentence_of(small) for p in exchange.breakdown)  # fmt: skip

    exact = [c for c in exchange.counts if c.returned_to not in ("both", "") and c.qualifier == "exact" and c.span]
    parts = [c for c in exact if any(big.returned_to == c.returned_to and big.number > c.number and other_part(c, big)
                                     for big in exact)]  # fmt: skip
    known = _known_parts(exchange)
    for count in parts:
        number = _number_of(text, count)
        category = _category(number) if number is not None else "other"
        exchange.counts.remove(count)
        if (count.returned_to, category, count.number) not in known:
            known.add((count.returned_to, category, count.number))
            exchange.breakdown.append(
                BreakdownItem(quote=count.quote, span=count.span, returned_to=count.returned_to, category=category,
                              label=number.label if number is not None else category, number=count.number)
            )  # fmt: skip
        note(notes, "parts-by-arithmetic", f"exchange {index}: {count.number} and a part of {count.returned_to} make "
             f"up another count of it; a part ({category}), not a count")  # fmt: skip


def parts_within_whole(index: int, exchange: PrisonerExchange, notes: list[str]) -> None:
    """A part of a side's returnees is no larger than the side's count: a breakdown entry bigger than every count of
    its side (or of both sides together) is no part of them ("in exchange for the map of 97,000 mines" beside 15
    prisoners of war) and is dropped. A side without a count keeps its parts: there is no whole to compare."""
    kept = []
    for part in exchange.breakdown:
        wholes = [c.number for c in exchange.counts if c.returned_to in (part.returned_to, "both")]
        if wholes and part.number > max(wholes):
            note(notes, "part-within-whole", f"exchange {index}: {part.number} {part.category} is larger than "
                 f"every count of {part.returned_to} ({max(wholes)}); not a part of them, dropped")  # fmt: skip
            continue
        kept.append(part)
    exchange.breakdown = kept


def parts_once(index: int, exchange: PrisonerExchange, notes: list[str]) -> None:
    """A part given twice (the same side, category and number, as a 1.5B model may repeat one entry seven times) is
    one part: the repeats are dropped. Two parts of the same size and different categories both stay ("12 women",
    "12 civilians")."""
    kept: list[BreakdownItem] = []
    seen: set[_PartKey] = set()
    for part in exchange.breakdown:
        if _key(part) in seen:
            note(notes, "part-once", f"exchange {index}: {part.number} {part.category} of {part.returned_to} "
                 "given again; dropped")  # fmt: skip
            continue
        seen.add(_key(part))
        kept.append(part)
    exchange.breakdown = kept


#: the categories a whole group is told by ("ten civilians", "five children"); not a rank, a branch or "other"
_WHOLE_CATEGORIES: tuple[BreakdownCategory, ...] = ("civilians", "minors", "women", "wounded_or_ill")


def categories_from_words(index: int, exchange: PrisonerExchange, notes: list[str]) -> None:
    """Each part of the returnees takes the category its own words name, else ``other``: "56 fallen soldiers from the
    Bakhmut sector" are no rank, "7 bodies of defenders fighting in the Luhansk sector" no branch, whatever the model
    called them."""
    for item in exchange.breakdown:
        said = category_of(item.label or "", item.quote)
        if said != item.category:
            note(notes, "category-from-words", f"exchange {index}: {item.number} {item.label!r} is {said}, not "
                 f"{item.category}, by its words")  # fmt: skip
            item.category = said


def whole_group(text: str, index: int, exchange: PrisonerExchange, notes: list[str]) -> None:
    """A count whose own words say what all its people are ("ten Ukrainian civilians", "5 children", "31 wounded
    prisoners") is also a breakdown entry of that category: the whole group, as the real-news labels code it."""
    known = _known_parts(exchange)
    for count in exchange.counts:
        if count.returned_to in ("both", "") or count.span is None:
            continue
        number = _number_of(text, count)
        if number is None:
            continue
        category = category_of(number.label)
        if category not in _WHOLE_CATEGORIES or (count.returned_to, category, count.number) in known:
            continue
        named = sides_named(number.label)
        if named and count.returned_to not in named:
            continue  # "five Ukrainian civilians ... in a five-for-five swap": Ukraine's five, not Russia's
        known.add((count.returned_to, category, count.number))
        exchange.breakdown.append(
            BreakdownItem(quote=count.quote, span=count.span, returned_to=count.returned_to, category=category,
                          label=number.label, number=count.number)
        )  # fmt: skip
        note(notes, "whole-group", f"exchange {index}: all {count.number} {number.label!r} are {category}; "
             "breakdown added")  # fmt: skip
