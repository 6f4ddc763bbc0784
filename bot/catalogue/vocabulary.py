"""What residents type → search facets (category, audience, age, barriers, price, time, place).

The word lists hold everyday and Flemish spoken forms and common typos. Matching works on
folded tokens (see terms.fold): longest phrase first, then compounds ("voetbalclub"), then a
close-match pass for typos. Municipalities come from the spaCy pipeline's "municipality"
entities (ent_id_ = NIS code); a plain name lookup stands in while a pipeline lacks that ruler.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from bot.catalogue import taxonomy
from bot.catalogue.terms import fold, terms, tokens

# The value normalize_* return for "maakt niet uit": the person has no preference.
ANY = "any"

# "goedkoop" without an amount: this ceiling, counting discounts such as the kansentarief.
LOW_BUDGET_CENTS = 500


def _lines(spec: str) -> dict[str, tuple[str, ...]]:
    """Parse 'code: phrase, phrase' lines (continuation lines start with spaces)."""
    table: dict[str, list[str]] = {}
    code = ""
    for raw in spec.strip("\n").splitlines():
        if not raw.strip():
            continue
        if not raw.startswith(" "):
            code, _, raw = raw.partition(":")
            code = code.strip()
        table.setdefault(code, []).extend(p.strip() for p in raw.split(",") if p.strip())
    return {c: tuple(" ".join(tokens(p)) for p in ps) for c, ps in table.items()}


CATEGORY_WORDS = _lines(
    """
sport: sport, sporten, sportief, sportiefs, sportieve, sportclub, sportkamp, sporthal, bewegen,
  beweging, voetbal, voetballen, voetbalclub, minivoetbal, zaalvoetbal, basketbal, basket,
  volleybal, tennis, badminton, tafeltennis, pingpong, turnen, gym, gymmen, fitness, yoga,
  pilates, zumba, dansen, dansles, danslessen, lopen, joggen, looptraining, atletiek, fietsen,
  wielrennen, judo, karate, taekwondo, vechtsport, boksen, hockey, petanque, klimmen, skaten,
  schaatsen, rugby, handbal, badminton, sportdag, bewegingsles, conditie, start to run,
  voetbl, sprot
zwemmen: zwemmen, zwem, zwemles, zwemlessen, zwembad, zwembaden, baantjes zwemmen, aquagym,
  watergewenning, zwemclub, zwemmer, zwemen, zwemmn, zwemm
podium: theater, teater, toneel, toneelstuk, voorstelling, voorstellingen, theatervoorstelling,
  dansvoorstelling, ballet, concert, concerten, optreden, cabaret, comedy, circus, poppenkast,
  poppentheater, opera, podium, schouwburg, cultuurcentrum, festival, muziekfestival,
  kindervoorstelling, familievoorstelling, show, toneell, concer
film: film, films, cinema, bioscoop, cine, filmvoorstelling, movie, movies, filmavond, filmpje,
  kinderfilm, filmen, cinemaa
museum: museum, musea, museums, tentoonstelling, tentoonstellingen, expo, expositie, erfgoed,
  geschiedenis, kasteel, monument, galerij, museumbezoek, kunstwerken, musem, musuem, museeum
bibliotheek: bibliotheek, bib, biblio, bieb, boeken, boek, lezen, voorlezen, voorleesuurtje,
  strips, stripverhalen, leesclub, boekenclub, leesgroep, bibliotheken, bibliotheec, biblioteek
muziek: muziek maken, muziekles, muzieklessen, muziekschool, muziekacademie, instrument,
  gitaar, gitaarles, piano, pianoles, drum, drummen, zingen, koor, zangles, fanfare,
  notenleer, samen zingen, muziek
creatief: knutselen, knutsel, knutselatelier, atelier, tekenen, tekenles, schilderen,
  creatief, creatieve, naaien, naailes, breien, haken, handwerk, boetseren, keramiek,
  fotografie, kunstatelier, crea, textiel, mozaiek, kunst maken, kunst, knutselenn, knutsellen
natuur: natuur, buiten, wandelen, wandeling, wandelingen, natuurwandeling, park, bos, bossen,
  tuin, moestuin, tuinieren, dieren, kinderboerderij, vogels, fietstocht, fietstochten,
  natuurgebied, frisse lucht, in de natuur
jeugdwerk: jeugdbeweging, jeugdwerk, jeugdhuis, speelplein, speelpleinen, speelpleinwerking,
  chiro, scouts, ksa, speelstraat, jeugdclub, tienerwerking, grabbelpas, speeltuin, spelen,
  speelpein, speelplijn
uitstap: uitstap, uitstapje, uitstappen, daguitstap, uitje, dagtrip, dagje uit, vakantie,
  reis, reisje, zee, pretpark, dierentuin, zoo, vakantiekamp, kamp, op reis, weekendje weg,
  busreis, daguitstapje, op uitstap, uitsap, uitstab
