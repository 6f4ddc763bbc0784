"""The distress safety net: real phrasings (Flemish, misspelt) fire with the right kind and help
lines; harmless look-alikes do not."""
import time

import pytest

from bot import safety
from bot.safety import Kind

DISTRESS = [
    # suicide and self-harm
    ("ik wil dood", Kind.SUICIDE),
    ("k wil dood", Kind.SUICIDE),
    ("kwil gewoon dood", Kind.SUICIDE),
    ("ik wil echt dooood", Kind.SUICIDE),
    ("ik zie het nie meer zitten", Kind.SUICIDE),
    ("ik zie 't allemaal niet meer zitten", Kind.SUICIDE),
    ("ik zie het leven niet meer zitten", Kind.SUICIDE),
    ("zelfmoord", Kind.SUICIDE),
    ("ik denk aan zelfmord", Kind.SUICIDE),
    ("selfmoord", Kind.SUICIDE),
    ("ik heb zelfmoordgedachten", Kind.SUICIDE),
    ("ik wil er een einde aan maken", Kind.SUICIDE),
    ("ik wil niet meer leven", Kind.SUICIDE),
    ("ik ga mezelf iets aandoen", Kind.SUICIDE),
    ("soms snij ik mezelf", Kind.SUICIDE),
    ("iedereen is beter af zonder mij", Kind.SUICIDE),
    ("ik ga al mijn pillen innemen", Kind.SUICIDE),
    ("het leven heeft voor mij geen zin meer", Kind.SUICIDE),
    ("ik zag een film over zelfmoord en nu wil ik zelf dood", Kind.SUICIDE),
    ("Ik wil mezelf van kant maken!!", Kind.SUICIDE),
    # violence at home and abuse
    ("mijne vent slaat mij", Kind.VIOLENCE),
    ("mijn man slaat me", Kind.VIOLENCE),
    ("mn lief heeft mij gisteren weer geslagen", Kind.VIOLENCE),
    ("ik word thuis geslagen", Kind.VIOLENCE),
    ("mijn ex bedreigt mij", Kind.VIOLENCE),
    ("ik ben bang voor mijn man", Kind.VIOLENCE),
    ("ik durf niet meer naar huis", Kind.VIOLENCE),
    ("er is huiselijk geweld bij ons", Kind.VIOLENCE),
    ("ik ben verkracht", Kind.VIOLENCE),
    ("ik werd mishandelt door mijn partner", Kind.VIOLENCE),
    # a child in danger
    ("mijn papa slaat mij", Kind.CHILD_IN_DANGER),
    ("mijn kind wordt geslagen", Kind.CHILD_IN_DANGER),
    ("de buurman slaat zijn kinderen", Kind.CHILD_IN_DANGER),
    ("ik denk dat het buurkind mishandeld wordt", Kind.CHILD_IN_DANGER),
    ("mijn stiefvader heeft mij misbruikt", Kind.CHILD_IN_DANGER),
    # hunger
    ("kheb honger", Kind.HUNGER),
    ("ik heb zo'n honger en geen geld", Kind.HUNGER),
    ("mijn kinderen hebben honger", Kind.HUNGER),
    ("we hebben niks meer te eten", Kind.HUNGER),
    ("ik heb al 2 dagen niet gegeten", Kind.HUNGER),
    ("waar is een voedselbank", Kind.HUNGER),
    # no place to sleep
    ("ik slaap op straat", Kind.HOMELESSNESS),
    ("we slapen in de auto", Kind.HOMELESSNESS),
    ("ik ben dakloos", Kind.HOMELESSNESS),
    ("ik ben daklooos", Kind.HOMELESSNESS),
    ("ze hebben mij uit mijn huis gezet", Kind.HOMELESSNESS),
    ("waar kan ik vannacht slapen", Kind.HOMELESSNESS),
    ("ik heb geen dak boven mijn hoofd", Kind.HOMELESSNESS),
    # deep loneliness
    ("ik ben zo eenzaam", Kind.LONELINESS),
    ("ik voel me heel alleen", Kind.LONELINESS),
    ("ik heb niemand meer", Kind.LONELINESS),
    ("niemand praat nog met mij", Kind.LONELINESS),
    ("ik ben eenzaam sinds mijn vrouw gestorven is", Kind.LONELINESS),
    ("ik heb al weken met niemand gesproken", Kind.LONELINESS),
    # acute danger
    ("help ik ben in gevaar", Kind.ACUTE_DANGER),
    ("hij heeft een mes", Kind.ACUTE_DANGER),
    ("iemand volgt mij", Kind.ACUTE_DANGER),
    ("bel de politie", Kind.ACUTE_DANGER),
]

