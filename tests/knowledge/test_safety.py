"""The distress safety net: real phrasings (Flemish, misspelt) fire with the right kind and help
lines; harmless look-alikes do not. Every distress training example is caught, and no example
of any other intent trips the net (it overrides the classifier, so a false alarm would hijack an
ordinary conversation)."""
import time
from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from bot import safety
from bot.safety import Kind

NLU_DIR = Path(__file__).resolve().parents[2] / "data" / "nlu"

DISTRESS = [
    # added after the held-out NLU set showed gaps (paraphrased here, not copied)
    ("soms wil ik gewoon mezelf pijn doen", Kind.SUICIDE),
    ("ik heb al een hele tijd pillen opgespaard", Kind.SUICIDE),
    ("ik zoek een manier om alles te stoppen", Kind.SUICIDE),
    ("ik wil hier gewoon niet meer zijn", Kind.SUICIDE),
    ("ik heb geen energie meer om verder te gaan", Kind.SUICIDE),
    ("ik ben echt wanhopig", Kind.SUICIDE),
    ("de huisbaas gaat ons volgende week uit de woning zetten", Kind.HOMELESSNESS),
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
    # new phrasings: spoken Flemish, typos, capitals, no punctuation
    ("kzie het nie meer zitten", Kind.SUICIDE),
    ("IK WIL DOOD", Kind.SUICIDE),
    ("kwil er nie meer zijn", Kind.SUICIDE),
    ("ik kan nie meer", Kind.SUICIDE),
    ("ik kan het echt niet meer aan", Kind.SUICIDE),
    ("k hou het nie meer vol", Kind.SUICIDE),
    ("ik kan niet meer ik wil dood", Kind.SUICIDE),
    ("ik zie gene uitweg meer", Kind.SUICIDE),
    ("wa heeft het allemaal nog voor zin", Kind.SUICIDE),
    ("ik wou dat ik nooit meer wakker werd", Kind.SUICIDE),
    ("ik zou liever dood zijn", Kind.SUICIDE),
    ("iedereen zou beter af zijn zonder mij", Kind.SUICIDE),
    ("mijn dochter zegt dat ze zichzelf iets gaat aandoen", Kind.SUICIDE),
    ("ik denk aan zelfmort", Kind.SUICIDE),
    ("mijn vent slaat me", Kind.VIOLENCE),
    ("mijn man sluit me op", Kind.VIOLENCE),
    ("hij houdt me opgesloten in huis", Kind.VIOLENCE),
    ("ik ben bang om naar huis te gaan want mijn man is daar", Kind.VIOLENCE),
    ("mijne papa doet mij pijn", Kind.CHILD_IN_DANGER),
    ("mijn nonkel doet dingen met mij die ik niet wil", Kind.CHILD_IN_DANGER),
    ("geen eten meer in huis", Kind.HUNGER),
    ("we hebben al 3 dagen nix gegeten", Kind.HUNGER),
    ("kheb al dagen ni gegeten", Kind.HUNGER),
    ("ik niet eten twee dagen", Kind.HUNGER),
    ("geen eten voor de kinderen", Kind.HUNGER),
    ("we eten nog maar 1 keer per dag", Kind.HUNGER),
    ("IK BEN DAKLOOS", Kind.HOMELESSNESS),
    ("ik ben op straat gezet", Kind.HOMELESSNESS),
    ("we zijn eruit gegooid door de huisbaas", Kind.HOMELESSNESS),
    ("ik word morgen uit mijn appartement gezet", Kind.HOMELESSNESS),
    ("we moeten ons huis uit", Kind.HOMELESSNESS),
    ("kheb gene thuis meer", Kind.HOMELESSNESS),
    ("ik slaap bij een vriendin op de zetel", Kind.HOMELESSNESS),
    ("er is iemand binnengebroken", Kind.ACUTE_DANGER),
    ("het is genoeg geweest, ik wil niet meer", Kind.SUICIDE),
    ("wat heeft het leven nog voor zin", Kind.SUICIDE),
]