ontmoeting: ontmoeting, ontmoeten, mensen leren kennen, mensen ontmoeten, nieuwe mensen,
  praatcafe, koffie, koffieklets, babbel, babbelen, buurthuis, buurtcentrum, dienstencentrum,
  lokaal dienstencentrum, samen eten, eetcafe, soep, spelnamiddag, kaarten, vrienden maken,
  vrienden, gezelschap, eenzaam, alleen thuis, buren, buurtfeest, samenzijn, schaken,
  schaakclub, dammen, bordspel, bordspellen, gezelschapsspel, gezelschapsspellen, quiz
leren: leren, les, lessen, cursus, cursussen, workshop, workshops, taalles, taallessen,
  nederlands leren, nederlands oefenen, taalcafe, conversatietafel, oefenen, computer,
  computerles, computercursus, digitaal, smartphone, gsm, internet leren, huiswerk,
  huiswerkbegeleiding, huiswerkklas, vorming, lezing, bijles, studeren, nederlandse les
"""
)

AUDIENCE_WORDS = _lines(
    """
gezinnen: gezin, gezinnen, familie, het hele gezin, met het gezin, met de kinderen,
  met mijn kinderen, met onze kinderen, met de kids, met mijn kids, met de kinders,
  met mijn kinders, met de kleinkinderen, met mijn kleinkinderen, ouders en kinderen,
  ouder en kind, samen met de kinderen, gezinsactiviteit, familiedag
kinderen: kind, kinderen, kindje, kindjes, kids, kinders, zoon, zoontje, dochter,
  dochtertje, kleinkind, kleinkinderen, kleinzoon, kleindochter, kleuter, kleuters,
  peuter, peuters, kleine, kleintje, jongen, meisje, lagere school, kindren, kinderren
jongeren: jongeren, jongere, jeugd, tiener, tieners, puber, pubers, tienerzoon,
  tienerdochter, student, studenten, middelbare school, adolescent, jongern
volwassenen: volwassene, volwassenen, mezelf, voor mij, voor mezelf, mijn vrouw, mijn man,
  mijn partner, vrouwen, mannen, mama, papa, moeders, vaders, ouders, volwasenen
senioren: senioren, senior, ouderen, oudere, bejaarden, bejaarde, gepensioneerd,
  gepensioneerden, op pensioen, 65 plus, 65plus, 65plussers, oma, opa, grootouders,
  grootmoeder, grootvader, bomma, bompa, meme, pepe, seniors
"""
)

FEATURE_WORDS = _lines(
    """
kinderopvang: kinderopvang, opvang, opvang voor de kinderen, opvang voor mijn kinderen,
  kinderoppas, oppas, babysit, babysitter, creche, kinderopvang nodig, kinderopvan,
  kinderopang, oppas voor de kinderen
rolstoeltoegankelijk: rolstoel, rolwagen, rolstoeltoegankelijk, toegankelijk, rolstoelgebruiker,
  in een rolstoel, slecht te been, rollator, mindervalide, rolstoeltoegankelijke, rolstoel
  toegankelijk, rolstoell, rolsoel
ringleiding: ringleiding, hoorapparaat, slechthorend, slecht horen, doof, hoorapparaten,
  ringleidng
weinig_nederlands: weinig nederlands, geen nederlands, niet goed nederlands,
  spreek weinig nederlands, spreek geen nederlands, spreek niet goed nederlands,
  ken weinig nederlands, ken geen nederlands, leer nederlands, leer nog nederlands,
  anderstalig, anderstalige, anderstaligen, nieuwkomer, nieuwkomers, een beetje nederlands,
  weinig nederlans, weinig nederland, beetje nederlands, weinig taal, zonder veel nederlands,
  niet goed lezen, kan niet lezen, moeilijk lezen, niet lezen, moeite met lezen
begeleiding: begeleiding, samen gaan, samen gaan mogelijk, niet alleen, durf niet alleen,
  alleen durf ik niet, niet graag alleen, iemand die meegaat, iemand die mee gaat,
  met iemand samen, ik ken niemand, ken er niemand, ken daar niemand, iemand om mee te gaan,
  meegaan, begeleider, begleiding, samen met iemand
vervoer: vervoer, vervoer geregeld, geen vervoer, geen auto, zonder auto, heb geen auto,
  geen wagen, zonder wagen, ophalen, opgehaald, ophaaldienst, busje, vervoerr, moeilijk
  verplaatsen, kan niet rijden
zonder_inschrijving: zonder inschrijving, zonder inschrijven, zonder in te schrijven,
  niet inschrijven, geen inschrijving, binnenlopen, gewoon binnenlopen, binnenspringen,
  vrije inloop, inloop, inloopmoment, vrij binnen, gewoon langskomen, langskomen
gratis_proefles: proefles, gratis proefles, proeflessen, eerst proberen, eens proberen,
  gratis proberen, probeerles, kennismakingsles, gratis uitproberen, uitproberen
"""
)

DISCOUNT_WORDS = _lines(
    """
kansentarief: kansentarief, uitpas, uit pas, uitpas met kansentarief, vrijetijdspas, kansenpas,
  uitpass, kansentarif
