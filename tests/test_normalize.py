"""Party and mediator names: the aliases a news text uses map to one canonical name."""

from __future__ import annotations

import pytest

from pow_extract.text.lexicon import nationality_after
from pow_extract.text.normalize import (
    government_side_after,
    group_after,
    is_known_party,
    normalize_parties,
    normalize_party,
    places_moved_to,
    receiver_in_clause,
    returns_home,
    side_freed_from,
    side_freed_hostages,
    side_moved_to,
    side_received_before,
    speaker_received_before,
    state_sides,
)

ALIASES: list[tuple[str, str]] = [
    # the sides and mediators of the real-news dev set, as their articles name them
    ("Houthi", "Houthis"),
    ("the Houthis", "Houthis"),
    ("Houthi rebels", "Houthis"),
    ("Huthi rebels", "Houthis"),  # AFP's spelling
    ("Yemen rebels", "Houthis"),
    ("Houthi\n   rebels", "Houthis"),  # a name broken over lines
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
    # an abbreviation with its dots dropped or spaced, as a model writes it
    ("U.S", "United States"),
    ("the U.S.", "United States"),
    ("U. S.", "United States"),
    ("U.S.A", "United States"),
    ("the International Red Cross", "International Committee of the Red Cross"),
    ("ICRC", "International Committee of the Red Cross"),
    # group suffixes still fold onto the side ("Omani officials", "the Swedish government")
    ("Omani officials", "Oman"),
    ("the Swedish government", "Sweden"),
    # a longer name is the name of the side that ends it: its head noun ("Iranian-backed Houthis" are Houthis)
    ("Iranian-backed Houthis", "Houthis"),
    ("Yemen's Houthi rebels", "Houthis"),
    ("the internationally recognised government", "Yemen government"),
    ("Yemen's internationally-recognized government", "Yemen government"),  # hyphenated
    ("the Yemeni army", "Yemen government"),  # the state's forces are its side
    ("the self-proclaimed Donetsk People's Republic", "Russia-backed separatists"),  # the Donbas war's other side
    ("Donbas", "Russia-backed separatists"),
    ("Turkish intelligence", "Turkey"),
    ("Ukraine's Coordination Headquarters", "Ukraine"),
    # armed groups that trade prisoners with a state, and the state's side named as its government or regime
    ("the Taliban", "Taliban"),
    ("Afghan National Army", "Afghan government"),
    ("Hizbollah", "Hezbollah"),
    ("Boko Haram", "Boko Haram"),
    ("the FARC", "FARC"),
    ("Revolutionary Armed Forces of Colombia", "FARC"),
    ("HTS", "Hayat Tahrir al-Sham"),
    ("Daesh", "Islamic State"),
    ("ISIS", "Islamic State"),
    ("the Daesh terror group", "Islamic State"),
    ("al-Nusra Front", "Nusra Front"),
    ("SDF", "Syrian Democratic Forces"),
    ("Syria", "Syrian government"),  # one name for "Syria" and "the Syrian government" in gold and answers alike
    ("Syria Regime", "Syrian government"),
    ("Bashar Al-Assad Regime", "Syrian government"),
    ("Afghanistan Government", "Afghan government"),  # one name for the state before 2021, in gold and answers
    ("Nigeria", "Nigerian government"),  # as "Syria": the state's side has one name
    ("Rakhine Arakan Army", "Arakan Army"),
    ("Myanmar's military", "Myanmar military"),
    ("Tigray rebel forces", "Tigray People's Liberation Front"),
    ("TPLF", "Tigray People's Liberation Front"),
    ("Abu Sayyaf group", "Abu Sayyaf"),
    ("National Army Factions", "Syrian National Army"),
    ("Libyan National Army", "Libyan National Army"),  # not Syria's: the longest known name wins
    ("Khalifa Haftar’s forces", "Libyan National Army"),  # a typeset apostrophe is an apostrophe
    ("Yemen’s government", "Yemen government"),
    ("Bosnian-Herzegovina", "Bosnian government"),
    ("Bosnian Serb forces", "Bosnian Serbs"),
    ("Joint Force", "Darfur Joint Force"),
    # monitors and aid bodies named after a country are not that country's side
    ("Syrian Observatory for Human Rights", "Syrian Observatory for Human Rights"),
    ("Syrian Arab Red Crescent", "Red Crescent"),
    ("the Syrian opposition", "Syrian rebels"),
    # bodies known by their acronyms
    ("the EU", "European Union"),
    ("OSCE", "Organization for Security and Cooperation in Europe"),
    # names that were known before keep their meaning
    ("Kyiv", "Ukraine"),
    ("Saudi Arabia", "Saudi Arabia"),
    ("the UAE", "United Arab Emirates"),
]


