"""One lexicon: the English words the readers and the coding rules look for, kept in one place.

Month and weekday names, the words that hedge a number ("more than", "almost"), nationalities and the word stems
that name a side, units of time, verbs of saying, and the cue words of handovers, of people not handed over and of
exchanges described in general. Each entry is either a mapping or a regex alternation (``"a|b|c"``, case-folded,
no groups) for the modules that compile patterns from it (:mod:`pow_extract.text.dates`,
:mod:`pow_extract.reading.article`, :mod:`pow_extract.rules.checks`,
:mod:`pow_extract.rules.sweep`, :mod:`pow_extract.rules.parts`). A word added here reaches every reader at once.

This module imports nothing of the package.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from countryinfo import CountryInfo

#: Month names, and their abbreviations ("Sept." included; "may" has none).
MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
MONTH_ABBREVIATIONS = "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
ANY_MONTH = f"{MONTHS}|{MONTH_ABBREVIATIONS}"
#: Weekday names, Monday first (``WEEKDAY_NAMES.index(name)`` is Python's ``date.weekday()``).
WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
WEEKDAY_NAMES: tuple[str, ...] = tuple(WEEKDAYS.split("|"))
#: Abbreviations whose full stop does not end a sentence ("Gen. Kyrylo Budanov", "on Sept. 14").
ABBREVIATIONS = (
    "mr|mrs|ms|dr|prof|gen|lt|col|maj|capt|sgt|cpl|pvt|adm|cmdr|gov|sen|rep|pres|sr|jr|st|vs|etc|approx|"
    f"{MONTH_ABBREVIATIONS}"
)
#: Units of time: "12 years" is a length of time, not 12 people.
TIME_UNITS = r"years?|months?|weeks?|days?|hours?|minutes?"
#: A unit of time right after a number, matched where the number ends ("12 years", "three-month"): a length of time.
TIME_AFTER = re.compile(rf"\s*(?:-|\s)?(?:{TIME_UNITS})\b", re.IGNORECASE)

#: Words before a number that hedge it, and the qualifier each gives: "more than 400" is over 400.
HEDGES: dict[str, Literal["over", "almost", "about"]] = {
    "more than": "over", "over": "over", "just over": "over", "at least": "over", "upwards of": "over",
    "in excess of": "over",
    "about": "about", "around": "about", "some": "about", "approximately": "about", "roughly": "about",
    "an estimated": "about",
    "nearly": "almost", "almost": "almost", "up to": "almost", "just under": "almost", "close to": "almost",
    "fewer than": "almost", "less than": "almost", "as many as": "almost",
}  # fmt: skip

_HEDGE_BEFORE = re.compile(rf"\b({'|'.join(sorted(map(re.escape, HEDGES), key=len, reverse=True))})\s+$", re.I)
_PARTICLE_OVER = re.compile(r"\b(?:hand(?:s|ed|ing)?|turn(?:s|ed|ing)?|pass(?:es|ed|ing)?)\s+over\s+$", re.I)


def hedge_before(words: str) -> Literal["over", "almost", "about"] | None:
    """The qualifier of the hedge that ends ``words`` (the text just before a number): "more than " -> "over",
    "nearly " -> "almost"; None when no hedge ends them. The longest hedge wins ("just over" before "over")."""
    hedge = _HEDGE_BEFORE.search(words)
    if hedge is None or _PARTICLE_OVER.search(words):
        return None  # "handed over 90": a verb's particle, not "over 90"
    return HEDGES[hedge.group(1).lower()]


def _countries_demonyms() -> dict[str, str]:
    """Every country's nationality word from `countryinfo` ("Cambodian" -> Cambodia) and its plural ("Cambodians");
    a word two countries share goes to the more populous one ("French": France, not Martinique)."""
    best: dict[str, tuple[int, str]] = {}
    for info in CountryInfo.all().values():
        demonym, name = info.get("demonym"), info.get("name")
        if not demonym or not name or not demonym.isalpha():
            continue
        population = info.get("population") or 0
        if demonym.lower() not in best or population > best[demonym.lower()][0]:
            best[demonym.lower()] = (population, name)
    words = {word: name for word, (_, name) in best.items()}
    plurals = {f"{word}s": name for word, name in words.items() if not word.endswith(("ese", "ss", "ch", "sh", "s"))}
    return {**words, **plurals}


#: Nationalities and the side whose people they are: "195 Russian servicemen" were returned to Russia. Besides every
#: country's, a group's people ("Houthi") and the project's own coding ("Palestinian" prisoners go to Hamas, the side
#: that negotiated their release; "Yemeni" ones to the Yemen government) come over the country's.
DEMONYMS: dict[str, str] = _countries_demonyms() | {
    "palestinian": "Hamas", "palestinians": "Hamas", "yemeni": "Yemen government", "yemenis": "Yemen government",
    "houthi": "Houthis", "houthis": "Houthis", "swede": "Sweden", "swedes": "Sweden",
}  # fmt: skip


#: The plural nationality nouns, which name people by themselves ("95 Ukrainians"), as a regex alternation.
PEOPLE_OF_A_SIDE = "|".join(sorted(w for w in DEMONYMS if w[:-1] in DEMONYMS))


#: Nouns naming people who can be held and returned ("95 soldiers", "12 civilians", "the remains"), with the plural
#: nationalities, as a regex alternation.
PEOPLE_NOUNS = (
    r"prisoners?|pows?|servicem[ae]n|servicewom[ae]n|service members|soldiers?|troops|fighters?|defenders|"
    r"civilians?|people|captives?|detainees?|hostages?|citizens?|nationals?|military personnel|guys|bodies|remains|"
    r"wounded|wom[ae]n|men|children|minors|teenagers|occupiers|pilots|sailors|marines|combatants|guardsmen|agents|spies|"
    rf"{PEOPLE_OF_A_SIDE}"
)


def side_of_nationality(words: Iterable[str]) -> str | None:
    """The side of the first word that is a nationality ("Russian" -> Russia), or None; of a run of them, the last,
    the head noun's ("three Iranian Americans" -> United States)."""
    found = None
    for word in words:
        side = DEMONYMS.get(word.lower())
        if side is None and found is not None:
            break
        found = side or found
    return found