artikel27: artikel 27, art 27, article 27, artikel27
paspartoe: paspartoe, paspartout, pas partoe
"""
)

PRICE_WORDS = _lines(
    """
free: gratis, gratiss, gartis, kost niets, kost niks, niks kost, niets kost, zonder kosten,
  geen geld, heb geen geld, vrije toegang, gratis toegang, gratis binnen, niks betalen,
  niets betalen, geen kosten, kosteloos, for free
cheap: goedkoop, goedkope, goedkoops, goekoop, weinig geld, niet duur, niet te duur,
  betaalbaar, beetje geld, klein budget, krap bij kas, weinig kosten, voordelig, spotgoedkoop,
  korting, met korting, niet veel geld, niet veel kosten, weinig betalen
"""
)

TIME_WORDS = _lines(
    """
ochtend: ochtend, s ochtends, ochtends, s morgens, smorgens, voormiddag, s voormiddags,
  voormiddags, in de voormiddag, in de ochtend, ochtenden
middag: middag, namiddag, s middags, smiddags, middags, s namiddags, namiddags,
  in de namiddag, na de middag, namiddagen
avond: avond, avonden, s avonds, savonds, avonds, s avond, na het werk, na mijn werk,
  in de avond, savons, s avons, maandagavond, dinsdagavond, donderdagavond, vrijdagavond
weekend: weekend, weekends, in het weekend, zaterdag, zondag, zaterdags, zondags,
  zaterdagen, zondagen, het weekend, weeekend, weekent, zaterdagochtend, zaterdagmorgen,
  zaterdagvoormiddag, zaterdagmiddag, zaterdagnamiddag, zaterdagavond, zondagochtend,
  zondagmorgen, zondagvoormiddag, zondagmiddag, zondagnamiddag, zondagavond
woensdagnamiddag: woensdagnamiddag, woensdagmiddag, woensdag namiddag, woensdag middag,
  woensdagnamiddagen, woensdagmiddagen, woensdag na school, woensdagnamidag