@pytest.mark.parametrize(("alias", "canonical"), ALIASES)
def test_alias_maps_to_its_canonical_name(alias: str, canonical: str) -> None:
    assert normalize_party(alias) == canonical
    assert is_known_party(alias)


@pytest.mark.parametrize(
    "name", ["Reporters Without Borders", "Yemen", "Sudan", "the government", "Iraqi Kurds", "Bosnian Croats"]
)
def test_names_that_are_not_aliases_pass_through(name: str) -> None:
    assert normalize_party(name) == name.removeprefix("the ")
    assert not is_known_party(name)


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("de facto South Ossetia", "South Ossetia"),  # its standing is no part of its name
        ("the self-proclaimed Republic of Artsakh", "Republic of Artsakh"),
        ("the so-called Islamic State", "Islamic State"),
        ("the de facto Houthi authorities", "Houthis"),  # and what is left may be a known side
        ("De Facto", "De Facto"),  # nothing left: the name as it was
    ],
)
def test_words_on_a_sides_standing_are_no_part_of_its_name(name: str, canonical: str) -> None:
    assert normalize_party(name) == canonical


@pytest.mark.parametrize(
    ("names", "parties"),
    [
        (["Turkish-Russian"], ["Turkey", "Russia"]),  # "under Turkish-Russian auspices": both guaranteed it
        (["Russian–Turkish", "Turkey"], ["Russia", "Turkey"]),  # each side once
        (["US/Russian"], ["United States", "Russia"]),
        (["Iranian-backed"], ["Iranian-backed"]),  # one known name: not two sides
        (["Russia-Russia"], ["Russia-Russia"]),
    ],
)
def test_a_name_joining_two_known_sides_stands_for_both(names: list[str], parties: list[str]) -> None:
    assert normalize_parties(names) == parties


# (the text after a number, the side its verb says the people went to, of Ukraine and Russia)
MOVED: list[tuple[str, str | None]] = [
    (" captured soldiers have now been handed over to Ukraine.", "Ukraine"),
    (" soldiers were released from Kyiv's custody.", "Russia"),  # from one side: the other
    (" soldiers were handed back from Kyiv on Friday.", "Russia"),
    (" soldiers were handed over to Turkey.", None),  # not a side of the exchange
    (" soldiers, and 20 were handed over to Ukraine.", None),  # another clause's verb
    (" soldiers were seen near Kharkiv.", None),
    (" soldiers had been handed over by Kyiv.", "Russia"),  # the passive's agent gave them
    (" soldiers were freed by Turkey.", None),  # not a side of the exchange
    (" bodies, which the Russian side says are soldiers, were returned to Ukraine.", "Ukraine"),  # past the "which"
]


@pytest.mark.parametrize(("after", "side"), MOVED, ids=[row[0][:40] for row in MOVED])
def test_the_side_people_went_to_is_read_from_the_verb_of_their_clause(after: str, side: str | None) -> None:
    assert side_moved_to(after, ["Ukraine", "Russia"]) == side


# (the text after a number, the side its nationality names)
NATIONALITY: list[tuple[str, str | None]] = [
    (" Russian servicemen", "Russia"),
    (" badly injured Ukrainian captives", "Ukraine"),
    (" prisoners, Russian officials said", None),  # after a comma: another phrase
    (" prisoners from Ukrainian jails", None),  # after a preposition
    (" soldiers and 50 Russians", None),  # after another number
    (" were freed by Ukrainian forces", None),  # after a verb
    (" Houthi prisoners", "Houthis"),  # a group's people are named like a nation's
    (" Cambodian prisoners of war", "Cambodia"),  # every country's nationality word (countryinfo's)
    (" Thais and two Israelis", "Thailand"),  # and its plural
    (" Palestinian prisoners", "Hamas"),  # the project's own word comes over the country's (Palestine)
    (" other detained Iranian Americans", "United States"),  # of two nationality words, the head noun's
    (" Russian soldiers and Ukrainian civilians", "Russia"),  # the first run's
    (" prisoners of war of the Armed Forces of Ukraine were handed over", "Ukraine"),  # whose forces they are
    (" servicemen of the Russian army", "Russia"),
    (" soldiers of the army were freed", None),  # forces of no side named
    (" captives of the armed forces of Ukraine and Russia", None),  # "and" ends the phrase: no side left
]