HARMLESS = [
    "ik ben wanhopig op zoek naar een oppas voor zaterdag",
    "ik wil hier niet meer zijn in deze saaie gemeente, ik zoek iets in gent",
    "ik heb mezelf pijn gedaan bij het voetballen",
    "we gaan de oude kast uit het huis zetten",
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
    # look-alikes of the wider patterns: a verb or an amount after "niet meer", a plain no, a
    # camp or an outing, a figure of speech, money trouble that is not acute
    "ik kan niet meer zwemmen sinds mijn operatie",
    "ik kan niet meer betalen voor de muziekschool",
    "ik kan niet meer dan 10 euro betalen",
    "ik kan niet meer komen op woensdag",
    "ik kan het niet meer volgen",
    "ik wil niet meer naar de turnles",
    "mijn dochter wil niet meer naar de chiro",
    "nee, ik wil niet meer",
    "ik wil niet meer zien",
    "ik wil niet meer wakker worden om 6 uur",
    "ik wil stoppen met de muziekschool",
    "de film was om dood te lachen",
    "ik ga liever dood dan naar de opera",
    "ik zou sterven voor een ticket van dat concert",
    "wat heeft het voor zin om in te schrijven als het volzet is",
    "een einde maken aan armoede",
    "mijn zoon speelt graag vechtsport",
    "ik sluit me op in mijn kamer om te studeren",
    "dat houdt me op",
    "ik ben bang om 's avonds alleen naar huis te gaan",
    "ik ben bang om naar huis te gaan na de voorstelling",
    "ik zoek een kookles",
    "ik eet geen vlees",
    "is er geen eten op het kamp",
    "3 dagen geen eten meebrengen",
    "ik zoek een plek waar mijn kinderen kunnen eten en spelen",
    "we hebben geen auto",
    "we hebben geen huis met tuin",
    "ik slaap op de zetel als mijn man snurkt",
    "ik moet om 8 uur uit mijn huis vertrekken",
    "ik heb de vuilzakken buiten gezet",
    "ik werd buiten gezet in de cinema omdat ik te laat was",
    "een film over mensen die op straat leven",
    "de jeugd hangt op straat",
    "ik heb veel schulden",
    "haha ik kan niet meer",
    "ik lig in een deuk, ik kan niet meer",
    "ok nee ik wil niet meer",
    "wat heeft het voor zin?",
    "ik moet uit mijn kamer komen",
    "ik ga liever niet alleen",
]


@pytest.mark.parametrize("text,kind", DISTRESS)
def test_distress_is_recognised(text, kind):
    distress = safety.check(text)
    assert distress is not None, text
    assert distress.kind is kind, (text, distress)


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_look_alikes_do_not_fire(text):
    assert safety.check(text) is None, (text, safety.check(text))