"""
)


INDIFFERENT = tuple(
    " ".join(tokens(p))
    for p in (
        "maakt niet uit", "maakt me niet uit", "maakt mij niet uit", "maakt niks uit",
        "maakt nie uit", "om het even", "om t even", "egal", "geen voorkeur", "alles is goed",
        "alles goed", "kan me niet schelen", "kan mij niet schelen", "alles", "van alles",
        "doet er niet toe", "geen idee", "weet niet", "ik weet het niet", "maakt niet uit.",
        "het maakt niet uit", "t maakt niet uit", "maak niet uit", "om het eender", "eender",
        "eender wat", "overal", "allemaal",
    )
)

NEGATIONS = frozenset({"niet", "nie", "geen", "nooit"})

# Compound starts that say who it is for ("kindervoorstelling", "seniorennamiddag").
AUDIENCE_PREFIXES = {
    "kinder": "kinderen", "kleuter": "kinderen", "jeugd": "jongeren", "tiener": "jongeren",
    "senioren": "senioren", "gezins": "gezinnen", "familie": "gezinnen",
}

PERSON_WORDS = frozenset(
    "zoon zoontje dochter dochtertje kind kindje kleinkind kleinzoon kleindochter jongen meisje "
    "broer zus zusje broertje neef nicht kleine kleintje tienerzoon tienerdochter kinderen kids "
    "kinders kleinkinderen zonen dochters kindjes jongens meisjes kleinzonen kleindochters "
    "neefje nichtje baby peuter peuters kleuter kleuters tiener tieners puber pubers tweeling "
    "jongste oudste middelste".split()
)
# Adults and pronouns before "is" / "wordt" + a number: "mijn mama is 80", "hij wordt 12".
OTHER_PERSON_WORDS = frozenset(
    "mama mams moeder ma vader papa pa opa oma bomma bompa moemoe vava grootmoeder grootvader "
    "man vrouw partner echtgenoot echtgenote vriend vriendin tante nonkel oom buurman buurvrouw "
    "client cliente hij zij ze".split()
)
# The adults of OTHER_PERSON_WORDS, for "mijn man van 67" (not "ze van 10").
ADULT_WORDS = OTHER_PERSON_WORDS - {"hij", "zij", "ze"}

NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "nul een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien "
        "vijftien zestien zeventien achttien negentien twintig".split()
    )
}
NUMBER_WORDS["één"] = 1
TENS = {"twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60,
        "zeventig": 70, "tachtig": 80, "negentig": 90}
_COMPOUND_NUMBER = re.compile(
    r"^(een|twee|drie|vier|vijf|zes|zeven|acht|negen)en(twintig|dertig|veertig|vijftig|"
    r"zestig|zeventig|tachtig|negentig)$"
)


def number_value(word: str) -> int | None:
    """'10', 'tien', 'vijfenzeventig' → the number; anything else → None."""
    if word.isdigit():
        return int(word)
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    if word in TENS:
        return TENS[word]
    m = _COMPOUND_NUMBER.match(word)
    if m:
        return NUMBER_WORDS[m.group(1)] + TENS[m.group(2)]
    return None


@dataclass(frozen=True)
class Facets:
    """Everything a message says about what someone is looking for. Codes from taxonomy."""

    municipality: str | None = None  # NIS code
    postal_code: str | None = None
    category: str | None = None
    categories: tuple[str, ...] = ()  # all categories named, the first is ``category``
    audience: str | None = None
    age: int | None = None
    features: tuple[str, ...] = ()  # access features the person needs
    discounts: tuple[str, ...] = ()  # discount schemes the person has or asks for
    free: bool = False
    max_price_cents: int | None = None
    part_of_day: str | None = None
    excluded_parts: tuple[str, ...] = ()  # "niet 's avonds", "overdag"
    words: tuple[str, ...] = ()  # other content lemmas, for relevance ranking
    indifferent: bool = False  # "maakt niet uit"

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def is_empty(self) -> bool:
        return self == Facets(indifferent=self.indifferent)


# --- matching -------------------------------------------------------------------------------


@dataclass
class _Table:
    """Phrase → (kind, code) for every word list, with the helpers for typo matching."""

    phrases: dict[tuple[str, ...], tuple[str, str]] = field(default_factory=dict)
    longest: int = 1
    singles: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _table() -> _Table:
    table = _Table()
    groups = (
        ("indifferent", {ANY: INDIFFERENT}),
        ("price", PRICE_WORDS),
        ("discount", DISCOUNT_WORDS),
        ("feature", FEATURE_WORDS),
        ("time", TIME_WORDS),
        ("not_time", {"avond": ("overdag", "niet s avonds", "geen avonden")}),
        ("audience", AUDIENCE_WORDS),
        ("category", CATEGORY_WORDS),
    )
    for kind, words in groups:
        for code, phrases in words.items():
            for phrase in phrases:
                key = tuple(phrase.split())
                # Earlier groups win a tie (e.g. "gratis proefles" is a feature, not a price).
                table.phrases.setdefault(key, (kind, code))
                table.longest = max(table.longest, len(key))
    # Codes and Dutch labels match too (button payloads and typed labels).
    for kind, codes in (
        ("category", taxonomy.CATEGORIES), ("audience", taxonomy.AUDIENCES),
        ("feature", taxonomy.FEATURES), ("time", taxonomy.PARTS_OF_DAY),
        ("discount", taxonomy.DISCOUNTS),
    ):
        for code, item in codes.items():
            for text in (code, item.label, item.button):
                key = tuple(tokens(text))
                if key:
                    table.phrases.setdefault(key, (kind, code))
                    table.longest = max(table.longest, len(key))
    # Typo matching only on single words long enough to be told apart.
    table.singles = sorted(
        k[0] for k, (kind, _) in table.phrases.items() if len(k) == 1 and len(k[0]) >= 5
        and kind != "indifferent"
    )
    return table


@dataclass
class _Hit:
    kind: str
    code: str
    start: int
    end: int  # exclusive


def _match(toks: list[str]) -> tuple[list[_Hit], set[int]]:
    """Longest phrase first, then compounds and typos on the words left over."""
    table = _table()
    hits: list[_Hit] = []
    used: set[int] = set()
    i = 0
    while i < len(toks):
        for n in range(min(table.longest, len(toks) - i), 0, -1):
            found = table.phrases.get(tuple(toks[i:i + n]))
            if found:
                hits.append(_Hit(found[0], found[1], i, i + n))
                if n == 1 and found[0] == "category":  # "kindervoorstelling": for children
                    hits.extend(_Hit("audience", a, i, i + 1) for a in _audience_prefix(toks[i]))
                used.update(range(i, i + n))
                i += n
                break
        else:
            i += 1
    for i, tok in enumerate(toks):
        if i in used or len(tok) < 5 or tok.isdigit():
            continue
        found = _compound(tok) or _typo(tok)
        for kind, code in found:
            hits.append(_Hit(kind, code, i, i + 1))
        if found:
            used.add(i)
    hits.sort(key=lambda h: h.start)
    return hits, used


def _audience_prefix(tok: str) -> list[str]:
    for prefix, audience in AUDIENCE_PREFIXES.items():
        if tok.startswith(prefix) and len(tok) > len(prefix) + 2:
            return [audience]
    return []


def _compound(tok: str) -> list[tuple[str, str]]:
    """'voetbalclub' → sport, 'kindervoorstelling' → kinderen + podium."""
    if len(tok) < 7:
        return []
    table = _table()
    found: list[tuple[str, str]] = []
    for prefix, audience in AUDIENCE_PREFIXES.items():
        if tok.startswith(prefix) and len(tok) > len(prefix) + 2:
            found.append(("audience", audience))
            rest = tok[len(prefix):]
            hit = table.phrases.get((rest,))
            if hit and hit[0] == "category":
                found.append(hit)
            break
    best = ""
    for word in table.singles:
        # The rest must be a word too: "schaken" is no compound of "haken".
        if word == tok or len(word) <= len(best) or len(tok) - len(word) < 3:
            continue
        kind = table.phrases[(word,)][0]
        # Feature words only as a compound's start: "nachtopvang" is no kinderopvang.
        if (kind == "category" and (tok.startswith(word) or tok.endswith(word))) or (
            kind == "feature" and tok.startswith(word)
        ):
            best = word
    if best and not any(kind == "category" for kind, _ in found):
        found.append(table.phrases[(best,)])
    return found


def _typo(tok: str) -> list[tuple[str, str]]:
    close = difflib.get_close_matches(tok, _table().singles, n=1, cutoff=0.85)
    return [_table().phrases[(close[0],)]] if close else []


# --- municipalities --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _names() -> dict[tuple[str, ...], str]:
    """Folded Dutch and French municipality names → NIS code (fallback lookup)."""
    from bot import places

    names: dict[tuple[str, ...], str] = {}
    for m in places.all_municipalities():
        for name in (m.name_nl, m.name_fr):
            key = tuple(tokens(name))
            if len(key) > 1 or len(key[0]) >= 4:  # "As", "Ham" are everyday words too
                names.setdefault(key, m.nis_code)
    return names


def _has_municipality_ruler(nlp) -> bool:
    for _name, pipe in nlp.pipeline:
        labels = getattr(pipe, "labels", ())
        if "municipality" in labels:
            return True
    return False


def _municipality(text: str) -> tuple[str | None, list[str]]:
    """(NIS code, folded surface texts to blank out) from the pipeline or the name list."""
    from bot.nlp import load

    nlp = load()
    if _has_municipality_ruler(nlp):
        doc = nlp(text)
        ents = [e for e in doc.ents if e.label_ == "municipality" and e.ent_id_]
        return (ents[0].ent_id_ if ents else None), [fold(e.text) for e in ents]
    toks = tokens(text)
    names = _names()
    for i in range(len(toks)):
        for n in range(min(5, len(toks) - i), 0, -1):
            nis = names.get(tuple(toks[i:i + n]))
            if nis:
                return nis, [" ".join(toks[i:i + n])]
    return None, []


_POSTAL = re.compile(r"\b([1-9]\d{3})\b(?!\s*(?:euro|eur|€|jaar|jr))")
_PRICE = re.compile(
    r"(?:max(?:imum|imaal)?|hoogstens|ten hoogste|minder dan|onder|tot|niet meer dan|"
    r"hooguit|maar)?\s*(?:€\s*(\d+(?:[.,]\d{1,2})?)|(\d+(?:[.,]\d{1,2})?|[a-z]+)\s*(?:euro|eur|€))"
)


def _postal_code(text: str) -> tuple[str | None, str | None]:
    from bot import places

    for m in _POSTAL.finditer(text):
        found = places.by_postal_code(m.group(1))
        if found:
            return m.group(1), found.nis_code
    return None, None


def _price_ceiling(folded: str) -> int | None:
    for m in _PRICE.finditer(folded):
        raw = m.group(1) or m.group(2)
        if raw.replace(",", "").replace(".", "").isdigit():
            value = float(raw.replace(",", "."))
        else:
            number = number_value(raw)
            if number is None:
                continue
            value = float(number)
        return int(round(value * 100))
    return None


_AGE_YEARS = re.compile(r"\b(\d{1,3}|[a-z]+)[\s-]*(?:jaar|jarige|jarigen|jr|jaar oud)\b"
                        r"|\bvan (\d{1,3})j\b")  # "dochter van 9j"
# "mijn zoon (11)": a number in brackets right after the person.
_AGE_BRACKETS = re.compile(r"\b([a-z]+)\s*\(\s*(\d{1,3})\s*\)")
# Between the verb and the number: "ze is bijna 10", "hij is net 14".
_AGE_HEDGES = frozenset("bijna net pas ongeveer al juist".split())
_AGE_PLUS = re.compile(r"\b(\d{2})\s*(?:\+|plus|plussers?)")
# A number followed by one of these is no age: "5 euro", "3 keer", "8 uur", "6 maanden".
_NOT_YEARS = frozenset("euro eur keer maal uur u minuten min km procent kilo kg dagen weken "
                       "maanden".split())


# Not "voor", "bijna", "ongeveer": "voor 6-jarigen", "bijna 12 jaar" are ages.
_DURATION_BEFORE = re.compile(r"\b(?:al|sinds|sedert|na|binnen|over|nog)\s*$")
_DURATION_AFTER = re.compile(r"^\s*(?:geleden|lang|later|terug)\b")


def _is_duration(m: re.Match, folded: str) -> bool:
    """"al 3 jaar", "3 jaar geleden": a span of time, not someone's age."""
    return bool(_DURATION_BEFORE.search(folded[:m.start()])
                or _DURATION_AFTER.match(folded[m.end():]))