@pytest.mark.parametrize(("after", "side"), NATIONALITY, ids=[row[0][:40] for row in NATIONALITY])
def test_the_nationality_of_people_is_read_from_the_noun_phrase_after_their_number(
    after: str, side: str | None
) -> None:
    assert nationality_after(after) == side


# (the text before a number, after it, the side its verb says the people went to)
SENT: list[tuple[str, str, str | None]] = [
    ("Russia delivered ", " bodies to Ukraine that morning.", "Ukraine"),
    ("Russia once again returned ", " Ukrainian bodies to Kyiv.", "Ukraine"),
    ("Russia said ", " soldiers went to Ukraine.", None),  # no handover verb before the number
    ("Russia said ", " soldiers, and 49 went to Ukraine.", None),  # "to Ukraine" is another clause's
    ("Russia handed over ", " soldiers, and 49 went to Ukraine.", "Ukraine"),  # the giver's other side got them
    ("Ukraine handed over ", " captured occupiers.", "Russia"),
    ("Ukraine returned the bodies of ", " soldiers to Russia.", "Russia"),  # the verb's object: the bodies of N
    ("Moscow trades ", " prisoners of war to Kyiv in exchange for 56 men", "Ukraine"),  # a headline's present tense
    ("Russia also transferred ", " prisoners.", "Ukraine"),
    ("Kyiv sent back ", " soldiers in the exchange.", "Russia"),
    ("Ukraine freed ", " soldiers in the exchange.", None),  # "freed" is said of a side's own people too
    ("Ukraine handed over ", " defenders from Russian captivity.", "Ukraine"),  # its own people, from the other side
    ("Ukraine transferred ", " soldiers home.", None),
    ("The army handed over ", " soldiers.", None),  # no side before the verb
    ("Ukraine returns ", " bodies from Russia", "Ukraine"),  # got back from the other side: its own
    ("Ukraine returns ", " bodies from Belarus", None),  # from no side of the exchange
    # the day or "also" between the side and its verb
    ("Ukraine on Thursday received ", " bodies from Russia that Moscow said were", "Ukraine"),
    ("Kyiv today got back ", " soldiers from Russia", "Ukraine"),
    ("Russia on Friday handed over ", " soldiers.", "Ukraine"),
    ("Ukraine on Thursday said Moscow received ", " bodies.", None),  # no "from" the other side: whose, not said
    # whoever the subject: people got back from one side went to the other
    ("Ukraine said on Sept. 18 that it has received ", " bodies from Russia.", "Ukraine"),
    ("They got back ", " soldiers from Kyiv", "Russia"),
    ("Ukraine returns the bodies of ", " fallen soldiers from Russia", "Ukraine"),  # the verb's object: the bodies
    # a second number of a list shares the first one's verb
    ("The commander handed over 12 people to the Russian side and ", " people to the Ukrainian side.", "Ukraine"),
    ("Officials counted 12 people at the Russian border and ", " people to the Ukrainian side.", None),  # no verb
]


@pytest.mark.parametrize(("before", "after", "side"), SENT, ids=[row[0] + "N" + row[1][:30] for row in SENT])
def test_the_side_people_were_sent_to_is_read_from_the_verb_before_them(
    before: str, after: str, side: str | None
) -> None:
    assert side_moved_to(after, ["Ukraine", "Russia"], before=before) == side


# (the text after a number, the side its people went to, having left the other side's captivity)
FREED_FROM: list[tuple[str, str | None]] = [
    (" people – military and civilians – from Russian captivity.", "Ukraine"),
    (" soldiers were freed from Russia's custody", "Ukraine"),
    (" servicemen from Ukrainian prisons", "Russia"),
    (" prisoners of war, including Mariupol defenders, were returned from Russian captivity.", "Ukraine"),
    (" soldiers from captivity", None),  # nobody's captivity named
    (" soldiers and 20 from Russian captivity", None),  # another number's words
    (" people from Turkish prisons", None),  # not a side of this exchange
    (" people, including twelve civilians held by the Russian forces, were released", "Ukraine"),  # the captor
    (" soldiers held captive by Ukraine", "Russia"),
    (" soldiers held by Turkey", None),  # not a side of this exchange
    (" soldiers and 20 held by Russia", None),  # another number's words
]