# The kind each example in data/nlu/distress.yml must get (the most urgent one found). A new
# example there needs a line here: the net must catch it, and someone must decide its help line.
_S, _D, _C, _V, _H, _F, _L = (
    Kind.SUICIDE, Kind.ACUTE_DANGER, Kind.CHILD_IN_DANGER, Kind.VIOLENCE, Kind.HOMELESSNESS,
    Kind.HUNGER, Kind.LONELINESS,
)
TRAINING_KINDS = {
    "ik wil niet meer leven": _S,
    "ik wil er niet meer zijn": _S,
    "ik denk aan zelfmoord": _S,
    "ik wil mezelf iets aandoen": _S,
    "ik snij mezelf": _S,
    "het leven heeft geen zin meer": _S,
    "ik kan niet meer, ik wil stoppen met alles": _S,
    "ik zie het echt niet meer zitten": _S,
    "mijn man slaat mij": _V,
    "mijn vriend slaat me elke week": _V,
    "ik word thuis geslagen": _V,
    "ik ben bang van mijn partner": _V,
    "mijn papa doet mij pijn": _C,
    "mijn kind wordt mishandeld": _C,
    "iemand heeft me aangerand": _V,
    "ik word bedreigd": _V,
    "ik heb al twee dagen niet gegeten": _F,
    "we hebben geen eten meer thuis": _F,
    "mijn kinderen hebben honger": _F,
    "ik heb geen geld voor eten": _F,
    "ik heb geen dak boven mijn hoofd": _H,
    "ik slaap op straat": _H,
    "ik ben dakloos": _H,
    "ik moet morgen uit mijn huis en weet niet waar naartoe": _H,
    "ik slaap in mijn auto": _H,
    "ik ben zo eenzaam": _L,
    "ik heb niemand meer": _L,
    "niemand geeft om mij": _L,
    # "ik kan niet meer" is read as despair: 1813 first, then the loneliness lines too.
    "ik voel me heel alleen en ik kan niet meer": _S,
    "help ik ben in gevaar": _D,
    "er is iemand binnengedrongen": _D,
    "kheb gene zin meer om te leven": _S,
    "kzie het nie meer zitten": _S,
    "soms denk ik dat iedereen beter af is zonder mij": _S,
    "ik wil gewoon dood": _S,
    "ik wil een einde maken aan alles": _S,
    "mijn vrouw slaat me als ze gedronken heeft": _V,
    "hij slaat de kinderen en ik weet niet waar naartoe": _C,
    "mijn ex bedreigt mij en staat aan de deur": _V,
    "we hebben al 2 dagen niets gegeten": _F,
    "de frigo is leeg en de kinderen hebben honger, ik heb geen cent meer": _F,
    "ik eet maar 1 keer per dag zodat mijn kinderen kunnen eten": _F,
    "er is geen eten meer tot het einde van de maand": _F,
    "ik slaap al een week bij vrienden op de zetel en morgen moet ik weg": _H,
    "ik ben uit huis gezet": _H,
    "we zijn uit ons appartement gezet en slapen nu in de auto": _H,
    "sinds gisteren heb ik geen huis meer": _H,
    "ik slaap in het station": _H,
    "ik slaap buiten in anderlecht, het is zo koud": _H,
    "mijn zoon van 15 zegt dat hij zichzelf iets wil aandoen": _S,
    "mijn dochter wordt gepest en zegt dat ze niet meer wil leven": _S,
    "mijn stiefvader doet dingen met mij die ik niet wil": _C,
    "IK KAN NIET MEER": _S,
    "alles is zwart, ik wil gewoon verdwijnen": _S,
    "help me aub ik wil niet meer": _S,
    "ik ben bang om naar huis te gaan": _V,
    "mijn partner sluit mij op in huis": _V,
    "hij pakt al mijn geld af en slaat me als ik iets zeg": _V,
    "ik heb zo veel schulden, ik zie geen uitweg meer": _S,
    "niemand zou het merken als ik er niet meer was": _S,
    "ik voel me zo alleen dat het pijn doet": _L,
    "ik heb al weken met niemand gepraat, ik ben op": _L,
    "ik wou dat ik morgen niet meer wakker werd": _S,
    "mijn buurman heeft me geslagen en zegt dat hij terugkomt": _V,
    "er staat iemand met een mes voor mijn deur": _D,
    "ik ben zwanger en mijn vriend heeft me buiten gezet": _H,
    "liefst zou ik sterven": _S,
    "de kinderen en ik hebben vannacht geen plek om te slapen": _H,
    "ik leef op straat sinds mijn scheiding": _H,
    "man slaan mij elke dag": _V,
    "ik niet eten 3 dagen": _F,
    "geen huis, ik slapen buiten": _H,
    "Ik begeleid een cliënte die zegt dat ze niet meer wil leven, wat moet ik doen": _S,
    "ik heb een cliënt die vannacht op straat moet slapen, dringend": _H,
    "mijn mama drinkt en slaat ons": _C,
    "ik voel me waardeloos en wil er niet meer zijn": _S,
    "wa heeft het nog voor zin": _S,
    "ik ben aan het einde van mijn krachten, ik kan echt niet meer verder": _S,
}


def _training_examples() -> list[tuple[str, str]]:
    """(intent, text) of every intent example in data/nlu, entity markup removed. Read at test
    time, not import time: other files in data/nlu may still change."""
    data = load_data(str(NLU_DIR))
    return [(m.get("intent"), m.get("text")) for m in data.intent_examples]


def test_every_distress_training_example_is_caught_with_the_right_kind():
    examples = [text for intent, text in _training_examples() if intent == "distress"]
    assert len(examples) >= 70
    missed = [text for text in examples if safety.check(text) is None]
    assert missed == []
    unjudged = [text for text in examples if text not in TRAINING_KINDS]
    assert unjudged == [], "new distress examples: add their kind to TRAINING_KINDS"
    wrong = [
        (text, safety.check(text).kind, TRAINING_KINDS[text])
        for text in examples
        if safety.check(text).kind is not TRAINING_KINDS[text]
    ]
    assert wrong == []


def test_no_other_training_example_trips_the_net():
    examples = [(intent, text) for intent, text in _training_examples() if intent != "distress"]
    assert len(examples) >= 1000
    fired = [
        (intent, text, safety.check(text).matched)
        for intent, text in examples
        if safety.check(text) is not None
    ]
    assert fired == []


def test_despair_next_to_loneliness_gets_both_help_lines():
    distress = safety.check("ik voel me heel alleen en ik kan niet meer")
    assert distress.kinds == (Kind.SUICIDE, Kind.LONELINESS)
    text = " ".join(m["text"] for m in safety.help_messages(distress))
    assert "1813" in text and "106" in text


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