_PHRASE_END = re.compile(
    r"[,;:.!?()\"“”]|\d|\b(?:for|in|to|from|and|or|by|with|while|as|who|which|that|were|was|is|are|had|have|has)\b",
    re.IGNORECASE,
)


#: "230 prisoners of war of the Armed Forces of Ukraine", "146 servicemen of the Ukrainian army": whose forces the
#: people are, said after the noun
_FORCES_OF = re.compile(
    r"^\s*(?:[\w'’-]+\s+){1,3}?of\s+(?:war\s+of\s+)?the\s+([\w'’-]+\s+)?(?:armed\s+forces|army|navy)\b"
    r"(?:\s+of\s+([\w'’-]+))?",
    re.IGNORECASE,
)


def nationality_after(after: str, words: int = 4) -> str | None:
    """The side a nationality names in the noun phrase that follows a number, ``after`` being the text right after
    it: "195 Russian servicemen", "31 badly injured Ukrainian captives" (Ukraine), or the side whose forces the
    phrase says they are ("230 prisoners of war of the Armed Forces of Ukraine"). The phrase ends at punctuation,
    a preposition, a verb or another number, so "22 prisoners, Russian officials said" names no side."""
    phrase = _PHRASE_END.split(after, maxsplit=1)[0]
    side = side_of_nationality(re.findall(r"[\w'’-]+", phrase)[:words])
    forces = _FORCES_OF.match(phrase) if side is None else None
    if forces is not None and not re.match(r"\s*(?:and|or|&)\b", after[forces.end() :]):  # "... of Ukraine and Russia"
        named = sides_named(" ".join(group for group in forces.groups() if group))
        side = named.pop() if len(named) == 1 else None
    return side


#: Word stems that name a side (a country, its capital or leader, a group): "Russia's Defence Ministry" -> Russia.
SIDE_STEMS: dict[str, str] = {
    "ukrain": "Ukraine", "kyiv": "Ukraine", "kiev": "Ukraine", "zelensk": "Ukraine", "russia": "Russia",
    "moscow": "Russia", "kremlin": "Russia", "putin": "Russia", "israel": "Israel", "hamas": "Hamas",
    "palestin": "Hamas",
    "emirat": "United Arab Emirates", "uae": "United Arab Emirates", "white house": "United States",
    "u.s.": "United States", "american": "United States", "armenia": "Armenia", "azerbaijan": "Azerbaijan",
    "venezuela": "Venezuela", "iran": "Iran", "swed": "Sweden", "belarus": "Belarus", "german": "Germany",
    "poland": "Poland", "polish": "Poland", "norw": "Norway", "sloven": "Slovenia", "salvador": "El Salvador",
    "houthi": "Houthis", "yemen's gov": "Yemen government", "yemeni gov": "Yemen government",
    "yemen gov": "Yemen government", "rapid support forces": "Rapid Support Forces", "qatar": "Qatar",
    "turkey": "Turkey",
    "turkish": "Turkey", "türk": "Turkey", "egypt": "Egypt", "red cross": "International Committee of the Red Cross",
    "icrc": "International Committee of the Red Cross", "united nations": "United Nations",
}  # fmt: skip


