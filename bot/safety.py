"""Distress safety net: runs before anything else, in the gateway and in the Rasa pipeline.

Someone who writes about suicide, violence at home, a child in danger, hunger, having no place
to sleep or deep loneliness gets the right help line at once (FACTS.md §4), whatever the
conversation was doing. Keyword and word-form patterns on folded text (accents, Flemish forms
and stretched letters removed; "zelfmord" read as "zelfmoord"), compiled once, no model: a check
takes microseconds and never depends on how sure a classifier is.

It must not fire on harmless uses: "ik ga dood van het lachen", "doodmoe", "moordgrappig",
"honger naar cultuur", or a film, book or talk *about* suicide or violence. A first-person
sentence still fires next to such a topic ("ik zag een film over zelfmoord en nu wil ik dood").
"""
from __future__ import annotations

import difflib
import enum
import re
from dataclasses import dataclass
from functools import lru_cache

from bot.knowledge.text import fold


class Kind(str, enum.Enum):
    # In order of urgency: the first kind found leads the answer.
    SUICIDE = "suicide"  # suicide or self-harm
    ACUTE_DANGER = "acute_danger"
    CHILD_IN_DANGER = "child_in_danger"
    VIOLENCE = "violence"  # violence at home, abuse, threats
    HOMELESSNESS = "homelessness"
    HUNGER = "hunger"
    LONELINESS = "loneliness"


@dataclass(frozen=True)
class Distress:
    kind: Kind  # the most urgent kind found
    kinds: tuple[Kind, ...]  # every kind found, most urgent first
    matched: str  # the words that fired the first pattern (for logs and tests; no redaction)


@dataclass(frozen=True)
class HelpLine:
    name: str
    number: str
    url: str


ZELFMOORDLIJN = HelpLine("Zelfmoordlijn", "1813", "https://www.zelfmoord1813.be")
TELE_ONTHAAL = HelpLine("Tele-Onthaal", "106", "https://www.tele-onthaal.be")
AWEL = HelpLine("Awel", "102", "https://www.awel.be")
LINE_1712 = HelpLine("1712", "1712", "https://www.1712.be")
NOODNUMMER = HelpLine("Noodnummer", "112", "https://www.112.be")
POLITIE = HelpLine("Politie", "101", "https://www.police.be")
CAW = HelpLine("CAW", "0800 13 500", "https://www.caw.be")

# What Klik says, per kind: short sentences, "je", the number in the sentence itself.
HELP: dict[Kind, tuple[tuple[str, ...], tuple[HelpLine, ...]]] = {
    Kind.SUICIDE: (
        (
            "Wat je schrijft, is ernstig. Fijn dat je het zegt. "
            "Je hoeft dit niet alleen te dragen.",
            "Bel de Zelfmoordlijn op 1813. Dat kan dag en nacht. "
            "Je kan ook chatten op zelfmoord1813.be.",
            "Ben je jong? Bel dan ook gerust Awel op 102.",
            "Ben je nu in gevaar? Bel 112.",
        ),
        (ZELFMOORDLIJN, AWEL, NOODNUMMER),
    ),
    Kind.ACUTE_DANGER: (
        (
            "Ben je in gevaar? Bel meteen 112.",
            "Wil je de politie? Bel 101.",
        ),
        (NOODNUMMER, POLITIE),
    ),
    Kind.CHILD_IN_DANGER: (
        (
            "Een kind moet veilig zijn. Goed dat je dit zegt.",
            "Bel 1712 bij geweld of misbruik, ook van een kind.",
            "Ben je zelf een kind of jongere? Bel Awel op 102.",
            "Is er nu gevaar? Bel 112.",
        ),
        (LINE_1712, AWEL, NOODNUMMER),
    ),
    Kind.VIOLENCE: (
        (
            "Dat is niet oké. Niemand mag jou pijn doen. Het is niet jouw schuld.",
            "Bel 1712 als je wil praten over geweld of misbruik.",
            "Ben je nu in gevaar? Bel 112. Of bel de politie op 101.",
            "Het CAW helpt je verder. Bel gratis 0800 13 500.",
        ),
        (LINE_1712, NOODNUMMER, POLITIE, CAW),
    ),
    Kind.HOMELESSNESS: (
        (
            "Heb je geen plek om te slapen? Dat is ernstig. Je kan hulp krijgen.",
            "Ga vandaag nog naar het OCMW of sociaal huis van je gemeente.",
            "Of bel gratis het CAW op 0800 13 500.",
            "Ben je in gevaar? Bel 112.",
        ),
        (CAW, NOODNUMMER),
    ),
    Kind.HUNGER: (
        (
            "Heb je niet genoeg eten? Dat is zwaar. Je kan hulp krijgen.",
            "Ga naar het OCMW of sociaal huis van je gemeente. Zij helpen je verder.",
            "Of bel gratis het CAW op 0800 13 500.",
        ),
        (CAW,),
    ),
    Kind.LONELINESS: (
        (
            "Je voelt je erg alleen. Dat is zwaar. Fijn dat je het vertelt.",
            "Wil je met iemand praten? Bel Tele-Onthaal op 106.",
            "Ben je jong? Bel Awel op 102.",
            "Ik kan ook met je zoeken naar een plek om mensen te ontmoeten.",
        ),
        (TELE_ONTHAAL, AWEL),
    ),
}