@pytest.mark.parametrize(("after", "side"), FREED_FROM, ids=[row[0][:40] for row in FREED_FROM])
def test_people_freed_from_one_sides_captivity_went_to_the_other(after: str, side: str | None) -> None:
    assert side_freed_from(after, ["Ukraine", "Russia"]) == side


# (the text before a number or a name, the side it says received them)
RECEIVED: list[tuple[str, str | None]] = [
    ("On Friday Kyiv received ", "Ukraine"),
    ("Moscow has received the bodies of ", "Russia"),  # bodies handed over
    ("Ukraine had received the remains of ", "Ukraine"),
    ("In the swap Russia got back ", "Russia"),
    ("Ukraine gets back ", "Ukraine"),
    ("Ukraine brought back ", "Ukraine"),
    ("Israel welcomed ", "Israel"),
    ("with Russia obtaining ", "Russia"),  # any verb of receiving
    ("Kyiv accepted ", "Ukraine"),
    ("Moscow, in turn, received ", "Russia"),  # an aside set off by commas between the side and its verb
    ("Moscow, in turn, said it received ", None),  # a clause, not an aside
    ("Officials said Kyiv is receiving ", None),  # "is receiving": no has/had before the verb
    ("Kyiv received them and ", None),  # the verb is not right before the people
    ("the ministry received ", None),  # no name: nobody's side
    ("Russia also received ", "Russia"),
    ("Ukraine on Thursday received ", "Ukraine"),
    ("Ukraine yesterday received ", "Ukraine"),
    ("On October 18, Ukraine recovered the remains of ", "Ukraine"),  # got its own dead back
    ("Russia also secured the release of ", "Russia"),
]


@pytest.mark.parametrize(
    ("before", "received"),
    [
        ("the ministry said it also received ", True),
        ("they got back ", True),
        ("we have brought back ", True),
        ("it said ", False),
        ("it received them and ", False),
    ],
)
def test_a_pronoun_that_received_people_is_the_speaker_receiving_its_own(before: str, received: bool) -> None:
    assert speaker_received_before(before) is received


@pytest.mark.parametrize(("before", "side"), RECEIVED, ids=[row[0] for row in RECEIVED])
def test_the_side_that_received_people_is_read_from_the_verb_before_them(before: str, side: str | None) -> None:
    assert side_received_before(before) == side


@pytest.mark.parametrize(
    ("before", "after", "side"),
    [
        ("Meanwhile, Ukraine repatriated ", " bodies, its headquarters said.", "Ukraine"),  # brought its own home
        ("Kyiv, meanwhile, repatriated ", " bodies, its headquarters said.", "Ukraine"),
        ("Ukraine has repatriated the bodies of ", " soldiers.", "Ukraine"),
        ("Russia repatriated ", " bodies to Ukraine.", None),  # sent to someone: not its own
    ],
)
def test_a_side_that_repatriated_people_sent_to_no_one_else_received_them(
    before: str, after: str, side: str | None
) -> None:
    assert side_received_before(before, after) == side
    assert side_received_before(before) is None  # without the words after, nothing is read


# (a sentence, every place its handover verbs send people to)
PLACES: list[tuple[str, set[str]]] = [
    ("The two flown to the United States were named on Monday.", {"United States"}),  # a name of two words
    ("Four were handed back to Kyiv and one returned home to Moscow.", {"Ukraine", "Russia"}),
    ("Officials travelled to Ankara for the talks.", set()),  # not a handover verb
]


@pytest.mark.parametrize(("sentence", "places"), PLACES, ids=[row[0][:40] for row in PLACES])
def test_every_place_a_handover_verb_sends_people_to_is_read(sentence: str, places: set[str]) -> None:
    assert places_moved_to(sentence) == places


