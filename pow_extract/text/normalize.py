"""Normalise the names of parties and mediators ("Kyiv", "Ukrainian side" -> "Ukraine").

The table maps lower-cased aliases (capitals, demonyms, common official forms) to one canonical name.
Unknown names are returned title-stripped but otherwise unchanged, so nothing is lost. ``sides_named_in`` and
``side_moved_to`` read sides from running text with the same table.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from pow_extract.text.lexicon import BODY_NOUNS, DEMONYMS, MOVED_VERBS, SPEAKERS, TO_COME, WEEKDAYS

_CANONICAL: dict[str, tuple[str, ...]] = {
    "Ukraine": (
        "ukraine",
        "ukrainian",
        "ukrainians",
        "kyiv",
        "kiev",
        "ukrainian side",
        "ukrainian government",
        "government of ukraine",
        "armed forces of ukraine",
        "the ukrainian side",
    ),
    "Russia": (
        "russia",
        "russian",
        "russians",
        "moscow",
        "russian federation",
        "the russian federation",
        "russian side",
        "the russian side",
        "kremlin",
        "the kremlin",
        "russian government",
    ),
    "United Arab Emirates": (
        "uae",
        "the uae",
        "emirates",
        "the emirates",
        "united arab emirates",
        "the united arab emirates",
        "emirati",
        "abu dhabi",
        "u.a.e.",
    ),
    "Turkey": ("turkey", "türkiye", "turkiye", "turkish", "ankara"),
    "Saudi Arabia": ("saudi arabia", "saudi", "riyadh", "kingdom of saudi arabia"),
    "Qatar": ("qatar", "qatari", "doha"),
    "Vatican": ("vatican", "holy see", "the vatican", "pope", "the pope"),
    "United States": (
        "united states",
        "the united states",
        "us",
        "u.s.",
        "usa",
        "u.s.a.",
        "america",
        "washington",
        "american",
        "the us",
        "the u.s.",
        "united states of america",
    ),
    "Belarus": ("belarus", "belarusian", "minsk"),
    "Israel": ("israel", "israeli", "israelis", "jerusalem", "tel aviv"),
    # the counterparty of Israel in hostage-for-prisoner deals; released Palestinian prisoners go to that side
    "Hamas": (
        "hamas",
        "palestinian",
        "palestinians",
        "palestinian side",
        "the palestinian side",
        "gaza",
        "palestine",
        "palestinian prisoners",
        "hamas-run gaza",
    ),
    "Iran": ("iran", "iranian", "tehran", "islamic republic of iran"),
    "Germany": ("germany", "german", "berlin"),
    "Poland": ("poland", "polish", "warsaw"),
    "Slovenia": ("slovenia", "slovenian", "ljubljana"),
    "Norway": ("norway", "norwegian", "oslo"),
    "Egypt": ("egypt", "egyptian", "cairo"),
    "International Committee of the Red Cross": (
        "icrc",
        "red cross",
        "the red cross",
        "international red cross",
        "the international red cross",
        "international committee of the red cross",
    ),
    "United Nations": ("united nations", "the united nations", "un", "u.n", "u.n.", "the un", "the u.n"),
    "European Union": ("european union", "the european union", "eu", "the eu", "e.u."),
    "Organization for Security and Cooperation in Europe": (
        "osce",
        "organization for security and cooperation in europe",
        "organization for security and co-operation in europe",
        "organisation for security and co-operation in europe",
    ),
    "Oman": ("oman", "omani", "muscat", "sultanate of oman"),
    "Sweden": ("sweden", "swedish", "swede", "swedes", "stockholm"),
    "El Salvador": ("el salvador", "salvadoran", "salvadorian", "salvadorean", "san salvador"),
    # the Donbas war of 2014-2022: the self-proclaimed Donetsk and Luhansk republics and their forces, one side
    "Russia-backed separatists": (
        "russia-backed separatists",
        "russian-backed separatists",
        "pro-russian separatists",
        "pro-russia separatists",
        "donbas separatists",
        "donetsk people's republic",
        "luhansk people's republic",
        "lugansk people's republic",
        "dpr",
        "lpr",
        "dnr",
        "lnr",
        "donbas",
    ),
    # Yemen's war: the Houthi movement against the internationally recognised government and the Saudi-led
    # coalition that fights for it ("the legitimate government" is that government's usual name in the region)
    "Houthis": (
        "houthis",
        "houthi",
        "the houthis",
        "houthi rebels",
        "houthi movement",
        "ansar allah",
        "ansarallah",
        "huthis",
        "huthi",
        "huthi rebels",
        "yemen rebels",
        "yemeni rebels",
        "yemen's rebels",
    ),
    "Yemen government": (
        "yemen government",
        "yemeni government",
        "yemen's government",
        "yemen's govt",
        "yemeni govt",
        "government of yemen",
        "the yemeni government",
        "legitimate government",
        "the legitimate government",
        "internationally recognised government",
        "internationally recognized government",
        "internationally-recognised government",
        "internationally-recognized government",
        "yemeni army",
        "yemen's army",
        "yemeni armed forces",
        "yemeni legitimate government",
        "saudi-led coalition",
        "the saudi-led coalition",
    ),
    # Sudan's war ("RSF" is also Reporters Without Borders' French acronym; as a party it is the paramilitary)
    "Rapid Support Forces": ("rapid support forces", "the rapid support forces", "rsf", "the rsf"),
    "Sudanese Armed Forces": (
        "sudanese armed forces",
        "saf",
        "sudanese army",
        "the sudanese army",
        "sudan's army",
        "sudan army",
        "sudanese military",
    ),
    "Armenia": ("armenia", "armenian", "yerevan"),
    "Azerbaijan": ("azerbaijan", "azerbaijani", "baku"),
    "Venezuela": ("venezuela", "venezuelan", "caracas"),
    "Colombia": ("colombia", "colombian", "bogota", "bogotá"),
    # Armed groups that trade prisoners with a state, and the state's side when it is named as a government rather
    # than a country (Afghanistan's before 2021, Syria's, Nigeria's, Bosnia's in 1992-1995)
    "Taliban": ("taliban", "the taliban", "afghan taliban", "islamic emirate of afghanistan"),
    "Afghan government": (
        "afghan government",
        "afghanistan government",
        "afghanistan's government",
        "government of afghanistan",
        "afghan security forces",
        "afghan national army",
    ),
    "Hezbollah": ("hezbollah", "hizbollah", "hizballah", "hizbullah", "hezbollah militants"),
    "Boko Haram": ("boko haram",),
    "Nigerian government": ("nigeria", "nigerian government", "nigeria's government", "federal government of nigeria"),
    "FARC": ("farc", "farc rebels", "revolutionary armed forces of colombia"),
    "ELN": ("eln", "eln rebels", "national liberation army"),
    "Syrian government": (
        "syria",
        "damascus",
        "syrian government",
        "government of syria",
        "syrian regime",
        "syria regime",
        "assad regime",
        "al-assad regime",
        "bashar al-assad regime",
        "syrian army",
        "syrian arab army",
    ),
    "Libyan National Army": ("libyan national army", "lna", "haftar's forces"),
    "Syrian National Army": ("syrian national army", "national army", "sna", "turkish-backed syrian national army"),
    "Syrian rebels": ("syrian rebels", "syrian opposition", "syrian opposition factions", "syrian rebel groups"),
    "Hayat Tahrir al-Sham": ("hayat tahrir al-sham", "hayat tahrir al sham", "tahrir al-sham", "hts"),
    "Nusra Front": ("nusra front", "al-nusra front", "al nusra front", "al-nusra", "nusra", "jabhat al-nusra"),
    "Syrian Democratic Forces": ("syrian democratic forces", "sdf", "the sdf"),
    "Islamic State": (
        "islamic state",
        "the islamic state",
        "islamic state group",
        "isis",
        "isil",
        "daesh",
        "islamic state of iraq and syria",
        "islamic state of iraq and the levant",
    ),
    "Bosnian government": (
        "bosnian government",
        "bosnia",
        "bosnia-herzegovina",
        "bosnia and herzegovina",
        "bosnian-herzegovina",
        "sarajevo",
    ),
    "Bosnian Serbs": ("bosnian serbs", "bosnian serb", "bosnian serb forces", "republika srpska"),
    # Myanmar's, Ethiopia's and the Philippines' wars
    "Arakan Army": ("arakan army", "the arakan army", "rakhine arakan army"),
    "Myanmar military": ("myanmar military", "myanmar's military", "myanmar army", "tatmadaw", "myanmar junta"),
    "Tigray People's Liberation Front": (
        "tigray people's liberation front",
        "tplf",
        "tigray forces",
        "tigrayan forces",
        "tigray rebel forces",
        "tigray defense forces",
        "tigray defence forces",
    ),
    "Abu Sayyaf": ("abu sayyaf", "abu sayyaf group", "abu sayyaf militants"),
    # Sudan's war: the armed movements of Darfur that fight beside the army against the RSF
    "Darfur Joint Force": ("darfur joint force", "joint force", "the joint force"),
    # monitors and aid bodies named after a country, which are no side of it
    "Syrian Observatory for Human Rights": ("syrian observatory for human rights", "sohr"),
    "Red Crescent": ("red crescent", "the red crescent"),
}

#: Bodies that mediate, supervise or report and are never a side of an exchange.
NEUTRAL_BODIES = frozenset(
    {
        "International Committee of the Red Cross",
        "United Nations",
        "European Union",
        "Organization for Security and Cooperation in Europe",
        "Red Crescent",
        "Syrian Observatory for Human Rights",
    }
)

#: Armed groups fighting inside a country, with that country and the name of the state's own side: beside the
#: group, the country stands for its government and forces ("Sudan" against the RSF is the Sudanese Armed Forces).
STATE_SIDE_AGAINST: dict[str, tuple[str, str]] = {
    "Rapid Support Forces": ("Sudan", "Sudanese Armed Forces"),
    "Houthis": ("Yemen", "Yemen government"),
    "Taliban": ("Afghanistan", "Afghan government"),
    "Boko Haram": ("Nigeria", "Nigerian government"),
    "FARC": ("Colombia", "Colombia"),
    "ELN": ("Colombia", "Colombia"),
    "Hayat Tahrir al-Sham": ("Syria", "Syrian government"),
    "Syrian National Army": ("Syria", "Syrian government"),
    "Syrian rebels": ("Syria", "Syrian government"),
    "Arakan Army": ("Myanmar", "Myanmar military"),
    "Tigray People's Liberation Front": ("Ethiopia", "Ethiopia"),
    "Abu Sayyaf": ("Philippines", "Philippines"),
}

#: Armed groups that hold and trade prisoners: "five Boko Haram commanders" are the group's own people.
ARMED_GROUPS = frozenset(STATE_SIDE_AGAINST) | {"Hamas", "Hezbollah", "Islamic State", "Nusra Front"}

#: what a group's own members are called, right after its name: "Boko Haram commanders", "Hamas militants"
_MEMBERS = re.compile(
    r"\s+(?:commanders?|fighters?|militants?|members?|prisoners?|detainees?|rebels?|insurgents?|combatants?|"
    r"operatives?|suspects?|leaders?|soldiers?|troops)\b",
    re.IGNORECASE,
)


def group_after(after: str) -> str | None:
    """The armed group whose members the words right after a number name ("five Boko Haram commanders" -> Boko
    Haram, "39 Hamas prisoners" -> Hamas); None when they name no known group ("Hamas hostages" are not its own)."""
    words = list(re.finditer(r"[\w'’-]+", after[:60]))
    for n in (3, 2, 1):
        if len(words) < n or after[: words[0].start()].strip():
            continue
        name = normalize_party(after[words[0].start() : words[n - 1].end()])
        if name in ARMED_GROUPS and _MEMBERS.match(after, words[n - 1].end()):
            return name
    return None


_ALIASES: dict[str, str] = {alias: canonical for canonical, aliases in _CANONICAL.items() for alias in aliases}
_ALIASES.update({canonical.lower(): canonical for canonical in _CANONICAL})
# a combined figure for both directions of a swap ("478 captives were exchanged")
_ALIASES.update({"both": "both", "both sides": "both", "each side": "both", "total": "both"})

_LEADING_ARTICLE = re.compile(r"^(the)\s+", re.IGNORECASE)
#: words on a side's standing that are no part of its name: "the de facto South Ossetian authorities", "the
#: self-proclaimed republic"
_STANDING = re.compile(
    r"^(?:(?:de\s+facto|self-proclaimed|self-styled|so-called|breakaway|unrecogni[sz]ed)\s+)+", re.IGNORECASE
)
_SPACES = re.compile(r"\s+")
#: an abbreviation written with dots ("U.S", "U. S.", "U.N."): its letters alone are the alias ("us", "un")
_DOTTED = re.compile(r"(?:[a-z]\.\s?)+[a-z]\.?")
_UNDOTTED: dict[str, str] = {alias.replace(".", ""): side for alias, side in _ALIASES.items() if "." in alias}


def normalize_party(name: str) -> str:
    """Return the canonical name of a party or mediator ("Kyiv" -> "Ukraine", "the U.S" -> "United States");
    unknown names pass through, without the words on their standing ("de facto South Ossetia" -> "South Ossetia")."""
    cleaned = _SPACES.sub(" ", name).strip().strip(".,;:").replace("’", "'")  # "Haftar’s forces", typeset
    bare = _LEADING_ARTICLE.sub("", cleaned)
    standing = _STANDING.match(bare)
    if standing is not None and standing.end() < len(bare):  # (a name that is nothing but such words stays)
        cleaned = bare[standing.end() :]
    key = cleaned.lower()
    if key in _ALIASES:
        return _ALIASES[key]
    key = _LEADING_ARTICLE.sub("", key)
    if key in _ALIASES:
        return _ALIASES[key]
    if _DOTTED.fullmatch(key):
        letters = re.sub(r"[.\s]", "", key)
        if letters in _UNDOTTED:
            return _UNDOTTED[letters]
    head = _head_alias(key)  # "the Ukrainian side", "Qatari officials", "Iranian-backed Houthis"
    if head is not None:
        return head
    state = _STATE_OF.fullmatch(key)  # "the French government", "Kenyan authorities", "Omani officials"
    owner = _STATE_OF_COUNTRY.fullmatch(key)  # "Ethiopia's federal army", "Sudan's armed forces"
    country = (DEMONYMS.get((state.group(1) or "").lower()) if state is not None else None) or (
        _COUNTRIES.get(owner.group(1)) if owner is not None else None
    )
    if country is not None:
        return _ALIASES.get(country.lower(), country)
    return _LEADING_ARTICLE.sub("", cleaned)


#: a country's state or forces named by the country's possessive: "Ethiopia's federal army", "Sudan's government"
#: the words for a country's state or its forces, after the country's possessive or its nationality word
_STATE_WORDS = (
    r"(?:government|authorities|officials|side|delegation|foreign\s+ministry|state|army|armed\s+forces|forces|"
    r"military|troops)"
)
_STATE_OF_COUNTRY = re.compile(rf"(?:the\s+)?([a-z][a-z ]*?)'s\s+(?:[a-z-]+\s+)?{_STATE_WORDS}")
_COUNTRIES: dict[str, str] = {country.lower(): country for country in DEMONYMS.values()}

#: a country's state named by its nationality word: "French government", "Kenyan authorities", "Omani officials"
_STATE_OF = re.compile(rf"(?:the\s+)?([a-z]+)\s+{_STATE_WORDS}")


_ALIAS_IN_NAME = re.compile(
    r"(?<![\w'’-])(?:"
    + "|".join(
        sorted((re.escape(a) for a, side in _ALIASES.items() if len(a) > 2 and side != "both"), key=len, reverse=True)
    )
    + r")(?![\w-])"
)


def _head_alias(key: str) -> str | None:
    """The side a longer name is the name of: the known name that ends it, or ends last in it (an English noun
    phrase ends with its head: "Iranian-backed Houthis" are Houthis)."""
    found = [(m.end(), len(m.group(0)), _ALIASES[m.group(0)]) for m in _ALIAS_IN_NAME.finditer(key)]
    if len({side for _, _, side in found}) > 1 and _JOINED.search(key):
        return None  # "Russia and Ukraine": two sides, not one
    return max(found)[2] if found else None


_JOINED = re.compile(r"\band\b|&|,|/")


def is_party_alias(name: str) -> bool:
    """True when ``name`` is, word for word, one of the names this module knows ("the United Arab Emirates", "Kyiv");
    unlike :func:`is_known_party`, not when a known name only ends or stands in it ("Israel Cohen")."""
    key = _LEADING_ARTICLE.sub("", _SPACES.sub(" ", name).strip().strip(".,;:").lower())
    return key in _ALIASES


def is_known_party(name: str) -> bool:
    """True when ``name`` is one of the countries or bodies this module knows by their aliases."""
    return normalize_party(name) in _CANONICAL


#: the government's side named without its country ("pro-government forces", "loyalists"): beside an armed group
#: fighting in a country, that country's state
_GOVERNMENT_SIDE = re.compile(
    r"(?:the\s+)?(?:(?:pro-)?government(?:\s+forces|\s+troops|\s+fighters|\s+side)?|"
    r"loyalists?(?:\s+forces|\s+troops|\s+fighters)?)",
    re.IGNORECASE,
)


def state_sides(parties: list[str]) -> dict[str, str]:
    """The names among ``parties`` that stand for a state's side against an armed group that is also a party: the
    country (``{"Sudan": "Sudanese Armed Forces"}`` for ``["Sudan", "Rapid Support Forces"]``), or the government
    named without its country ("pro-government forces" beside the Houthis is the Yemen government)."""
    return {
        name: state
        for group, (country, state) in STATE_SIDE_AGAINST.items()
        if group in parties
        for name in parties
        if name != state and (name == country or _GOVERNMENT_SIDE.fullmatch(_without_country(name, country)))
    }  # (Colombia's side is "Colombia": beside the FARC the country names no other side)


_GOVERNMENT_PEOPLE = re.compile(r"^\s*(?:[A-Z][a-z]+\s+)?(?:(?:pro-)?[Gg]overnment|[Ll]oyalist)\b")


def government_side_after(after: str, parties: list[str]) -> str | None:
    """The state's side among ``parties`` when the words after a number call its people the government's ("two
    pro-government soldiers", "18 loyalist fighters", "112 Yemeni government prisoners") and the other side is an
    armed group fighting that state."""
    if not _GOVERNMENT_PEOPLE.match(after):
        return None
    states = [state for group, (_, state) in STATE_SIDE_AGAINST.items() if group in parties and state in parties]
    return states[0] if len(states) == 1 else None


def _without_country(name: str, country: str) -> str:
    """``name`` without ``country``'s name or adjective in it: "Yemen's pro-government forces", "pro-government
    Yemeni forces" -> "pro-government forces" ("Yemeni" and "Sudanese" are "Yemen" and "Sudan" with an ending)."""
    bare = re.sub(rf"\b{re.escape(country)}(?:['’]s|i|ese|n)?\b", " ", name, flags=re.IGNORECASE)
    return _SPACES.sub(" ", bare).strip()


#: two names joined into one adjective: "Turkish-Russian" (auspices), "US/Russian", "Russian–Turkish"
_TWO_IN_ONE = re.compile(r"^\s*(?:the\s+)?([A-Za-z][\w.]*)\s*[-–/]\s*([A-Za-z][\w.]*)\s*$")


def _joined_parties(name: str) -> tuple[str, str] | None:
    """The two known sides a joined name stands for ("Turkish-Russian" -> Turkey, Russia), or None."""
    match = _TWO_IN_ONE.match(name)
    if match is None:
        return None
    first, second = normalize_party(match.group(1)), normalize_party(match.group(2))
    if first == second or first not in _CANONICAL or second not in _CANONICAL:
        return None
    return first, second


def normalize_parties(names: list[str]) -> list[str]:
    """Normalise a list of names, dropping blanks and duplicates while keeping the first order; a name that joins
    two known sides ("Turkish-Russian", as the model copies "under Turkish-Russian auspices") stands for both."""
    seen: dict[str, None] = {}
    for name in names:
        if name and name.strip():
            for party in _joined_parties(name) or (normalize_party(name),):
                seen.setdefault(party, None)
    return list(seen)


#: A side's names and aliases, whole words; and the people and bodies who speak for it (lexicon's SPEAKERS, stems)
_WORD_INDEX: list[tuple[re.Pattern[str], str]] = [
    *(
        (re.compile(rf"(?<![\w-]){re.escape(alias)}(?:'s|’s)?(?![\w-])", re.IGNORECASE), side)
        for alias, side in sorted(_ALIASES.items(), key=lambda kv: -len(kv[0]))
        if alias not in ("both", "both sides", "each side", "total", "us")  # "us" is a pronoun far more often
    ),
    *((re.compile(rf"(?<![\w-]){stem}\w*(?:'s|’s)?(?![\w-])", re.IGNORECASE), side) for stem, side in SPEAKERS.items()),
]


def side_mentions(phrase: str) -> list[tuple[int, str]]:
    """Where a phrase names each side: (offset, side) for every name, nationality word or speaker of the index."""
    return [(match.start(), side) for pattern, side in _WORD_INDEX for match in pattern.finditer(phrase)]


def sides_named_in(phrase: str) -> list[str]:
    """The sides a phrase names, in order of appearance: "Russia's defence ministry" -> ["Russia"],
    "Ukrainian President Volodymyr Zelensky" -> ["Ukraine"], "the FSB" -> ["Russia"]."""
    first: dict[str, int] = {}
    for at, side in side_mentions(phrase):
        first[side] = min(first.get(side, at), at)
    return sorted(first, key=first.__getitem__)


_MOVED = rf"(?:{MOVED_VERBS})"
_MOVED_TO = rf"\b{_MOVED}\s+(?:back\s+)?(?:home\s+)?to\s+(?:the\s+)?"  # "handed back to", "flown home to the"
_TO_SIDE = re.compile(rf"^[^,;.]*?{_MOVED_TO}([A-Z][\w-]+)")
_TO_PLACES = re.compile(rf"{_MOVED_TO}([A-Z][\w.-]*(?:\s+[A-Z][\w-]*)*)")
_FROM_SIDE = re.compile(
    rf"^[^,;.]*?\b{_MOVED}\s+(?:back\s+)?from\s+(?:the\s+)?(?:territory\s+controlled\s+by\s+(?:the\s+)?)?([A-Z][\w-]+)"
)
#: "248 servicemen had been handed over by Ukraine": the side named after a passive handover verb gave them
#: (or right after the people, with no other number between: "10 agents released by Washington")
_BY_SIDE = re.compile(
    rf"^(?:[^,;.]*?\b(?:been|was|were)\s+|[^,;.\d]{{0,30}}?\b){_MOVED}\s+(?:back\s+)?by\s+(?:the\s+)?([A-Z][\w-]+)"
)


_RECEIVED = (
    r"(?:received|receives|receiving|got back|gets back|brought back|brings back|welcomed|obtained|obtains|"
    r"obtaining|accepted|accepts|accepting|took back|takes back|recovered|recovers|retrieved|retrieves|"
    r"secured the release of|secures the release of|won the release of|wins the release of)"
)
_TO_COME = rf"(?:{TO_COME})"  # "will receive", "is to hand over", "agreed to release"
#: between a side and its verb: the day it happened ("Ukraine on Thursday received"), "also", or an aside set off
#: by commas ("Kyiv, meanwhile, repatriated")
_WHEN = rf"(?i:on\s+(?:{WEEKDAYS})|today|yesterday)"
_SUBJECT_GAP = (
    rf"(?:\s*,\s*(?:meanwhile|in\s+turn|for\s+its\s+part|in\s+return|however|too)\s*,\s*|\s+(?:{_WHEN}\s+)?)"
    r"(?:also\s+)?"
)
_RECEIVER_BEFORE = re.compile(
    rf"\b([A-Z][\w-]+){_SUBJECT_GAP}(?:has\s+|had\s+)?(?:{_RECEIVED}|{_TO_COME}\s+(?:receive|get\s+back|take\s+back|"
    r"accept|welcome))\s+(?:the\s+(?:bodies|remains)\s+of\s+)?$"
)
#: "..., the ministry said, adding that it also received 50 people back": the speaker is the receiver
_PRONOUN_RECEIVED_BEFORE = re.compile(
    rf"\b(?:it|they|we)\s+(?:also\s+)?(?:has\s+|have\s+|had\s+)?{_RECEIVED}\s+(?:the\s+(?:bodies|remains)\s+of\s+)?$",
    re.IGNORECASE,
)
#: "Ukraine handed over 40 captured occupiers": the side before the verb gave them
_GIVER_BEFORE = re.compile(
    rf"\b([A-Z][\w-]+){_SUBJECT_GAP}(?:has\s+|had\s+)?(?:handed\s+over|handed\s+back|transferred|sent\s+back|"
    rf"{_TO_COME}\s+(?:hand\s+over|hand\s+back|transfer|send\s+back|release|free))\s+$"
)  # not "freed" or "released": "Ukraine freed 95 soldiers" is said of a side's own people as often as of others;
# but a side that "will release" people under a deal gives them up
#: "Ukraine returns 1003 bodies from Russia", "it has received 1,000 bodies from Russia", "Ukraine returns the bodies
#: of 94 fallen soldiers from Russia": people got back from one side went to the other, whoever the verb's subject
_GOT_BACK_BEFORE = re.compile(rf"\b(?:returns|returned|{_RECEIVED})\s+(?:the\s+(?:bodies|remains)\s+of\s+|the\s+)?$")
_FROM_OTHER = re.compile(r"^[^,;.]*?\bfrom\s+(?:the\s+)?([A-Z][\w-]+)")
#: "... handed over 95 defenders from Russian captivity", "... transferred 40 soldiers home": the subject's own people
_OUT_OF_CAPTIVITY = re.compile(r"^[^,;.]{0,40}?\b(?:from\b[^,;.]{0,30}?\bcaptivity|home)\b", re.IGNORECASE)


#: "Ukraine repatriated 77 bodies": brought its own home, unless the words after send them elsewhere ("... to Kyiv")
_REPATRIATED_BEFORE = re.compile(
    rf"\b([A-Z][\w-]+){_SUBJECT_GAP}(?:has\s+|had\s+)?repatriated\s+(?:the\s+(?:bodies|remains)\s+of\s+)?$"
)
_TO_SOMEONE = re.compile(r"^[^,;.]*?\bto\s+(?:the\s+)?[A-Z]")


def side_received_before(before: str, after: str | None = None) -> str | None:
    """The side that received the people named right after ``before``, when ``before`` ends with "<Side> received":
    "Kyiv has received the bodies of" -> "Ukraine", "Russia got back" -> "Russia", "Israel welcomed" -> "Israel".
    Given the words ``after`` the people, "<Side> repatriated" too, when they send them to no one ("Ukraine
    repatriated 77 bodies", not "Russia repatriated 77 bodies to Ukraine"). The name is normalised but not checked
    against the exchange's parties (the callers do that)."""
    match = _RECEIVER_BEFORE.search(before)
    if match is None and after is not None and not _TO_SOMEONE.match(after):
        match = _REPATRIATED_BEFORE.search(before)
    return normalize_party(match.group(1)) if match is not None else None


def speaker_received_before(before: str) -> bool:
    """Whether ``before`` ends with a pronoun that received the people named right after it ("it also received",
    "they got back"): the sentence's source speaks of its own side's people."""
    return _PRONOUN_RECEIVED_BEFORE.search(before) is not None


def places_moved_to(sentence: str) -> set[str]:
    """Every place a handover verb of ``sentence`` sends people to, normalised, names of several words included:
    "The three flown to the United States were ..." -> {"United States"}. Unlike :func:`side_moved_to` it reads
    the whole sentence and does not check the names against the sides."""
    return {normalize_party(m.group(1)) for m in _TO_PLACES.finditer(sentence)}


#: "handed over 40", "returned the bodies of 69": the handover verb whose object the number is
_VERB_BEFORE = re.compile(
    rf"\b{_MOVED}\s+(?:back\s+)?(?:\w+\s+|(?:the\s+)?(?:{BODY_NOUNS})\s+of\s+(?:the\s+)?)?$", re.IGNORECASE
)
_PEOPLE_TO_SIDE = re.compile(r"^[^,;.]{0,40}?\bto\s+(?:the\s+)?([A-Z][\w-]+)")
#: the verb shared by a second number of the same list: "handed over 12 people to the Azerbaijani side and 44"
_AND_AFTER_SENT = re.compile(
    rf"\b{_MOVED}\s+(?:back\s+)?\d[\d,]*\s+[^,;.\d]{{0,40}}?\bto\s+(?:the\s+)?[A-Z][\w-]+(?:\s+side)?,?\s+and\s+$",
    re.IGNORECASE,
)


#: "84 people – military and civilians – from Russian captivity", "45 people, including 12 civilians held by the
#: Russian forces": whose captivity they left, no other number between
_FROM_CAPTIVITY = re.compile(
    r"^[^;.\d]{0,80}?\b(?:from\s+(?:the\s+)?([A-Z][\w-]+)(?:'s|’s)?\s+(?:captivity|custody|prisons?|jails?)|"
    r"held\s+(?:captive\s+|hostage\s+)?by\s+(?:the\s+)?([A-Z][\w-]+))\b"
)


def side_freed_from(after: str, parties: list[str] | set[str]) -> str | None:
    """The side people went to when the words after their number say whose captivity they left: "84 people from
    Russian captivity", "12 civilians held by the Russian forces" -> Ukraine (the other of two sides). None when that
    is not one of two ``parties``."""
    held = _FROM_CAPTIVITY.match(after)
    if held is None or len(parties) != 2:
        return None
    captor = normalize_party(held.group(1) or held.group(2))
    return next(p for p in parties if p != captor) if captor in parties else None


#: ", which the Russian side claims belong to Ukrainian servicemen," right after a number's people
_RELATIVE_CLAUSE = re.compile(r"^([^,;.]{0,40}),\s+(?:which|who|whom|whose)\b[^,;.]*,")


#: "Hamas released 12 more hostages", "after the Hamas freed 11 additional hostages": the side that let them go
_HOSTAGE_GIVER_BEFORE = re.compile(
    r"\b([A-Z][\w-]+)\s+(?:has\s+|had\s+|have\s+)?(?:released|freed|releases|frees|handed\s+over)\s+$"
)
_HOSTAGES_AFTER = re.compile(r"^\s+(?:[\w-]+\s+){0,2}?hostages?\b(?P<rest>[^,;.]*)", re.IGNORECASE)
#: "the release of 12 more hostages by Hamas": the holder named after them
_BY_HOLDER = re.compile(
    r"^\s*(?:(?:were|have\s+been|had\s+been)\s+)?(?:(?:released|freed|handed\s+over)\s+)?by\s+(?:the\s+)?([A-Z][\w-]+)"
)  # not "hostages captured by Hamas": taken by it, not let go


def side_freed_hostages(before: str, after: str, parties: list[str]) -> str | None:
    """The side that received hostages that the other one let go: "Hamas released 12 more hostages", "the release
    of 12 hostages by Hamas" -> the side that is not Hamas (hostages are never their holder's own people, whatever
    "X freed N soldiers" may mean). ``before`` and ``after`` are the words around the number."""
    hostages = _HOSTAGES_AFTER.match(after)
    if hostages is None or len(parties) != 2:
        return None
    giver = _HOSTAGE_GIVER_BEFORE.search(before) or _BY_HOLDER.match(hostages.group("rest"))
    side = normalize_party(giver.group(1)) if giver else None
    return next(p for p in parties if p != side) if side in parties else None


def side_sent_to(after: str, parties: Collection[str], before: str = "") -> str | None:
    """The side of ``parties`` a verb right before the number sends the people to, named right after them: "Israel
    returned five Lebanese prisoners to Hezbollah"; None when the clause does not say so."""
    if _VERB_BEFORE.search(before) or _AND_AFTER_SENT.search(before):
        sent = _PEOPLE_TO_SIDE.match(after)
        if sent is not None and normalize_party(sent.group(1)) in parties:
            return normalize_party(sent.group(1))
    return None


def side_moved_to(after: str, parties: list[str] | set[str], before: str = "") -> str | None:
    """The side people went to, read from the verb of their clause (``after`` is the text after their number,
    ``before`` the text before it): "120 captured soldiers have now been handed over to Ukraine" (Ukraine),
    "120 soldiers were released from Kyiv's custody" and "248 servicemen had been handed over by Ukraine" (the other
    of two sides), "Russia delivered 615 bodies to Ukraine" (Ukraine). None when the clause names no side of
    ``parties``. A relative clause between the people and their verb is skipped ("1,003 bodies, which the Russian
    side claims belong to Ukrainian servicemen, were returned to Ukraine")."""
    after = _RELATIVE_CLAUSE.sub(r"\1", after, count=1)
    sent_to = side_sent_to(after, parties, before)
    if sent_to is not None:
        return sent_to
    to = _TO_SIDE.match(after)
    if to is not None and normalize_party(to.group(1)) in parties:
        return normalize_party(to.group(1))
    got, source = _GOT_BACK_BEFORE.search(before[-60:]), _FROM_OTHER.match(after)
    if got is not None and source is not None and len(parties) == 2 and normalize_party(source.group(1)) in parties:
        return next(p for p in parties if p != normalize_party(source.group(1)))
    source = _FROM_SIDE.match(after) or _BY_SIDE.match(after)
    if source is not None and len(parties) == 2 and normalize_party(source.group(1)) in parties:
        return next(p for p in parties if p != normalize_party(source.group(1)))
    freed = side_freed_from(after, parties)
    if freed is not None:
        return freed
    giver = _GIVER_BEFORE.search(before[-60:])
    gave = giver is not None and len(parties) == 2 and normalize_party(giver.group(1)) in parties
    if giver is not None and gave and not _OUT_OF_CAPTIVITY.match(after):
        return next(p for p in parties if p != normalize_party(giver.group(1)))  # "Ukraine handed over 40 soldiers"
    return None


#: "the Iran-aligned Houthi group received 58 bodies", "Ukraine has got back 90": the clause's subject before a verb
#: of receiving, right before the number
_RECEIVED_BEFORE = re.compile(
    r"(?P<who>[^,;:.!?\n]{1,80}?)\s+(?:has\s+|have\s+|had\s+)?(?:received|receives|got\s+back|gets\s+back|"
    r"took\s+back|takes\s+back|took\s+delivery\s+of)\s+(?:(?:back|another|a\s+further|the\s+(?:bodies|remains)\s+of|"
    r"about|around|nearly|almost|over|more\s+than)\s+){0,2}$",
    re.IGNORECASE,
)


def side_that_received(before: str, parties: list[str]) -> str | None:
    """The side a clause says received the people counted right after ``before`` ("The Saudi delegation received
    six", "and the Iran-aligned Houthi group received 58 bodies": of the sides its subject names, the last, the one
    nearest the verb). None when no verb of receiving comes right before the number or its subject names no side."""
    found = _RECEIVED_BEFORE.search(before)
    # the side named last in the subject, nearest the verb ("Moscow said it received": Moscow's, not Russia's first)
    named = [(at, side) for at, side in side_mentions(found.group("who")) if side in parties] if found else []
    return max(named)[1] if named else None


def receiver_in_clause(before: str, after: str, parties: list[str]) -> str | None:
    """The side people went to as the words of their clause tell it (``before`` and ``after`` are the text before and
    after their number), asked in turn: the subject of a verb of receiving (:func:`side_that_received`), the verb
    that moves them (:func:`side_moved_to`, which also reads whose captivity they left), the holder that let
    hostages go (:func:`side_freed_hostages`), and people called the government's (:func:`government_side_after`).
    None when the clause names no side of ``parties``."""
    return (
        side_that_received(before, parties)
        or side_moved_to(after, parties, before=before)
        or side_freed_hostages(before[-60:], after, parties)
        or government_side_after(after, parties)
    )


_HOME_AFTER = re.compile(
    r"^[^,;.]{0,40}?\b(?:(?:returned|returning|came|come|coming|got|brought)\s+(?:back\s+)?(?:home|to\s+(?:the|their)\s+"
    r"(?:country|homeland|native\s+soil))"
    r"|(?:returned|released|freed)\s+from\s+(?:[\w'’-]+\s+)?captivity"
    r"|(?:have|has|had)\s+been\s+returned(?!\s+(?:to|by|from)\b))\b",
    re.IGNORECASE,
)
_RETURN_OF_BEFORE = re.compile(
    r"\b(?:(?:return|homecoming)\s+of|(?:brought|bring|brings|bringing)\s+(?:back(?:\s+home)?|home))\s+"
    r"(?:the\s+|another\s+|a\s+further\s+)?$",
    re.I,
)


def returns_home(after: str, before: str = "") -> bool:
    """True when the words around a number say its people came home without saying whose home: "230 people had
    returned home", "94 servicemen have been returned from captivity", "the return of 90 servicemen", "the exchange,
    which brought back 45 people" (``after`` and
    ``before`` are the text after and before the number). A side's own source speaks so of its own people, so the
    source's side received them."""
    return bool(_HOME_AFTER.match(after) or _RETURN_OF_BEFORE.search(before))