def _years(m: re.Match) -> str:
    """The number of an _AGE_YEARS match, whichever of its two forms matched."""
    return m.group(1) or m.group(2)


def _is_age_token(toks: list[str], i: int) -> bool:
    """Whether the number at token i is someone's age by the words before it."""
    after = toks[i + 1:i + 2]
    if i == 0 or toks[i] in ("een", "één") or (after and after[0] in _NOT_YEARS):
        return False  # "ik ben een vrouw": an article; "3 keer": a count
    if after and after[0] in ("jaar", "jarige", "jarigen", "jr"):
        return False  # _AGE_YEARS had it first and found a span of time: "ik ben al 3 jaar"
    j = i - 1
    if toks[j] in _AGE_HEDGES and j > 0:
        j -= 1  # "ze is bijna 10"
    verb, before = toks[j], toks[max(0, j - 3):j]
    if verb in ("van", "is", "wordt", "zijn", "worden") and PERSON_WORDS.intersection(before):
        return True
    if verb in ("is", "wordt", "werd", "zijn") and OTHER_PERSON_WORDS.intersection(before):
        return True
    if verb == "van" and ADULT_WORDS.intersection(before):
        # "mijn man van 67", not "moeder van 3 kinderen"
        return not (after and after[0] in PERSON_WORDS)
    return verb in ("ben", "word", "wordt") and "ik" in before