# (the text before a number, the text after it, whether its people came home without a side named for them)
HOME: list[tuple[str, str, bool]] = [
    ("the headquarters said ", " people had returned home, among them 224 servicemen", True),
    ("the ministry reported the return of ", " servicemen, while Kiev says", True),
    ("Zelensky welcomed the homecoming of another ", " defenders", True),
    ("", " soldiers came back home on Friday", True),
    ("the ministry confirmed that ", " servicemen have been returned from captivity", True),
    ("", " defenders were freed from Russian captivity", True),  # whose captivity is not whose home
    ("", " soldiers were handed over to Ukraine", False),  # a destination, not a home-coming
    ("the ministry reported ", " servicemen were freed", False),
    ("", " soldiers, the ministry said, after months in captivity. Others returned home", False),  # another clause
    ("Ukraine said ", " prisoners of war were being returned to the country", True),
    ("", " of our people have returned to their native soil!", True),
    ("", " soldiers were returned to their units", False),  # not home
    ("its latest prisoner exchange with Russia which brought back ", " people", True),
    ("the swap brought back home another ", " soldiers", True),
    ("Ukraine said it had brought home ", " people", True),
    ("the trucks brought ", " bodies back to Ukraine", False),  # "back" after the people: read by where they went
    ("the ministry said ", " servicemen had been returned as part of the deal", True),  # returned, to no place named
    ("the ministry said ", " servicemen had been returned by Kyiv", False),  # who gave them: read by the "by"
]


@pytest.mark.parametrize(("before", "after", "home"), HOME, ids=[row[0] + "N" + row[1][:30] for row in HOME])
def test_people_said_to_come_home_without_a_side_are_read_from_the_words_around_their_number(
    before: str, after: str, home: bool
) -> None:
    assert returns_home(after, before) is home


@pytest.mark.parametrize(
    ("name", "kept"),
    [("Coordination Headquarters", "Coordination Headquarters"), ("UN Security Council", "UN Security Council"),
     ("the Coordination\n   Headquarters", "Coordination Headquarters"), ("Russia and Ukraine", "Russia and Ukraine"),
     ("a total of 478", "a total of 478")],
)  # fmt: skip
def test_a_name_that_names_no_side_passes_through(name: str, kept: str) -> None:
    assert normalize_party(name) == kept  # "UN" is too short to be looked for inside a longer name; spaces folded


@pytest.mark.parametrize(
    ("before", "after", "side"),
    [
        ("Netanyahu's office confirmed that Hamas released ", " more hostages, on the fifth day", "Israel"),
        ("Israel confirms the release of ", " more hostages by Hamas", "Israel"),
        ("", " hostages were freed by Hamas on Sunday", "Israel"),
        ("Of the ", " hostages captured by Hamas, a third are free", None),  # taken by Hamas, not let go
        ("Hamas freed ", " soldiers", None),  # not hostages: whose people "freed" soldiers are, the words do not say
        ("Israel released ", " Palestinian prisoners", None),  # prisoners, not hostages
    ],
)
def test_hostages_a_side_let_go_went_to_the_other_side(before: str, after: str, side: str | None) -> None:
    assert side_freed_hostages(before, after, ["Israel", "Hamas"]) == side


@pytest.mark.parametrize(
    ("after", "parties", "side"),
    [
        (" pro-government soldiers were set free", ["Yemen government", "Houthis"], "Yemen government"),
        (" loyalist fighters", ["Houthis", "Yemen government"], "Yemen government"),
        (" Yemeni government prisoners", ["Houthis", "Yemen government"], "Yemen government"),
        (" government troops", ["Sudanese Armed Forces", "Rapid Support Forces"], "Sudanese Armed Forces"),
        (" Houthi rebels", ["Yemen government", "Houthis"], None),  # the group's own people: not the government's
        (" government troops", ["Russia", "Ukraine"], None),  # no armed group: whose government is not said
    ],
)
def test_people_a_number_calls_the_governments_go_to_the_states_side_against_an_armed_group(
    after: str, parties: list[str], side: str | None
) -> None:
    assert government_side_after(after, parties) == side