def all_help_texts() -> list[tuple[Kind, str]]:
    return [(kind, text) for kind, (texts, _) in HELP.items() for text in texts]


def help_messages(distress: Distress) -> list[dict]:
    """Messages in the shape of Rasa's REST channel, most urgent kind first.

    The first message carries ``custom.distress`` with the kinds and help lines, so the widget
    can show call buttons; the gateway can return the list as is.
    """
    texts: list[str] = []
    lines: list[HelpLine] = []
    for kind in distress.kinds:
        kind_texts, kind_lines = HELP[kind]
        texts.extend(t for t in kind_texts if t not in texts)
        lines.extend(line for line in kind_lines if line not in lines)
    messages: list[dict] = [{"text": text} for text in texts]
    messages[0]["custom"] = {
        "distress": {
            "kinds": [k.value for k in distress.kinds],
            "help_lines": [
                {"name": line.name, "number": line.number, "url": line.url} for line in lines
            ],
        }
    }
    return messages


# -- patterns ------------------------------------------------------------------------------

# Word classes, written once and used in the patterns below.
_W = r"(?:\w+\s+)"  # any one word and its space
_W_YES = r"(?:(?!niet\b|nooit\b|geen\b|graag\b)\w+\s+)"  # a word that does not deny or soften
_ME = r"(?:mij|me|mezelf|mijzelf|ons)"
_MY = r"(?:mijn|men|ons|onze)"
_PARTNER = (
    r"(?:man|vent|vrouw|wijf|lief|liefje|partner|vriend|vriendin|ex|echtgenoot|echtgenote|"
    r"gast|schoonvader|schoonmoeder|schoonbroer|broer|zus|zoon|dochter|huisgenoot)"
)
_PARENT = (
    r"(?:papa|pa|vader|mama|ma|moeder|stiefvader|stiefmoeder|nonkel|oom|tante|ouders|pepe|"
    r"meme|opa|oma)"
)
_CHILD = (
    r"(?:kind|kinderen|kindje|kindjes|baby|zoon|zoontje|dochter|dochtertje|buurkind|buurjongen|"
    r"buurmeisje|kleine|kleinkind)"
)
_HITS = (
    r"(?:slaat|sloeg|sloegen|slaan|schopt|schopte|stampt|stampte|mept|mepte|duwt|duwde|wurgt|"
    r"wurgde|mishandelt|mishandelde|misbruikt|misbruikte|verkracht|verkrachtte|bedreigt|"
    r"bedreigde|knijpt|kneep|martelt|terroriseert)"
)
# Participles as people type them: "mishandelt" for "mishandeld".
_HURT = (
    r"(?:geslagen|geschopt|gestampt|mishandel[dt]|misbruik[dt]|verkrach[dt]|aangeran[dt]|"
    r"bedreig[dt]|gewurg[dt]|afgeransel[dt]|geklop[dt]|gemartel[dt]|in\s+elkaar\s+geslagen|"
    r"pijn\s+gedaan)"
)
# "slaat op de trommel", "dat slaat nergens op": not violence.
_NOT_HITTING = r"(?!\s+(?:op|een|de|het|graag|goed|nergens|toe|terug|mee|af|aan|alarm|om)\b)"