def _age(toks: list[str], folded: str) -> int | None:
    for m in _AGE_YEARS.finditer(folded):
        if _is_duration(m, folded):
            continue
        value = number_value(_years(m))
        if value is not None and 0 <= value <= 110:
            return value
    for m in _AGE_BRACKETS.finditer(folded):
        if (m.group(1) in PERSON_WORDS or m.group(1) in ADULT_WORDS) and int(m.group(2)) <= 110:
            return int(m.group(2))
    # "mijn zoon van 10", "dochter van tien", "ik ben 75"
    for i, tok in enumerate(toks):
        value = number_value(tok)
        if value is not None and 0 <= value <= 110 and _is_age_token(toks, i):
            return value
    # "65+", "65 plussers": the lower bound of the group meant.
    for m in _AGE_PLUS.finditer(folded):
        value = int(m.group(1))
        if 40 <= value <= 99:
            return value
    return None


def extract_facets(text: str) -> Facets:
    """Read a resident's message: place, interest, for whom, barriers, price and time."""
    folded = fold(text)
    municipality, surfaces = _municipality(text)
    postal_code, postal_nis = _postal_code(folded)
    municipality = municipality or postal_nis
    for surface in surfaces:
        folded = folded.replace(surface, " ")
    toks = tokens(folded)
    hits, used = _match(toks)

    categories: list[str] = []
    audiences: list[str] = []
    features: list[str] = []
    discounts: list[str] = []
    parts: list[str] = []
    excluded: list[str] = []
    free = cheap = indifferent = False
    for hit in hits:
        if hit.kind == "category":
            categories.append(hit.code)
        elif hit.kind == "audience":
            audiences.append(hit.code)
        elif hit.kind == "feature":
            features.append(hit.code)
        elif hit.kind == "discount":
            discounts.append(hit.code)
        elif hit.kind == "price":
            free = free or hit.code == "free"
            cheap = cheap or hit.code == "cheap"
        elif hit.kind == "indifferent":
            indifferent = True
        elif hit.kind == "time":
            around = toks[max(0, hit.start - 2):hit.start] + toks[hit.end:hit.end + 3]
            (excluded if NEGATIONS.intersection(around) else parts).append(hit.code)
        elif hit.kind == "not_time":
            excluded.append(hit.code)

    age = _age(toks, folded)
    audience = _first(audiences)
    if age is not None and audience != "gezinnen":
        audience = taxonomy.audience_for_age(age)
    # "woensdag namiddag" also matched "middag": keep the most specific.
    if "woensdagnamiddag" in parts and "middag" in parts:
        parts.remove("middag")

    max_price = _price_ceiling(folded)
    if max_price == 0:
        free, max_price = True, None
    if cheap and max_price is None and not free:
        max_price = LOW_BUDGET_CENTS

    consumed = {toks[i] for i in used}
    rest = " ".join(t for t in toks if t not in consumed and number_value(t) is None)
    words = tuple(w for w in terms(rest) if w not in consumed) if rest.strip() else ()
    return Facets(
        municipality=municipality,
        postal_code=postal_code,
        category=_first(categories),
        categories=tuple(dict.fromkeys(categories)),
        audience=audience,
        age=age,
        features=tuple(dict.fromkeys(features)),
        discounts=tuple(dict.fromkeys(discounts)),
        free=free,
        max_price_cents=None if free else max_price,
        part_of_day=_first(parts),
        excluded_parts=tuple(dict.fromkeys(excluded)),
        words=words,
        indifferent=indifferent and not (categories or audiences or features or parts),
    )


def _first(items: list[str]) -> str | None:
    return items[0] if items else None


# --- single values (button payloads, slot values) --------------------------------------------