@pytest.mark.parametrize(
    ("parties", "renames"),
    [
        (["Sudan", "Rapid Support Forces"], {"Sudan": "Sudanese Armed Forces"}),
        (["Houthis", "pro-government forces"], {"pro-government forces": "Yemen government"}),
        (["Houthis", "the loyalists"], {"the loyalists": "Yemen government"}),
        (["Houthis", "pro-government fighters"], {"pro-government fighters": "Yemen government"}),
        (["Syrian rebels", "Government Forces"], {"Government Forces": "Syrian government"}),
        (["Yemen's pro-government forces", "Houthis"], {"Yemen's pro-government forces": "Yemen government"}),
        (["Houthis", "pro-government Yemeni forces"], {"pro-government Yemeni forces": "Yemen government"}),
        (
            ["Sudanese government forces", "Rapid Support Forces"],
            {"Sudanese government forces": "Sudanese Armed Forces"},
        ),
        (["Nigeria", "Boko Haram"], {"Nigeria": "Nigerian government"}),
        (["Taliban", "Afghanistan"], {"Afghanistan": "Afghan government"}),
        (["Myanmar", "Arakan Army"], {"Myanmar": "Myanmar military"}),
        (["Tigray People's Liberation Front", "government forces"], {"government forces": "Ethiopia"}),
        (["Government", "FARC"], {"Government": "Colombia"}),
        (["Syrian National Army", "Syrian government forces"], {"Syrian government forces": "Syrian government"}),
        (["Afghanistan", "United States"], {}),  # no armed group beside it: the country stays
        (["Colombia", "FARC"], {}),  # the state's side already has its name: nothing to rename
        (["Yemeni businessmen", "Houthis"], {}),  # the country's people, not its government's side
        (["Russia", "government forces"], {}),  # no armed group: whose government is not said
    ],
)
def test_the_states_side_beside_an_armed_group_is_its_country_or_its_government_named_so(
    parties: list[str], renames: dict[str, str]
) -> None:
    assert state_sides(parties) == renames


@pytest.mark.parametrize(
    ("before", "after", "parties", "side"),
    [
        ("", " soldiers were handed over to Ukraine.", ["Ukraine", "Russia"], "Ukraine"),  # the verb moves them
        ("", " people were freed from Russian captivity.", ["Ukraine", "Russia"], "Ukraine"),  # whose captivity
        ("Hamas released ", " more hostages.", ["Israel", "Hamas"], "Israel"),  # the holder let them go
        ("", " pro-government soldiers.", ["Houthis", "Yemen government"], "Yemen government"),  # the state's
        ("", " soldiers were freed.", ["Ukraine", "Russia"], None),  # no side in the clause
        # the subject of a verb of receiving, the side it names nearest the verb
        ("The Saudi delegation received ", " of its soldiers.", ["Saudi Arabia", "Houthis"], "Saudi Arabia"),
        ("and the Iran-aligned Houthi group received ", " bodies.", ["Saudi Arabia", "Houthis"], "Houthis"),
        (
            "Russia and Ukraine swapped prisoners, and Moscow said it received ",
            " men.",
            ["Ukraine", "Russia"],
            "Russia",
        ),
        ("The Red Cross received ", " detainees.", ["Ukraine", "Russia"], None),  # no side: a go-between
    ],
)
def test_the_receiver_of_a_clause_is_read_from_its_verb_its_holder_or_its_people(
    before: str, after: str, parties: list[str], side: str | None
) -> None:
    assert receiver_in_clause(before, after, parties) == side


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("the French government", "France"),  # any country's state, named by its nationality word
        ("Kenyan authorities", "Kenya"),
        ("Syrian authorities", "Syrian government"),  # and then by the side's own name
        ("French fries", "French fries"),  # a nationality before any other noun is no state
        ("Ethiopia's Federal Army", "Ethiopia"),  # or by the country's possessive
        ("Sudan’s armed forces", "Sudan"),
        ("Tigray's forces", "Tigray's forces"),  # a region is no country
        ("Ethiopia's coffee", "Ethiopia's coffee"),  # nor is anything but its state or forces
        # the same words after either: the state's officials or its forces
        ("the Kenyan army", "Kenya"),
        ("Kenya's officials", "Kenya"),
    ],
)
def test_a_countrys_state_named_by_its_nationality_word_is_that_country(name: str, canonical: str) -> None:
    assert normalize_party(name) == canonical


@pytest.mark.parametrize(
    ("after", "group"),
    [
        (" Boko Haram commanders were released", "Boko Haram"),  # a two-word name, then what its people are
        (" Hamas militants", "Hamas"),
        (" Taliban fighters", "Taliban"),
        (" RSF soldiers", "Rapid Support Forces"),  # the name's abbreviation
        (" Hamas hostages", None),  # hostages a group holds are not its own people
        (" prisoners held by Hamas", None),  # the group named later, not right after the number
        (" Boko Haram", None),  # no word saying they are its people
    ],
)
def test_the_armed_group_whose_members_follow_a_number_is_read(after: str, group: str | None) -> None:
    assert group_after(after) == group