HARMLESS = [
    "ik ga dood van het lachen",
    "ik lach me dood",
    "ik ben doodmoe",
    "die film was moordgrappig",
    "ik verveel me dood",
    "ik wil doodgraag mee naar het concert",
    "ik heb honger naar cultuur",
    "ik heb geen honger",
    "is er een film over zelfmoord in de cinema",
    "zijn er voorstellingen over huiselijk geweld",
    "ik zoek activiteiten tegen eenzaamheid voor mijn oma",
    "ik ben niet eenzaam, ik zoek gewoon iets leuks",
    "dat slaat nergens op",
    "mijn zoon slaat graag op de trommel",
    "ik ken daar niemand",
    "ik durf niet alleen te gaan",
    "ik zie het niet zitten om alleen te gaan",
    "ik zie het helemaal zitten",
    "we slapen in een tent op kamp",
    "ik woon buiten de stad",
    "de klok slaat twaalf",
    "mijn man klopt altijd eerst aan",
    "dat klopt voor mij",
    "ik heb geen huiswerk",
    "ik slaap graag uit in het weekend",
    "waar kan ik slapen aan zee tijdens de vakantie",
    "ik heb geen geld voor de cinema",
    "een boek over eenzaamheid",
]


@pytest.mark.parametrize("text,kind", DISTRESS)
def test_distress_is_recognised(text, kind):
    distress = safety.check(text)
    assert distress is not None, text
    assert distress.kind is kind, (text, distress)


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_look_alikes_do_not_fire(text):
    assert safety.check(text) is None, (text, safety.check(text))


def test_enough_phrasings():
    assert len(DISTRESS) >= 40
    assert len(HARMLESS) >= 15


@pytest.mark.parametrize(
    "kind,numbers",
    [
        (Kind.SUICIDE, ["1813", "zelfmoord1813.be", "112"]),
        (Kind.VIOLENCE, ["1712", "112", "101", "0800 13 500"]),
        (Kind.CHILD_IN_DANGER, ["1712", "102", "112"]),
        (Kind.HUNGER, ["OCMW", "0800 13 500"]),
        (Kind.HOMELESSNESS, ["OCMW", "0800 13 500"]),
        (Kind.LONELINESS, ["106", "102"]),
        (Kind.ACUTE_DANGER, ["112", "101"]),
    ],
)
def test_help_messages_name_the_right_lines(kind, numbers):
    distress = safety.Distress(kind=kind, kinds=(kind,), matched="")
    messages = safety.help_messages(distress)
    text = " ".join(m["text"] for m in messages)
    for number in numbers:
        assert number in text, (kind, number)
    lines = messages[0]["custom"]["distress"]["help_lines"]
    assert lines and all(line["number"] and line["url"].startswith("https://") for line in lines)
    assert messages[0]["custom"]["distress"]["kinds"] == [kind.value]


def test_several_kinds_are_answered_most_urgent_first():
    distress = safety.check("mijn vent slaat mij en ik wil dood")
    assert distress.kinds == (Kind.SUICIDE, Kind.VIOLENCE)
    texts = [m["text"] for m in safety.help_messages(distress)]
    assert "1813" in texts[1] and any("1712" in t for t in texts[2:])
    assert len(texts) == len(set(texts))


def test_empty_and_ordinary_messages():
    assert safety.check("") is None
    assert safety.check("   ") is None
    assert safety.check("hallo, wat kan ik doen in Gent?") is None


def test_fast_enough_for_every_message():
    texts = [t for t, _ in DISTRESS] + HARMLESS
    start = time.perf_counter()
    for _ in range(20):
        for text in texts:
            safety.check(text)
    per_check = (time.perf_counter() - start) / (20 * len(texts))
    assert per_check < 0.002, per_check