def _normalize(value, table: dict[str, taxonomy.Code], kind: str, strict: bool = False) -> str | None:
    """A code from a code, label or synonym. ``strict``: the whole value must be one term
    (for data files, where "breien op de maan" must not quietly become "creatief")."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if text in table:
        return text
    toks = tokens(text)
    hits, _ = _match(toks)
    for hit in hits:
        if hit.kind == kind and (not strict or (hit.start, hit.end) == (0, len(toks))):
            return hit.code
    if any(hit.kind == "indifferent" for hit in hits):
        return ANY
    return None


def normalize_category(value, strict: bool = False) -> str | None:
    """A category code, ANY for "maakt niet uit", None when not understood."""
    return _normalize(value, taxonomy.CATEGORIES, "category", strict)


def normalize_audience(value, strict: bool = False) -> str | None:
    """An audience code (also from an age: "10" → kinderen), ANY, or None."""
    code = _normalize(value, taxonomy.AUDIENCES, "audience", strict)
    if code in (None, ANY) and not strict:
        age = normalize_age(value)
        if age is not None:
            return taxonomy.audience_for_age(age)
    return code


def normalize_barrier(value, strict: bool = False) -> str | None:
    """An access feature code (taxonomy.FEATURES), ANY for "geen", or None."""
    if value is not None and tokens(str(value)) in (["geen"], ["nee"], ["niets"], ["niks"]):
        return ANY
    return _normalize(value, taxonomy.FEATURES, "feature", strict)


normalize_feature = normalize_barrier


def normalize_part_of_day(value, strict: bool = False) -> str | None:
    return _normalize(value, taxonomy.PARTS_OF_DAY, "time", strict)


def normalize_discount(value, strict: bool = False) -> str | None:
    return _normalize(value, taxonomy.DISCOUNTS, "discount", strict)


def normalize_age(value) -> int | None:
    """'10', 'tien', '10 jaar', 'mijn zoon van 10' → 10."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if 0 <= value <= 110 else None
    toks = tokens(str(value))
    if len(toks) == 1:
        number = number_value(toks[0])
        return number if number is not None and 0 <= number <= 110 else None
    return _age(toks, fold(str(value)))


def normalize_price(value) -> tuple[bool, int | None] | None:
    """(free, ceiling in cents) from "gratis", "max 5 euro", "goedkoop"; ANY → (False, None)."""
    if value is None or not str(value).strip():
        return None
    facets_ = extract_facets(str(value))
    if facets_.free or facets_.max_price_cents is not None:
        return facets_.free, facets_.max_price_cents
    if facets_.indifferent:
        return False, None
    return None


def normalize_municipality(value) -> str | None:
    """A NIS code from a name, postal code or NIS code; ANY for "maakt niet uit"; else None."""
    from bot import places

    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    if places.by_nis(text):
        return text
    if text.isdigit() and places.by_postal_code(text):
        return places.by_postal_code(text).nis_code
    nis, _ = _municipality(text)
    if nis:
        return nis
    postal, nis = _postal_code(fold(text))
    if nis:
        return nis
    return ANY if tuple(tokens(text)) in {tuple(p.split()) for p in INDIFFERENT} else None


# --- where the facets are: character spans for NLU entities (bot/nlp/facet_extractor.py) ------


@dataclass(frozen=True)
class FacetSpan:
    """One facet as the text says it: ``text[start:end]`` is the words matched (for an age the
    number). ``kind`` is "category", "audience", "feature", "part_of_day" or "age"; ``value``
    the taxonomy code (an int of years for an age)."""

    kind: str
    value: str | int
    start: int
    end: int


@dataclass(frozen=True)
class LocatedFacets:
    facets: Facets
    spans: tuple[FacetSpan, ...]


def locate_facets(text: str) -> LocatedFacets:
    """``extract_facets(text)`` and where the text says its category, audience, features, part
    of day and age. Only what the facets hold gets a span, with the facets' own value: a negated
    "niet 's avonds" gets none, and "mijn dochter van 15" marks "dochter" as jongeren because
    the age decides the audience. An audience or age the core derives without a word of its
    own ("ik ben 75 jaar" → senioren) is in ``facets`` but has no span."""
    facets = extract_facets(text)
    folded, where = _fold_with_offsets(text)
    # Blank the places the way extract_facets does, but keep the length so offsets hold.
    for surface in _municipality(text)[1]:
        folded = folded.replace(surface, " " * len(surface))
    found = list(_WORD_RE.finditer(folded))
    toks = [m.group() for m in found]

    def chars(first: int, last: int) -> tuple[int, int]:
        start, end = where[found[first].start()], where[found[last].end() - 1] + 1
        if toks[first] == "s" and start > 0 and text[start - 1] in "'’‘`":
            start -= 1  # "'s avonds" with its apostrophe
        return start, end

    age_audience = facets.age is not None and facets.audience == taxonomy.audience_for_age(facets.age)
    spans: list[FacetSpan] = []
    for hit in _match(toks)[0]:
        kind, value = hit.kind, None
        if kind == "category" and hit.code in facets.categories:
            value = hit.code
        elif kind == "feature" and hit.code in facets.features:
            value = hit.code
        elif kind == "time" and hit.code == facets.part_of_day:
            kind, value = "part_of_day", hit.code
        elif kind == "audience" and facets.audience is not None and (
            hit.code == facets.audience
            or (age_audience and PERSON_WORDS.issuperset(toks[hit.start:hit.end]))
        ):
            value = facets.audience
        if value is not None:
            spans.append(FacetSpan(kind, value, *chars(hit.start, hit.end - 1)))
    if facets.age is not None:
        at = _age_at(found, folded, facets.age)
        if at is not None:
            spans.append(FacetSpan("age", facets.age, where[at[0]], where[at[1] - 1] + 1))
            for value, (start, end) in _further_ages(found, folded, at):
                spans.append(FacetSpan("age", value, where[start], where[end - 1] + 1))
    spans.sort(key=lambda s: (s.start, s.end))
    return LocatedFacets(facets, tuple(spans))


