"""The one name matcher: whether two names of a person or body denote the same one.

Used by the coding rules (is the source a sentence names the one the model gave? is a "released person" the
official quoted?) and by the scorer (claimants and released people against gold), so both judge names alike.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

from pow_extract.text.normalize import normalize_party

_NON_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"(\w)['’`]s\b")
_STOPWORDS = frozenset({"the", "of", "for", "and", "a", "an", "s", "de", "on", "in"})
_SPELLING = {"defense": "defence", "center": "centre", "organization": "organisation"}
_TITLES = frozenset(
    {
        "president",
        "prime",
        "minister",
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "sir",
        "madam",
        "gen",
        "general",
        "lt",
        "lieutenant",
        "col",
        "colonel",
        "maj",
        "major",
        "capt",
        "captain",
        "sen",
        "senator",
        "rep",
        "deputy",
        "vice",
        "foreign",
        "chief",
        "head",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "commander",
        "ombudsman",
        "envoy",
        "ambassador",
        "secretary",
        "chairman",
        "chair",
        "pope",
        "king",
        "queen",
        "emir",
        "sheikh",
        "crown",
        "prince",
        "official",
        "former",
        "acting",
        "human",
        "rights",
        "commissioner",
        "adviser",
        "advisor",
        "aide",
        "press",
    }
)
_GENERIC = frozenset(
    {
        "ministry",
        "ministries",
        "office",
        "headquarters",
        "hq",
        "service",
        "services",
        "staff",
        "council",
        "committee",
        "agency",
        "department",
        "government",
        "command",
        "forces",
        "force",
        "army",
        "military",
        "navy",
        "side",
        "authorities",
        "authority",
        "officials",
        "official",
        "media",
        "outlet",
        "news",
        "channel",
        "telegram",
        "centre",
        "bureau",
        "commission",
        "commissioner",
        "ombudsman",
        "parliament",
        "administration",
        "coordination",
        "intelligence",
        "directorate",
        "guard",
        "police",
        "source",
        "sources",
        "defence",
        "war",
        "prisoners",
    }
)


def fold(text: str) -> str:
    """Lower-case ASCII: diacritics removed, apostrophes and quotes normalised."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _country(token: str) -> str | None:
    """The canonical party a single lower-case token names ("russian" -> "Russia"), or None."""
    canonical = normalize_party(token)
    if canonical == token or canonical == "both":
        return None
    return canonical.casefold()


def _name_parts(name: str) -> tuple[list[str], set[str]]:
    """Normalised words of a name, and those of them that are countries."""
    text = _POSSESSIVE.sub(r"\1", fold(name))
    text = _NON_WORD.sub(" ", text)
    tokens: list[str] = []
    countries: set[str] = set()
    for raw in _SPACES.split(text.strip()):
        if not raw or raw in _STOPWORDS:
            continue
        country = _country(raw)
        if country is not None:
            countries.add(country)
            tokens.append(country)
        else:
            tokens.append(_SPELLING.get(raw, raw))
    return tokens, countries


def names_match(a: str | None, b: str | None, *, surname_threshold: float = 85.0) -> bool:
    """Whether two names of a person or body (claimants, released people) denote the same one.

    Case, diacritics, punctuation, possessives and stop words are ignored, demonyms are mapped to countries.
    Names of different countries never match. Otherwise they match when (1) their words are the same up to
    order and small spelling differences (``token_sort_ratio`` >= 90), or (2) the words of one (at least two,
    countries aside) are all among the words of the other ("Coordination Headquarters" in "Ukraine's
    Coordination Headquarters for the Treatment of Prisoners of War"), or (3) both are people (their last word,
    titles and countries removed, is not a generic word like "ministry") and their surnames have a fuzzy ratio
    of at least ``surname_threshold`` ("Zelenskyy" ~ "President Volodymyr Zelensky").
    """
    if not a or not b:
        return False
    ta, ca = _name_parts(a)
    tb, cb = _name_parts(b)
    if not ta or not tb:
        return False
    if ca and cb and not ca & cb:
        return False
    if fuzz.token_sort_ratio(" ".join(ta), " ".join(tb)) >= 90:
        return True
    wa, wb = set(ta) - ca, set(tb) - cb
    small, large = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if len(small) >= 2 and small <= large:
        return True
    pa = [t for t in ta if t not in ca and t not in _TITLES]
    pb = [t for t in tb if t not in cb and t not in _TITLES]
    if not pa or not pb or pa[-1] in _GENERIC or pb[-1] in _GENERIC or min(len(pa[-1]), len(pb[-1])) < 3:
        return False
    return bool(fuzz.ratio(pa[-1], pb[-1]) >= surname_threshold)
