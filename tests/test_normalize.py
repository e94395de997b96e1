"""Party and mediator names: the aliases a news text uses map to one canonical name."""

from __future__ import annotations

import pytest

from pow_extract.text.normalize import is_known_party, normalize_party

ALIASES: list[tuple[str, str]] = [
    # the sides and mediators of the real-news dev set, as their articles name them
    ("Houthi", "Houthis"),
    ("the Houthis", "Houthis"),
    ("Houthi rebels", "Houthis"),
    ("Yemeni government", "Yemen government"),
    ("the legitimate government", "Yemen government"),
    ("Saudi-led coalition", "Yemen government"),
    ("RSF", "Rapid Support Forces"),
    ("the Rapid Support Forces", "Rapid Support Forces"),
    ("Sudanese army", "Sudanese Armed Forces"),
    ("Sudan's army", "Sudanese Armed Forces"),
    ("SAF", "Sudanese Armed Forces"),
    ("Salvadoran", "El Salvador"),
    ("Swedish", "Sweden"),
    ("Stockholm", "Sweden"),
    ("Omani", "Oman"),
    ("Muscat", "Oman"),
    ("the UN", "United Nations"),
    ("U.N.", "United Nations"),
    ("the International Red Cross", "International Committee of the Red Cross"),
    ("ICRC", "International Committee of the Red Cross"),
    # group suffixes still fold onto the side ("Omani officials", "the Swedish government")
    ("Omani officials", "Oman"),
    ("the Swedish government", "Sweden"),
    # names that were known before keep their meaning
    ("Kyiv", "Ukraine"),
    ("Saudi Arabia", "Saudi Arabia"),
    ("the UAE", "United Arab Emirates"),
]


@pytest.mark.parametrize(("alias", "canonical"), ALIASES)
def test_alias_maps_to_its_canonical_name(alias: str, canonical: str) -> None:
    assert normalize_party(alias) == canonical
    assert is_known_party(alias)


@pytest.mark.parametrize("name", ["Reporters Without Borders", "Yemen", "Sudan", "the government"])
def test_names_that_are_not_aliases_pass_through(name: str) -> None:
    assert normalize_party(name) == name.removeprefix("the ")
    assert not is_known_party(name)