def _rule(kind: Kind, *parts: str, topic: bool = False) -> tuple[Kind, str, bool]:
    """One pattern, written in parts. ``topic``: a topic word ("zelfmoord", "huiselijk
    geweld") that does not fire when the text is about a film, book or talk on that topic;
    first-person sentences always fire."""
    return kind, "".join(parts), topic


_S, _D, _C, _V, _H, _F, _L = (
    Kind.SUICIDE, Kind.ACUTE_DANGER, Kind.CHILD_IN_DANGER, Kind.VIOLENCE, Kind.HOMELESSNESS,
    Kind.HUNGER, Kind.LONELINESS,
)
_HURT_CHILD = (
    r"(?:geslagen|mishandel[dt]|misbruik[dt]|verwaarloos[dt]|aangeran[dt]|verkrach[dt]|"
    r"bedreig[dt]|geschopt)"
)
_CHILD_OF = r"(?:de\s+|mijn\s+|onze\s+|ons\s+|het\s+|een\s+|zijn\s+|haar\s+|hun\s+)?"

_PATTERNS: tuple[tuple[Kind, str, bool], ...] = (
    # suicide and self-harm
    _rule(_S, r"\b(?:zelfmoord\w*|zelfdoding\w*|suicid\w*|suisid\w*)\b", topic=True),
    _rule(_S, r"\b(?:automutilatie|zelfbeschadiging|zelfverwonding)\b", topic=True),
    _rule(
        _S, r"\bik\s+(?:wil|wou|zou\s+willen|ga)\s+", _W_YES, r"{0,2}dood\b",
        r"(?!\s*(?:graag|gewoon|normaal|moe|van|op|ziek|stil|simpel|eenvoudig|leuk|lachen))",
    ),
    _rule(_S, r"\b(?:wil|wou)\s+ik\s+", _W, r"{0,2}dood\b(?!\s*(?:graag|van))"),
    _rule(_S, r"\bik\s+(?:wil|wou)\s+", _W_YES, r"{0,2}(?:sterven|doodgaan|verdwijnen)\b"),
    _rule(
        _S, r"\bdenk\s+(?:ik\s+)?(?:\w+\s+){0,2}aan\s+(?:zelfmoord|sterven|doodgaan|",
        r"mezelf\s+iets\s+aan\s+te\s+doen|er\s+een\s+einde?\s+aan\s+te\s+maken)\b",
    ),
    _rule(_S, r"\b(?:wil|wou)\s+(?:ik\s+)?niet\s+(?:meer\s+)?(?:leven|verder\s+leven)\b"),
    _rule(_S, r"\bniet\s+meer\s+(?:willen\s+)?leven\b"),
    _rule(_S, r"\bzie\s+het\s+", _W, r"{0,2}niet\s+meer\s+zitten?n?\b(?!\s+om\b)"),
    _rule(_S, r"\bzie\s+het\s+leven\s+niet\s+meer\s+zitten?n?\b"),
    _rule(_S, r"\ber\s+(?:een\s+)?einde?\s+aan\s+(?:\w+\s+)?maken\b"),
    _rule(_S, r"\beinde?\s+aan\s+mijn\s+leven\b|\bmijn\s+leven\s+(?:beeindigen|nemen)\b"),
    _rule(
        _S, r"\b", _ME, r"\s+(?:van\s+kant\s+maken|ombrengen|om\s+het\s+leven\s+brengen|",
        r"ophangen|opknopen|verhangen|doodmaken|dood\s+maken|iets\s+aandoen|verwonden)\b",
    ),
    _rule(_S, r"\bik\s+(?:wil|ga)\s+", _ME, r"\s+(?:pijn\s+doen|snijden)\b"),
    _rule(
        _S, r"\b(?:snij|snijd|snijden|kras|krassen|brand)\s+(?:ik\s+)?(?:mezelf|mijzelf|",
        r"in\s+mijn\s+(?:arm|armen|benen|been|pols|polsen))\b",
    ),
    _rule(_S, r"\bpols(?:en)?\s+(?:door)?snijden\b"),
    _rule(
        _S, r"\b(?:alle|al\s+mijn|alle\s+mijn|een\s+hoop|te\s+veel|de\s+hele\s+doos)\s+",
        r"(?:\w+\s+)?(?:pillen|medicijnen|slaappillen)\s+(?:\w+\s+)?(?:nemen|innemen|slikken)\b",
    ),
    _rule(
        _S, r"\bspringen\s+(?:van|voor|onder|uit)\s+(?:de|een|het)?\s*",
        r"(?:brug|trein|flat|raam|dak|toren)\b|\bvoor\s+de\s+trein\s+springen\b",
    ),
    _rule(_S, r"\bbeter\s+(?:af\s+)?zonder\s+mij\b|\bniemand\s+zou\s+", _ME, r"\s+missen\b"),
    _rule(_S, r"\bals\s+ik\s+er\s+niet\s+meer\s+(?:ben|zou\s+zijn)\b"),
    _rule(
        _S, r"\b(?:wou|wilde|wenste)\s+dat\s+ik\s+(?:\w+\s+)?dood\s+was\b",
        r"|\bwas\s+ik\s+maar\s+dood\b",
    ),
    _rule(
        _S, r"\bleven\s+(?:heeft|is)\s+", _W, r"{0,2}(?:geen\s+zin|zinloos)\b",
        r"|\bgeen\s+zin\s+meer\s+(?:in\s+(?:het|mijn)\s+leven|om\s+te\s+leven)\b",
    ),
    _rule(_S, r"\b(?:kill\s+myself|want\s+to\s+die|end\s+my\s+life|je\s+veux\s+mourir)\b"),
    # acute danger
    _rule(_D, r"\b(?:ik\s+ben|we\s+zijn|wij\s+zijn)\s+(?:\w+\s+)?in\s+(?:groot\s+)?gevaar\b"),
    _rule(_D, r"\bin\s+levensgevaar\b"),
    _rule(
        _D, r"\b(?:hij|ze|zij|iemand|er\s+is\s+iemand|een\s+man)\s+(?:\w+\s+){0,2}",
        r"(?:heeft|met|staat\s+met)\s+(?:een\s+)?(?:mes|pistool|wapen|geweer)\b",
    ),
    _rule(_D, r"\b(?:er\s+is|het\s+is)\s+(?:hier\s+)?brand\b|\bhet\s+brandt\b"),
    _rule(_D, r"\b(?:iemand|hij|ze|een\s+man)\s+(?:volgt|achtervolgt)\s+", _ME, r"\b"),
    _rule(_D, r"\bbel\s+(?:\w+\s+)?(?:de\s+)?(?:politie|ziekenwagen|ambulance|brandweer|112)\b"),
    _rule(_D, r"\b(?:politie|ziekenwagen|ambulance|brandweer|112)\s+bellen\b"),
    _rule(_D, r"\b(?:bewusteloos|hartaanval|beroerte|overdosis)\b", topic=True),
    _rule(_D, r"\ber\s+is\s+iemand\s+in\s+(?:mijn|ons)\s+huis\b|\bingebroken\b"),
    # a child in danger
    _rule(
        _C, r"\b", _CHILD, r"\s+(?:wordt|worden|werd|werden|is|zijn)\s+", _W, r"{0,2}",
        _HURT_CHILD, r"\b",
    ),
    _rule(
        _C, r"\b", _CHILD, r"\s+", _W, r"{0,2}", _HURT_CHILD,
        r"\s+(?:wordt|worden|werd|werden)\b",
    ),
    _rule(_C, r"\b(?:kindermishandeling|kindermisbruik)\b", topic=True),
    _rule(_C, r"\b", _HITS, r"\s+", _CHILD_OF, _CHILD, r"\b"),
    _rule(_C, r"\b", _MY, r"\s+", _PARENT, r"\s+", _W, r"{0,3}", _HITS, _NOT_HITTING),
    _rule(_C, r"\b", _MY, r"\s+", _PARENT, r"\s+(?:heeft|hebben)\s+", _W, r"{0,3}", _HURT, r"\b"),
    _rule(_C, r"\b", _CHILD, r"\s+", _W, r"{0,3}alleen\s+(?:thuis\s+)?(?:gelaten|achtergelaten)\b"),
    # violence at home, abuse, threats
    _rule(_V, r"\b", _HITS, r"\s+(?:hij\s+|ze\s+|zij\s+)?", _ME, r"\b"),
    _rule(_V, r"\b(?:klopt|klopte|kloppen)\s+(?:hij\s+|ze\s+|zij\s+)?", _ME, r"\b"),
    _rule(_V, r"\b", _MY, r"\s+", _PARTNER, r"\s+", _W, r"{0,3}", _HITS, _NOT_HITTING),
    _rule(
        _V, r"\b(?:ik|we|wij)\s+(?:word|worden|werd|werden|ben|zijn)\s+", _W, r"{0,3}", _HURT,
        r"\b",
    ),
    _rule(_V, r"\b(?:heeft|hebben|had)\s+", _W, r"{0,2}", _ME, r"\s+", _W, r"{0,2}", _HURT, r"\b"),
    _rule(
        _V, r"\b(?:hij|zij|ze|", _MY, r"\s+", _PARTNER, r")\s+doet\s+", _ME,
        r"\s+(?:\w+\s+)?pijn\b",
    ),
    _rule(_V, r"\b", _MY, r"\s+", _PARTNER, r"\s+is\s+(?:\w+\s+)?(?:agressief|gewelddadig)\b"),
    _rule(_V, r"\bbang\s+(?:voor|van)\s+", _MY, r"\s+(?:", _PARTNER, "|", _PARENT, r")\b"),
    _rule(_V, r"\bdurf\s+(?:\w+\s+)?niet\s+(?:meer\s+)?(?:naar\s+huis|thuis\s+te\s+komen)\b"),
    _rule(
        _V, r"\b(?:huiselijk\s+geweld|partnergeweld|intrafamiliaal\s+geweld|seksueel\s+misbruik|",
        r"verkrachting|incest|geweld\s+thuis)\b",
        topic=True,
    ),
    # no place to sleep
    _rule(
        _H, r"\b(?:ik|we|wij)\s+(?:slaap|slapen|sliep|sliepen|lig|liggen)\s+", _W_YES, r"{0,2}",
        r"(?:op\s+straat|buiten|in\s+(?:mijn|de|een|onze|het)\s+(?:auto|wagen|park|station)|",
        r"onder\s+(?:een|de)\s+brug)\b",
    ),
    _rule(
        _H, r"\b(?:ik|we|wij)\s+(?:leef|leven|woon|wonen)\s+", _W_YES, r"{0,2}",
        r"(?:op\s+straat|in\s+(?:mijn|de|een|onze)\s+(?:auto|wagen)|onder\s+(?:een|de)\s+brug)\b",
    ),
    _rule(_H, r"\b(?:dakloos|thuisloos|dakloze)\b", topic=True),
    _rule(
        _H, r"\bgeen\s+(?:dak\s+boven\s+(?:mijn|ons|het)\s+hoofd|slaapplaats|",
        r"plek\s+om\s+te\s+slapen|plaats\s+om\s+te\s+slapen|bed\s+voor\s+vannacht)\b",
    ),
    _rule(_H, r"\b(?:ik|we|wij)\s+(?:heb|hebben)\s+(?:\w+\s+)?geen\s+(?:huis|woning|thuis|dak)\b"),
    _rule(_H, r"\bnergens\s+(?:om\s+te\s+|te\s+)?(?:slapen|wonen)\b"),
    _rule(_H, r"\b(?:kan|kunnen)\s+nergens\s+(?:meer\s+)?(?:naartoe|heen)\b"),
    _rule(
        _H, r"\bwaar\s+(?:kan|moet)\s+ik\s+(?:vannacht\s+|deze\s+nacht\s+|nog\s+)?slapen\b",
        r"(?!\s+(?:in|aan|op|tijdens|als|bij)\b)",
    ),
    _rule(
        _H, r"\b(?:uit\s+(?:mijn|ons|het)\s+huis|op\s+straat)\s+gezet\b",
        r"|\buithuiszetting\b|\bbuitengezet\b",
    ),
    _rule(_H, r"\b(?:ik|we|wij)\s+(?:sta|staan)\s+op\s+straat\b|\bnachtopvang\b"),
    # hunger
    _rule(
        _F, r"\b(?:ik|we|wij|mijn\s+kinderen|de\s+kinderen|mijn\s+kind|ze|zij)\s+",
        r"(?:heb|hebben|heeft|hebt)\s+", _W_YES, r"{0,3}honger\b(?!\s+(?:naar|op)\b)",
    ),
    _rule(_F, r"\bhonger\s*(?:lijden|lijd|lijdt|leden)\b"),
    _rule(
        _F, r"\b(?:ik|we|wij|kinderen|kind)\s+(?:heb|hebben|heeft|hebt)\s+(?:\w+\s+)?",
        r"(?:geen|niks|niets)\s+(?:meer\s+)?(?:te\s+)?eten\b",
    ),
    _rule(
        _F, r"\bgeen\s+eten\s+(?:meer\s+)?in\s+huis\b",
        r"|\b(?:koelkast|frigo|ijskast)\s+is\s+(?:\w+\s+)?leeg\b",
    ),
    _rule(
        _F, r"\bgeen\s+geld\s+(?:meer\s+)?(?:voor|om)\s+", _W,
        r"{0,2}(?:eten|voedsel|boodschappen)\b",
    ),
    _rule(
        _F, r"\b(?:dagen|dag|week)\s+(?:\w+\s+)?niet\s+(?:meer\s+)?gegeten\b",
        r"|\b(?:dagen|dag)\s+niks\s+gegeten\b",
    ),
    _rule(_F, r"\bkan\s+(?:\w+\s+)?geen\s+eten\s+(?:meer\s+)?kopen\b"),
    _rule(_F, r"\b(?:voedselbank|voedselpakket|voedselhulp)\b"),
    # deep loneliness
    _rule(
        _L, r"\bik\s+(?:ben|voel\s+(?:me|mij))\s+", _W_YES,
        r"{0,2}(?:eenzaam|alleen\s+op\s+de\s+wereld)\b",
    ),
    _rule(
        _L, r"\bik\s+voel\s+(?:me|mij)\s+(?:zo|heel|erg|zeer|echt|vreselijk|verschrikkelijk|",
        r"zo\s+verschrikkelijk)\s+alleen\b",
    ),
    _rule(_L, r"\bik\s+voel\s+(?:me|mij)\s+alleen\s*[.!]*$"),
    _rule(_L, r"\bik\s+heb\s+niemand(?:\s+meer)?\s*(?:[.!]|$)"),
    _rule(
        _L, r"\bniemand\s+(?:om\s+)?(?:mee\s+te\s+praten|tegen\s+te\s+praten|",
        r"die\s+(?:naar\s+)?", _ME, r"\s+(?:luistert|hoort))\b",
    ),
    _rule(_L, r"\bniemand\s+(?:praat|spreekt)\s+(?:nog\s+)?(?:met|tegen)\s+", _ME, r"\b"),
    _rule(_L, r"\bniemand\s+(?:geeft|gaf)\s+(?:\w+\s+)?om\s+", _ME, r"\b"),
    _rule(
        _L, r"\bik\s+ben\s+(?:altijd|heel\s+de\s+tijd|de\s+hele\s+tijd|dag\s+en\s+nacht|",
        r"helemaal|zo)\s+alleen\b",
    ),
    _rule(_L, r"\bmet\s+niemand\s+(?:meer\s+)?(?:gesproken|gepraat|geklapt)\b"),
    _rule(_L, r"\beenzaamheid\b", topic=True),
)