def sides_named(text: str) -> set[str]:
    """The sides whose stems or nationality words ``text`` contains ("Russia's Defence Ministry" -> {"Russia"},
    "the Iraqi foreign ministry" -> {"Iraq"})."""
    folded = text.lower()
    return {side for stem, side in SIDE_STEMS.items() if stem in folded} | {
        DEMONYMS[word] for word in re.findall(r"[a-z]+", folded) if word in DEMONYMS
    }


#: People and bodies who speak for a side without naming it ("Zelensky said", "the FSB said", "President's Office Head
#: Andriy Yermak"): each key a name or surname stem (a pattern, matched from a word's start), its value the side.
SPEAKERS: dict[str, str] = {
    "zelensk": "Ukraine", "yermak": "Ukraine", "lubinets": "Ukraine", "budanov": "Ukraine", "umerov": "Ukraine",
    "zaluzhn": "Ukraine", "syrsk": "Ukraine", "kuleba": "Ukraine", "sybiha": "Ukraine", "vereshchuk": "Ukraine",
    "klymenko": "Ukraine", "verbytska": "Ukraine",
    # Ukraine's Coordination Headquarters for the Treatment of Prisoners of War, the usual source of its figures
    r"coordinat\w*\s+(?:headquarters|cent(?:er|re)|staff|hq)\b": "Ukraine",
    "putin": "Russia", "peskov": "Russia", "lavrov": "Russia", "medinsky": "Russia", "zakharova": "Russia",
    "moskalkova": "Russia", "shoigu": "Russia", "belousov": "Russia", "saraliy?ev": "Russia", "pushilin": "Russia",
    "fsb": "Russia", "tass": "Russia", "ria novosti": "Russia",
    "netanyahu": "Israel", "herzog": "Israel", "idf": "Israel",
    "biden": "United States", "trump": "United States", "blinken": "United States", "rubio": "United States",
    "pentagon": "United States", "state department": "United States",
    "maduro": "Venezuela", "bukele": "El Salvador", "kristersson": "Sweden",
    # leaders of the usual mediators ("President Recep Erdogan, who helped mediate the prisoner swap")
    "erdo[gğ]an": "Turkey", "bin zayed": "United Arab Emirates", "al thani": "Qatar",
}  # fmt: skip


def side_of_official(name: str) -> str | None:
    """The side an official or body named in ``name`` speaks for ("Andriy Yermak" -> Ukraine, "the Coordination
    Headquarters" -> Ukraine), if exactly one."""
    folded = name.lower()
    sides = {side for stem, side in SPEAKERS.items() if re.search(rf"\b{stem}", folded)}
    return sides.pop() if len(sides) == 1 else None


#: News agencies and wire services: they report an exchange, they never mediate it or take part in it.
NEWS_AGENCIES = frozenset(
    {"reuters", "ap", "associated press", "afp", "agence france-presse", "tass", "ria", "ria novosti", "interfax",
     "ukrinform", "unian", "unn", "interfax-ukraine", "anadolu", "anadolu agency", "wam", "xinhua", "efe", "bloomberg",
     "sputnik", "dpa", "irna", "yonhap", "kyodo"}
)  # fmt: skip


def is_news_agency(name: str) -> bool:
    """Whether ``name`` is a news agency ("Reuters", "the Associated Press")."""
    return re.sub(r"^the\s+", "", name.strip().lower()) in NEWS_AGENCIES


#: Nouns for a source of news that names no body ("a military official", "according to the source").
UNNAMED_SOURCE_WORDS = ("officials", "official", "sources", "source", "authorities")
UNNAMED_SOURCE_NOUNS = "|".join(UNNAMED_SOURCE_WORDS)
_UNNAMED_SOURCE_HEAD = re.compile(
    rf"\b(?:{UNNAMED_SOURCE_NOUNS}|spokes(?:man|men|woman|women|person|people))\W*$", re.IGNORECASE
)


def is_unnamed_source(name: str) -> bool:
    """Whether ``name`` names a source of news by its role alone ("Military Official", "Loyalist Military Sources"):
    its last word is "official(s)", "source(s)", "spokesman" or "authorities"."""
    return _UNNAMED_SOURCE_HEAD.search(name.strip()) is not None