_WORD_RE = re.compile(r"[a-z0-9]+")  # terms.tokens' word pattern, on already folded text


def _fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """fold(text), with the index in ``text`` of every character of the result."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        folded = fold(ch)
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


def _age_at(found: list[re.Match], folded: str, age: int) -> tuple[int, int] | None:
    """Where in ``folded`` _age found ``age`` (the number's characters).

    Asks _age itself instead of repeating its rules: the first "N jaar" with that value is the
    one it took; otherwise the first token i for which _age, with every later number blanked,
    still finds the age (a later number cannot change whether token i qualifies)."""
    for m in _AGE_YEARS.finditer(folded):
        if number_value(_years(m)) == age and not _is_duration(m, folded):
            return m.span(1) if m.group(1) else m.span(2)
    toks = [m.group() for m in found]
    for i, tok in enumerate(toks):
        if number_value(tok) != age:
            continue
        masked = [t if k <= i or number_value(t) is None else "x" for k, t in enumerate(toks)]
        if _age(masked, "") == age:
            return found[i].span()
    # A rule _age may gain later ("75+"): the first number with that value.
    return next((m.span() for m in found if number_value(m.group()) == age), None)


# What may follow the last number of a list of ages: "van 5 en 9 jaar", "van 5 en 9 willen".
_AFTER_LISTED_AGE = frozenset(
    "jaar jarige jarigen jr en of die dat wil willen wilt zoekt zoeken zoek in te om voor graag "
    "houden houdt mag mogen kan kunnen gaan gaat doen doet is zijn heeft hebben maar met op "
    "iets".split()
)


def _further_ages(found: list[re.Match], folded: str, first: tuple[int, int]):
    """The other ages of a message, besides the one the facets hold (at ``first``): "kinderen
    van 5 en 9", "de jongste is drie en de oudste is acht". Only entities: the search takes
    one age. Yields (years, span in ``folded``)."""
    toks = [m.group() for m in found]
    ages: dict[int, int] = {}  # token index → years
    for m in _AGE_YEARS.finditer(folded):
        span = m.span(1) if m.group(1) else m.span(2)
        i = next((k for k, f in enumerate(found) if f.span() == span), None)
        value = number_value(_years(m))
        if i is not None and value is not None and value <= 110 and not _is_duration(m, folded):
            ages[i] = value
    for i, tok in enumerate(toks):
        value = number_value(tok)
        if value is not None and value <= 110 and _is_age_token(toks, i):
            ages[i] = value
    # Numbers listed after an age: "van 3, 6 en 9 (jaar)".
    for i in sorted(ages):
        j = i + 1
        while j < len(toks):
            if toks[j] in ("en", "of") and j + 1 < len(toks):
                j += 1
            value = number_value(toks[j])
            after = toks[j + 1] if j + 1 < len(toks) else None
            if value is None or value > 110 or toks[j] in ("een", "één") or not (
                after is None or after in _AFTER_LISTED_AGE or number_value(after) is not None
            ):
                break  # "mijn zoon van 10 en 2 vriendjes": a count of something
            ages.setdefault(j, value)
            j += 1
    for i in sorted(ages):
        if found[i].span() != first:
            yield ages[i], found[i].span()


_LISTS = {"category": CATEGORY_WORDS, "audience": AUDIENCE_WORDS, "feature": FEATURE_WORDS,
          "time": TIME_WORDS, "discount": DISCOUNT_WORDS, "price": PRICE_WORDS}


def word_list_phrases(kind: str) -> dict[str, str]:
    """Phrase → code for every phrase of one word list ("category", "audience", "feature",
    "time", "discount", "price") that the matcher reads as that kind, in list order. Rasa's
    lookup tables and synonyms are generated from this (bot/nlp/lookups.py)."""
    table = _table()
    out: dict[str, str] = {}
    for code, phrases in _LISTS[kind].items():
        for phrase in phrases:
            if table.phrases.get(tuple(phrase.split())) == (kind, code):
                out.setdefault(phrase, code)
    return out
