"""Distress safety net: runs before anything else, in the gateway and in the Rasa pipeline.

Someone who writes about suicide, violence at home, a child in danger, hunger, having no place
to sleep or deep loneliness gets the right help line at once (FACTS.md §4), whatever the
conversation was doing. Keyword and word-form patterns on folded text (accents, Flemish forms
and stretched letters removed; "zelfmord" read as "zelfmoord"), compiled once, no model: a check
takes microseconds and never depends on how sure a classifier is.

Short despair without the word "dood" counts as suicide risk too ("IK KAN NIET MEER", "ik wil
er niet meer zijn", "ik zie geen uitweg meer"), but only as a whole clause: "ik kan niet meer
zwemmen" or "ik kan niet meer betalen voor de muziekschool" is not acute distress (money trouble
alone is not; no money *for food* is hunger).

It must not fire on harmless uses: "ik ga dood van het lachen", "doodmoe", "moordgrappig",
"honger naar cultuur", or a film, book or talk *about* suicide or violence. A first-person
sentence still fires next to such a topic ("ik zag een film over zelfmoord en nu wil ik dood").
tests/knowledge/test_safety.py checks every example in data/nlu: distress is caught with its
kind, and no example of another intent fires.
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
    r"bedreigde|knijpt|kneep|martelt|terroriseert|betast|betastte)"
)
# Participles as people type them: "mishandelt" for "mishandeld".
_HURT = (
    r"(?:geslagen|geschopt|gestampt|mishandel[dt]|misbruik[dt]|verkrach[dt]|aangeran[dt]|"
    r"bedreig[dt]|gewurg[dt]|afgeransel[dt]|geklop[dt]|gemartel[dt]|in\s+elkaar\s+geslagen|"
    r"pijn\s+gedaan)"
)
# "slaat op de trommel", "dat slaat nergens op": not violence.
_NOT_HITTING = r"(?!\s+(?:op|een|de|het|graag|goed|nergens|toe|terug|mee|af|aan|alarm|om)\b)"
# The end of a short despair sentence ("ik kan niet meer", "ik wil niet meer"): end of the text,
# punctuation, or a word that starts the next clause or a cry for help. Anything else, like a
# verb ("ik kan niet meer zwemmen", "ik wil niet meer naar de turnles") or "dan" ("niet meer
# dan 10 euro"), makes it an ordinary sentence.
_CLAUSE_END = (
    r"(?=\s*(?:[,.!?;:]|$)|\s+(?:en|ik|help|aub|alsjeblieft|alstublieft|pls|please|hoor)\b)"
)
# "haha ik kan niet meer": laughing, not despair.
_NOT_LAUGHING = r"^(?!.*\b(?:haha\w*|hihi\w*|hehe\w*|lol|lachen|grappig|deuk)\b).*?"
# "nee, ik wil niet meer" or "ik heb genoeg gezien, merci, ik wil niet meer" answers "wil je
# meer zien?": a plain no, not despair. Only a "nee" at the start counts ("het is genoeg
# geweest, ik wil niet meer" stays despair).
_NOT_A_NO = (
    r"^(?!(?:\w+\s+)?(?:nee|neen|nope|nah)\b)(?!.*\b(?:bedankt|merci|dank|gezien)\b).*?"
)

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
    # "zelfmort", "zelfmoort": d/t mix-ups are too far apart for the fuzzy match below.
    _rule(_S, r"\b(?:zelfmoo?r[dt]\w*|zelfdoding\w*|suicid\w*|suisid\w*)\b", topic=True),
    _rule(_S, r"\b(?:automutilatie|zelfbeschadiging|zelfverwonding)\b", topic=True),
    _rule(
        _S, r"\bik\s+(?:wil|wou|zou\s+willen|ga)\s+", _W_YES, r"{0,2}dood\b",
        r"(?!\s*(?:graag|gewoon|normaal|moe|van|op|ziek|stil|simpel|eenvoudig|leuk|lachen))",
        # "ik ga liever dood dan naar de opera": a comparison, not a wish.
        r"(?!\s+dan\s+(?:naar|in|op|met|een|de|het|te|nog)\b)",
    ),
    _rule(_S, r"\b(?:wil|wou)\s+ik\s+", _W, r"{0,2}dood\b(?!\s*(?:graag|van))"),
    _rule(_S, r"\bik\s+(?:wil|wou)\s+", _W_YES, r"{0,2}(?:sterven|doodgaan|verdwijnen)\b"),
    _rule(
        _S, r"\bdenk\s+(?:ik\s+)?(?:\w+\s+){0,2}aan\s+(?:zelfmoord|sterven|doodgaan|",
        r"mezelf\s+iets\s+aan\s+te\s+doen|er\s+een\s+einde?\s+aan\s+te\s+maken)\b",
    ),
    _rule(_S, r"\b(?:wil|wou)\s+(?:ik\s+)?niet\s+(?:meer\s+)?(?:leven|verder\s+leven)\b"),
    # Reported speech puts the verb last: "zegt dat ze niet meer wil leven".
    _rule(
        _S, r"\bniet\s+meer\s+(?:wil|wilt|wou|wilde|willen)\s+(?:\w+\s+)?leven\b", topic=True,
    ),
    # "ik wil er niet meer zijn": "er zijn" is "be alive" here; a common way to say it softly.
    _rule(_S, r"\b(?:wil|wou|wilde)\s+(?:ik\s+)?er\s+(?:\w+\s+)?niet\s+meer\s+(?:zijn|wezen)\b"),
    # Short despair: "IK KAN NIET MEER", "ik kan echt niet meer verder", "ik kan het niet meer
    # aan". Only as a whole clause (_CLAUSE_END): "ik kan niet meer zwemmen" is no despair.
    _rule(
        _S, _NOT_LAUGHING, r"\bik\s+kan\s+(?:het\s+)?(?:(?:echt|gewoon|zo|werkelijk|nu)\s+)?",
        r"(?:echt\s+)?niet\s+meer(?:\s+(?:verder|aan))?", _CLAUSE_END,
    ),
    _rule(_S, r"\bik\s+(?:trek|hou|houd)\s+het\s+(?:\w+\s+)?niet\s+meer(?:\s+vol)?", _CLAUSE_END),
    _rule(_S, _NOT_A_NO, r"\bik\s+wil\s+(?:echt\s+|gewoon\s+)?niet\s+meer", _CLAUSE_END),
    # "ik wil stoppen met alles", "ik wil een einde maken aan alles": ending everything, not a
    # course ("stoppen met de muziekschool" names what stops).
    _rule(
        _S, r"\b(?:wil|wou|ga|zou\s+willen)\s+(?:\w+\s+)?stoppen\s+met\s+",
        r"(?:alles|het\s+leven|leven|mijn\s+leven)\b",
    ),
    _rule(
        _S, r"\been?\s+einde?\s+(?:maken|stellen)\s+aan\s+(?:alles|het\s+allemaal|mijn\s+leven|",
        r"het\s+leven|mezelf)\b|\been?\s+einde?\s+aan\s+(?:alles|het\s+allemaal)\s+",
        r"(?:maken|stellen)\b",
    ),
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
    # Self-harm said without "ik wil": "zin om mezelf pijn te doen", "mezelf pijn doen".
    _rule(_S, r"\b(?:mezelf|mijzelf)\s+(?:\w+\s+)?pijn\s+(?:te\s+)?doen\b"),
    # Pills saved up, or a plan "om alles te stoppen": preparing, not a course or a hobby.
    _rule(_S, r"\b(?:pillen|medicijnen|slaappillen)\s+(?:\w+\s+)?(?:gespaard|opgespaard|verzameld)\b"),
    _rule(_S, r"\bom\s+(?:alles|het\s+allemaal|mijn\s+leven|het\s+leven)\s+te\s+(?:stoppen|beeindigen)\b"),
    # "ik wil hier niet meer zijn": like "er", unless a place follows ("hier niet meer zijn in
    # deze stad" is about moving).
    _rule(
        _S, r"\b(?:wil|wou|wilde)\s+(?:ik\s+)?hier\s+(?:\w+\s+)?niet\s+meer\s+(?:zijn|wezen)\b",
        r"(?!\s+(?:in|op|bij|wonen)\b)",
    ),
    # Despair without the words above: "geen kracht meer om door te gaan", "ik ben zo wanhopig".
    # Not "wanhopig op zoek naar een oppas" (a figure of speech).
    _rule(
        _S, r"\bgeen\s+(?:kracht|energie|moed|zin)\s+meer\s+om\s+(?:nog\s+)?(?:door\s+te\s+gaan|",
        r"verder\s+te\s+gaan|te\s+leven|verder\s+te\s+leven)\b",
    ),
    _rule(_S, r"\bik\s+ben\s+(?:zo\s+|echt\s+|heel\s+|totaal\s+)?wanhopig\b(?!\s+op\s+zoek)"),

    _rule(
        _S, r"\b(?:alle|al\s+mijn|alle\s+mijn|een\s+hoop|te\s+veel|de\s+hele\s+doos)\s+",
        r"(?:\w+\s+)?(?:pillen|medicijnen|slaappillen)\s+(?:\w+\s+)?(?:nemen|innemen|slikken)\b",
    ),
    _rule(
        _S, r"\bspringen\s+(?:van|voor|onder|uit)\s+(?:de|een|het)?\s*",
        r"(?:brug|trein|flat|raam|dak|toren)\b|\bvoor\s+de\s+trein\s+springen\b",
    ),
    # "iedereen is beter af zonder mij" and "... beter af is zonder mij" (word order varies).
    _rule(
        _S, r"\bbeter\s+(?:af\s+)?(?:(?:is|zijn|was|waren|zou|zouden|zal|zullen)\s+)?",
        r"(?:zijn\s+)?(?:af\s+)?zonder\s+(?:mij|me)\b",
        r"|\bniemand\s+zou\s+", _ME, r"\s+missen\b",
    ),
    _rule(_S, r"\bals\s+ik\s+er\s+niet\s+meer\s+(?:ben|was|zou\s+zijn)\b"),
    # Someone else at risk: "mijn zoon zegt dat hij zichzelf iets wil aandoen". The help lines
    # are the same (1813, Awel 102 for the young).
    _rule(
        _S, r"\b(?:zichzelf|zich|haarzelf|hemzelf)\s+(?:iets\s+)?(?:(?:wil|wilt|wou|gaat|zal|",
        r"zou|gaan)\s+)?(?:iets\s+aandoen|aandoen|iets\s+aan\s+te\s+doen|van\s+kant\s+",
        r"(?:te\s+)?maken|ombrengen|om\s+het\s+leven\s+(?:te\s+)?brengen|ophangen|",
        r"op\s+te\s+hangen|verhangen|doodmaken)\b",
        topic=True,
    ),
    # A wish not to wake up. Not "ik wil niet meer wakker worden om 6 uur" (a time, a cause).
    _rule(
        _S, r"\b(?:wou|wil|wilde|hoop|hoopte|wens|wenste)\s+(?:dat\s+ik\s+|ik\s+)?",
        r"(?:\w+\s+){0,2}(?:niet|nooit)\s+meer\s+wakker\b(?!(?:\s+(?:worden|te\s+worden|word|",
        r"werd|wordt))?\s+(?:om|door|van|voor|bij|met|als|na|in|op|s)\b)",
    ),
    # "liefst zou ik sterven", "ik zou liever dood zijn"; not "liever dood dan naar de opera",
    # nor "ik zou sterven van schaamte / voor dat ticket" (figures of speech).
    _rule(
        _S, r"\b(?:liefst|liever)\s+(?:\w+\s+){0,2}(?:sterven|doodgaan|dood)\b",
        r"(?!\s+(?:dan|van|voor|om|als)\b)",
    ),
    _rule(
        _S, r"\bzou\s+(?:ik\s+)?(?:willen\s+)?(?:sterven|doodgaan)\b",
        r"(?!\s+(?:van|voor|om|als)\b)",
    ),
    # No way out, no point: "ik zie geen uitweg meer", "wat heeft het nog voor zin" (only as a
    # whole clause and with "nog" or "allemaal", or about life: "wat heeft het voor zin om te
    # reserveren" is a question about a booking).
    _rule(
        _S, r"\b(?:ik\s+zie|zie\s+ik|we\s+zien|wij\s+zien|zien\s+we)\s+(?:\w+\s+)?geen\s+",
        r"(?:uitweg|uitkomst|toekomst\s+meer|licht\s+meer)\b",
    ),
    _rule(
        _S, r"\bwat\s+heeft\s+(?:(?:het|dit|alles)\s+(?:allemaal\s+nog|nog|allemaal)|",
        r"(?:het|mijn|dit)\s+leven(?:\s+nog)?)\s+(?:voor\s+)?(?:een\s+)?zin(?:\s+nog)?",
        r"(?=\s*(?:[,.!?;]|$))",
        r"|\b(?:niets|niks)\s+heeft\s+(?:nog\s+)?zin(?:\s+meer)?\b|\balles\s+is\s+zinloos\b",
    ),
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
    # An intruder right now: "er is iemand binnengedrongen".
    _rule(_D, r"\b(?:binnengedrongen|binnengebroken|binnengevallen)\b"),
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
    # "mijn papa doet mij pijn"; "mijn stiefvader doet dingen met mij die ik niet wil" (abuse
    # told by a child who has no word for it).
    _rule(
        _C, r"\b", _MY, r"\s+", _PARENT, r"\s+(?:doet|deed|doen|deden)\s+", _ME,
        r"\s+(?:\w+\s+)?pijn\b",
    ),
    _rule(
        _C, r"\b", _MY, r"\s+", _PARENT, r"\s+(?:doet|deed|doen|deden)\s+(?:\w+\s+)?dingen\s+",
        r"(?:met|bij|aan)\s+", _ME, r"\b",
    ),
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
    # Sexual abuse in plain words: "hij doet dingen met mij die ik niet wil".
    _rule(
        _V, r"\b(?:doet|deed|doen|deden)\s+(?:\w+\s+)?dingen\s+(?:met|bij|aan)\s+", _ME,
        r"\s+die\s+ik\s+niet\s+wil\b",
    ),
    # Locked in: "mijn partner sluit mij op in huis", "hij houdt me opgesloten". Not "ik sluit
    # me op in mijn kamer" (no one else does it).
    _rule(
        _V, r"(?<!\bik\s)\b(?:sluit|sloot|sluiten|sloten)\s+(?:hij\s+|ze\s+|zij\s+)?",
        r"(?:mij|me|ons)\s+op\b",
    ),
    _rule(
        _V, r"\b(?:houdt|hield|heeft|hebben|had)\s+(?:hij\s+|ze\s+|zij\s+)?(?:mij|me|ons)\s+",
        r"(?:\w+\s+){0,2}opgesloten\b",
    ),
    _rule(_V, r"\bbang\s+(?:voor|van)\s+", _MY, r"\s+(?:", _PARTNER, "|", _PARENT, r")\b"),
    _rule(_V, r"\bdurf\s+(?:\w+\s+)?niet\s+(?:meer\s+)?(?:naar\s+huis|thuis\s+te\s+komen)\b"),
    # Afraid of home itself. Not "bang om 's avonds alleen naar huis te gaan" or "... na de
    # voorstelling": the way home after an activity is a known barrier, not violence.
    _rule(
        _V, r"\bbang\s+om\s+(?:naar\s+huis\s+te\s+(?:gaan|komen|keren)|thuis\s+te\s+(?:komen|",
        r"zijn|slapen))\b(?!\s+(?:na|in|s|als|met|te\s+voet|alleen|door|langs|per|om|van|",
        r"vanavond|vannacht|in\s+het\s+donker)\b)",
    ),
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
    # Not "we hebben geen huis met tuin / aan zee".
    _rule(
        _H, r"\b(?:ik|we|wij)\s+(?:heb|hebben)\s+(?:\w+\s+)?geen\s+(?:huis|woning|thuis|dak)\b",
        r"(?!\s+(?:met|maar|aan|van)\b)",
    ),
    # Inverted word order ("sinds gisteren heb ik geen huis meer") and a bare "geen huis meer".
    _rule(
        _H, r"\b(?:heb|hebben)\s+(?:ik|we|wij)\s+(?:\w+\s+)?geen\s+(?:huis|woning|thuis|dak)\b",
        r"(?!\s+(?:met|maar|aan|van)\b)|\bgeen\s+(?:huis|woning|thuis|dak)\s+meer\b",
    ),
    # Sleeping on someone's couch is a hidden form of homelessness.
    _rule(
        _H, r"\b(?:slaap|slapen|sliep|sliepen|logeer|logeren)\s+(?:\w+\s+){0,3}bij\s+",
        r"(?:vrienden|familie|kennissen|iemand|een\s+vriend|een\s+vriendin|mijn\s+\w+)\s+",
        r"op\s+(?:de|een|hun|zijn|haar)\s+(?:zetel|bank|sofa|grond|vloer)\b",
    ),
    # Evicted or about to be: "ik moet mijn huis uit", "ik moet morgen uit mijn huis". Not "ik
    # moet om 8 uur uit mijn huis vertrekken" (leaving for the day).
    _rule(
        _H, r"\b(?:moet|moeten|moest|moesten)\s+(?:\w+\s+){0,3}(?:uit|weg\s+uit)\s+",
        r"(?:mijn|ons|onze|het|de)\s+(?:huis|appartement|woning|studio|kot|flat)\b",
        r"(?!\s+(?:\w+\s+)?(?:om|voor|vertrekken|gaan|komen|weg)\b)",
        r"|\b(?:moet|moeten|moest|moesten)\s+(?:\w+\s+){0,3}(?:mijn|ons|onze|het)\s+",
        r"(?:huis|appartement|woning|studio|kot)\s+uit\b",
    ),
    _rule(_H, r"\bnergens\s+(?:om\s+te\s+|te\s+)?(?:slapen|wonen)\b"),
    _rule(_H, r"\b(?:kan|kunnen)\s+nergens\s+(?:meer\s+)?(?:naartoe|heen)\b"),
    _rule(
        _H, r"\bwaar\s+(?:kan|moet)\s+ik\s+(?:vannacht\s+|deze\s+nacht\s+|nog\s+)?slapen\b",
        r"(?!\s+(?:in|aan|op|tijdens|als|bij)\b)",
    ),
    _rule(
        _H, r"\b(?:uit\s+(?:mijn\s+|ons\s+|onze\s+|het\s+|de\s+)?(?:huis|appartement|woning|",
        r"studio|kot|flat)|op\s+straat)\s+(?:gezet|gegooid|geschopt)\b",
        r"|\buithuiszetting\b|\bbuitengezet\b",
    ),
    # "mijn vriend heeft me buiten gezet", "ik ben eruit gegooid": a person is put out. Not "de
    # vuilzakken buiten gezet".
    _rule(
        _H, r"\b(?:me|mij|ons|ik\s+ben|we\s+zijn|wij\s+zijn|ik\s+werd|we\s+werden|ik\s+word|",
        r"we\s+worden)\s+(?:\w+\s+){0,3}(?:buiten|eruit)\s*(?:gezet|gegooid|geschopt)\b",
        # Put out of a place ("buiten gezet in de cinema", "eruit gegooid bij de club") is not
        # losing a home; "eruit gegooid bij mijn ouders" is.
        r"(?!\s+(?:bij|in|tijdens|op|aan|van)\s+(?:de|het|een|die|dat)\b)",
    ),
    _rule(_H, r"\b(?:ik|we|wij)\s+(?:sta|staan)\s+op\s+straat\b|\bnachtopvang\b"),
    # An eviction still to come: "ze gaan ons morgen uit het huis zetten".
    _rule(
        _H, r"\b(?:ons|mij|me|mijn\s+gezin)\s+(?:\w+\s+){0,2}uit\s+(?:mijn\s+|ons\s+|onze\s+|het\s+|de\s+)?",
        r"(?:huis|appartement|woning|studio|flat)\s+(?:te\s+)?zetten\b",
    ),

    # Someone else (a client, a family) about to sleep outside: "die vannacht op straat moet
    # slapen". A topic in a film or talk does not fire.
    _rule(
        _H, r"\bop\s+straat\s+(?:(?:moet|moeten|moest|zal|zullen|gaat|gaan)\s+)?",
        r"(?:slapen|overnachten|leven|wonen|belanden|terechtkomen)\b",
        topic=True,
    ),
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
        # "geen eten meer" (none left) and "geen eten thuis / tot het einde van de maand / voor de
        # kinderen"; not "is er geen eten op het kamp?" (a question about an activity).
        _F, r"\bgeen\s+eten\s+meer\b|\bgeen\s+eten\s+(?:in\s+huis|thuis|tot\b|voor\s+",
        r"(?:de|mijn|onze|ons|het)\s+(?:kinderen|kids|kind|kindje|baby|gezin)\b)",
        r"|\b(?:koelkast|frigo|ijskast)\s+is\s+(?:\w+\s+)?leeg\b",
    ),
    _rule(
        _F, r"\bgeen\s+geld\s+(?:meer\s+)?(?:voor|om)\s+", _W,
        r"{0,2}(?:eten|voedsel|boodschappen)\b",
    ),
    _rule(
        _F, r"\b(?:dagen|dag|week|weken|sinds\s+(?:gisteren|eergisteren|\w+dag))\s+(?:\w+\s+)?",
        r"(?:nog\s+)?(?:niet|niks|niets|nix)\s+(?:meer\s+)?(?:gegeten|te\s+eten\s+gehad)\b",
    ),
    # Broken Dutch from newcomers: "ik niet eten 3 dagen", "3 dagen geen eten". Not "3 dagen geen
    # eten meebrengen" (a packing list for a camp).
    _rule(
        _F, r"\b(?:ik|we|wij|kinderen)\s+(?:niet|geen|niks|niets|nix)\s+(?:eten|gegeten)\s+",
        r"(?:al\s+|sinds\s+)?(?:\d+|twee|drie|vier|vijf|zes|zeven|veel|paar|enkele)\s+",
        r"(?:dagen|dag|week|weken)\b",
        r"|\b(?:\d+|twee|drie|vier|vijf|zes|zeven|paar|enkele)\s+(?:dagen|weken)\s+(?:al\s+)?",
        r"(?:niet|geen|niks|niets|nix)\s+(?:ge)?eten\b",
        r"(?!\s+(?:\w+\s+)?(?:meebrengen|meenemen|nodig|voorzien|inbegrepen|mee)\b)",
    ),
    # Rationing: "ik eet maar 1 keer per dag zodat mijn kinderen kunnen eten".
    _rule(
        _F, r"\b(?:ik|we|wij)\s+(?:eet|eten|at|aten)\s+(?:nog\s+)?(?:maar|slechts|amper|",
        r"nauwelijks)\s+(?:\w+\s+)?(?:keer|maal|x)\s+per\s+dag\b",
        r"|\bzodat\s+(?:mijn|de|onze)\s+(?:kinderen|kids|kind)\s+(?:\w+\s+)?",
        r"(?:kunnen|kan)\s+eten\b",
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