#: Verbs that attribute a statement to a source: "..., the ministry said".
SAID = (
    "said|says|say|announced|announces|reported|reports|stated|states|confirmed|confirms|wrote|writes|added|"
    "adds|told|tells|claimed|claims|noted|notes|declared|declares|verified|verifies|informed|informs|clarified|"
    "clarifies|posted"
)
#: The nouns and verbs of an exchange itself.
SWAP_WORDS = r"exchange[sd]?|swap(?:s|ped)?|handover|trade[sd]?|repatriat\w*"
#: Handover verbs in their base form: "will free", "to swap", a headline's "frees" (with an -s).
HANDOVER_VERBS = r"free|release|return|swap|exchange|trade|repatriate|hand\s+over"
#: The nouns naming one swap; their plurals ("exchanges") and the activity ("swapping") name swaps in general.
SWAP_NOUNS = r"exchange|swap|trade|handover"
#: Words of swaps in general, not of one: "several others", "most swaps since", "as in previous exchanges",
#: "typically", "a series of", "since 2022".
SWAPS_IN_GENERAL = (
    r"\b(?:every|most|several|many|all|other|past|previous|earlier|prior|these|such|this\s+year's)\s+"
    rf"(?:[\w-]+\s+){{0,2}}?(?:(?:{SWAP_NOUNS})s|rounds|ones|others)\b|\b(?:since|series|typically|usually|each\s+of)\b"
)
#: Any word that speaks of people being handed over, freed or brought home (stems: matched inside words).
HANDOVER_STEMS = (
    r"exchang|swap|\btrade|releas|\bfree(?:s|d|ing)?\b|return|came home|come home|coming home|brought home|"
    r"bring home|bringing home|back home|went home|go home|brought back|bring back|bringing back|got back|get back|"
    r"took back|take back|handed|"
    r"hand over|hand back|handover|repatriat|\bbodies\b|\bremains\b|"
    r"\b(?:brought|bring|brings|got|took)\s+(?:[\w'’-]+\s+){1,5}?back\b"  # "brought 100 of its soldiers back"
)
#: Past participles that move people to or from a side: "handed over to Ukraine", "returned from Kyiv" (and a
#: headline's "trades": "Moscow trades 225 prisoners of war to Kyiv").
MOVED_VERBS = (
    r"handed\s+over|handed|transferred|returned|released|freed|sent|repatriated|brought|flown|delivered|traded|trades"
)
#: Verbs saying a handover happened (past tense): "were freed", "took place", "came home", "began a 10-day exchange".
DONE_VERBS = (
    rf"{MOVED_VERBS}|exchanged|swapped|received|took\s+place|carried\s+out|conducted|completed|occurred|"
    r"came\s+home|began|begun|started|got\s+under\s+way"
)
#: Words before a verb that put its handover still to come: "will release", "is to receive", "agreed to hand over".
TO_COME = r"will|would|shall|is\s+to|are\s+to|agreed\s+to|(?:is|are)\s+(?:set|due|expected)\s+to"
#: Words that put a handover on a timetable, still to come: "is scheduled for", "due on Friday", "will take place".
SCHEDULED_WORDS = r"planned|scheduled|slated\s+(?:to|for)|due\s+(?:to|on|for)|set\s+to|expected\s+to|will\s+(?:take|be)"
#: Words of talks, agreements and announcements about a swap (a date beside them is theirs, not a handover's).
TALK_WORDS = r"agree\w*|talks|negotiat\w*|announc\w*|prepar\w*|discuss\w*"
#: Words of death: of people not handed over alive, or of the bodies of an exchange of remains.
DEATH_WORDS = r"killed|died|dead|deaths?"
#: People who died, are missing or are still held: not people handed over.
NOT_RETURNED = (
    rf"{DEATH_WORDS}|crash(?:ed)?|on board|missing|still (?:held|in (?:[\w'’-]+ )?captivity)|remain(?:s|ed|ing)? in "
    r"(?:[\w'’-]+ )?captivity|being held|are held|were held|in custody|detained in|shot down"
)
#: A swap's words halted, postponed or called off.
CANCELLED = (
    r"halt(?:s|ed|ing)\b|postpon(?:e|es|ed|ing)\b|cancel(?:s|led|ed|ling|ing)\b|call(?:s|ed|ing)? off|"
    r"disrupt(?:s|ed|ing)\b|derail(?:s|ed|ing)\b|fell through|collapsed|suspend(?:s|ed|ing)\b|put off|"
    r"(?:could|did|can)\s*(?:not|n't)\s+(?:reach|agree|conclude)\b|"
    r"was (?:supposed|due|scheduled|meant) to|were (?:supposed|due|scheduled|meant) to|did not take place|"
    r"never took place|thwarted|scrapped|held up|delay(?:ed|ing)\b|"
    r"fail(?:s|ed)?\s+to\s+(?:reach|agree|conclude|take place|materiali[sz]e|go ahead)\b"
)
#: Words that give a number as a total: "a total of 206", "totalling 300".
TOTAL_OF = r"(?:a|the)\s+total\s+of|totall?ing"
#: Nouns of what an exchange of the dead hands over.
BODY_NOUNS = r"bod(?:y|ies)|remains|corpses?|coffins?"
#: Words of the dead: a handover of bodies or remains.
BODIES = rf"{BODY_NOUNS}|dead|deceased|killed|fallen"


def word_pattern(alternation: str) -> re.Pattern[str]:
    """A case-insensitive pattern matching any entry of ``alternation`` as whole words."""
    return re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE)