# Words before a topic word that make it a topic, not a cry for help ("een film over zelfmoord",
# "activiteiten tegen eenzaamheid").
_ABOUT_A_TOPIC = re.compile(
    r"\b(?:film|boek|voorstelling|toneelstuk|theater|documentaire|docu|reportage|lezing|"
    r"tentoonstelling|expo|workshop|vorming|cursus|debat|serie|lied|roman|podcast|artikel|"
    r"gedicht|infosessie|studie|onderzoek|project|campagne|activiteit|opleiding|les|thema|"
    r"preventie|vereniging|groep|praatgroep)\w*(?:\s+\w+){0,4}\s+"
    r"(?:over|rond|tegen|omtrent|ivm|voor|ter\s+preventie\s+van)\s+(?:\w+\s+){0,2}$"
)
# Places where sleeping outside is a holiday, not a lack of a home.
_CAMPING = re.compile(
    r"\b(?:kamp|camping|festival|bivak|tent|sterren|jeugdbeweging|scouts|chiro)\b"
)

# Spelling mistakes in the words that matter most: "zelfmord", "selfmoord", "daklooos".
_FUZZY_KEYWORDS = (
    "zelfmoord", "zelfdoding", "suicide", "suicidaal", "dakloos", "thuisloos", "mishandeld",
    "mishandelt", "verkracht", "misbruikt", "eenzaam", "eenzaamheid", "zelfbeschadiging",
    "automutilatie", "kindermishandeling", "kindermisbruik", "partnergeweld",
)
_COMPILED = tuple((kind, re.compile(pattern), about) for kind, pattern, about in _PATTERNS)
_TOKEN = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=8192)
def _spelled(word: str) -> str:
    if len(word) < 6 or word in _FUZZY_KEYWORDS:
        return word
    close = difflib.get_close_matches(word, _FUZZY_KEYWORDS, n=1, cutoff=0.85)
    return close[0] if close else word


def normalize(text: str) -> str:
    """Folded text with the key words' spelling mistakes corrected."""
    return _TOKEN.sub(lambda m: _spelled(m.group(0)), fold(text))


def check(text: str) -> Distress | None:
    """The distress in ``text``, or None. Cheap: call it on every message first."""
    if not text or not text.strip():
        return None
    folded = normalize(text)
    found: dict[Kind, str] = {}
    for kind, pattern, about_a_topic in _COMPILED:
        if kind in found:
            continue
        for match in pattern.finditer(folded):
            before = folded[max(0, match.start() - 80) : match.start()]
            if about_a_topic and _ABOUT_A_TOPIC.search(before):
                continue
            if kind is Kind.HOMELESSNESS and _CAMPING.search(folded):
                continue
            found[kind] = match.group(0)
            break
    if not found:
        return None
    kinds = tuple(kind for kind in Kind if kind in found)
    return Distress(kind=kinds[0], kinds=kinds, matched=found[kinds[0]])
