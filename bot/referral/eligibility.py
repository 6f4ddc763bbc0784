"""Discount hints for a referral, and the local door to ask at.

Every hint rests on an entry of the knowledge base (data/knowledge/schemes.yml, written from
FACTS.md §2) and names that entry's source. Rules differ per municipality, so a hint never
promises a right or a price: it says what is likely, where to ask and what to bring.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from bot import knowledge, places
from bot.catalogue import display
from bot.catalogue.models import Offering
from bot.referral.profile import STATUSES, ClientProfile

# Likelihood, strongest first: the client already has it; a stated status is a usual ground;
# worth asking about.
HAS, LIKELY, ASK = "heeft", "waarschijnlijk", "navragen"
_ORDER = {HAS: 0, LIKELY: 1, ASK: 2}

# Usual grounds for the kansentarief (FACTS.md §2; knowledge entry kansentarief_who).
KANSENTARIEF_GROUNDS = ("verhoogde_tegemoetkoming", "leefloon", "schuldbemiddeling",
                        "inkomensgarantie_ouderen", "studietoelage", "loi")
# Grounds for Iedereen Verdient Vakantie that a worker can state (knowledge entry ivv_what).
IVV_GROUNDS = ("verhoogde_tegemoetkoming", "schuldbemiddeling", "heeft_kansentarief")

ARTIKEL27_PRICE_CENTS = 125  # knowledge entry artikel27_what

EID = "je identiteitskaart (eID)"
PROOF = "een bewijs van je situatie, zoals het attest van verhoogde tegemoetkoming"


@dataclass(frozen=True)
class Hint:
    """One discount scheme that may help this client."""

    scheme: str  # kansentarief, artikel27, paspartoe, fonds, ivv
    title: str
    likelihood: str  # HAS, LIKELY or ASK
    why: str  # for the worker: what in the profile led to this hint
    text: str  # for the client (B1, "je"): what it is and what to do
    bring: tuple[str, ...]  # what to bring when asking for it
    for_client: bool  # shown on the note; False: only the worker can act on it
    knowledge_id: str
    source_title: str
    source_url: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class LocalDoor:
    """Where the client asks about discounts in their own municipality."""

    municipality_nis: str
    municipality: str
    name: str  # "het sociaal huis (OCMW) van Gent"
    text: str  # what to ask there (B1, "je")
    knowledge_id: str
    source_title: str
    source_url: str

    def to_dict(self) -> dict:
        return asdict(self)


def _source(entry_id: str) -> tuple[str, str, str]:
    entry = knowledge.get(entry_id)
    if entry is None:  # a renamed entry must fail loudly, never produce an unsourced hint
        raise LookupError(f"knowledge entry {entry_id!r} is missing")
    return entry_id, entry.source.title, entry.source.url


def _hint(scheme, title, likelihood, why, lines, bring, entry_id, for_client=True) -> Hint:
    kid, source_title, source_url = _source(entry_id)
    return Hint(scheme, title, likelihood, why, "\n".join(lines), tuple(bring), for_client,
                kid, source_title, source_url)


def _label(code: str) -> str:
    return STATUSES[code].label


def _kansentarief(p: ClientProfile) -> Hint | None:
    title = "UiTPAS met kansentarief"
    if "heeft_kansentarief" in p.statuses:
        return _hint("kansentarief", title, HAS, "Je cliënt heeft al kansentarief.", [
            "Je hebt een UiTPAS met kansentarief.",
            "Neem je UiTPAS mee als je gaat.",
            "Je korting werkt alleen in je eigen gemeente of regio.",
        ], ["je UiTPAS"], "uitpas_own_region")
    grounds = [s for s in p.statuses if s in KANSENTARIEF_GROUNDS]
    if not (grounds or p.low_income or "geld" in p.barriers):
        return None
    if grounds:
        likelihood = LIKELY
        why = f"{_label(grounds[0]).capitalize()} is in veel gemeenten een grond voor kansentarief."
        first = "Misschien heb je recht op een UiTPAS met kansentarief."
    else:
        likelihood = ASK
        why = ("Laag inkomen: sommige gemeenten kijken naar het inkomen." if p.low_income
               else "Geld is een drempel. Vraag na of je cliënt recht heeft op kansentarief.")
        first = "Vraag of je recht hebt op een UiTPAS met kansentarief."
    lines = [first, "Dan krijg je korting op vrije tijd.", "Elke gemeente beslist zelf wie het krijgt."]
    if p.group == "gezin":
        lines.append("Je gezin op hetzelfde adres krijgt het dan ook.")
    lines += ["Vraag het aan de UiTPAS-balie of in het sociaal huis.",
              "Het kan alleen als je gemeente meedoet met UiTPAS."]
    return _hint("kansentarief", title, likelihood, why, lines, [EID, PROOF], "kansentarief_who")


def _artikel27(p: ClientProfile) -> Hint | None:
    caution = ["De federale steun stopte in oktober 2025.", "Vraag daarom eerst of het nog werkt."]
    if "heeft_artikel27" in p.statuses:
        return _hint("artikel27", "Artikel 27", HAS, "Je cliënt krijgt al Artikel 27.", [
            "Je krijgt Artikel 27 via je organisatie.",
            "Een ticket kost dan €1,25.",
            "Zeg bij het reserveren: 'tarief Artikel 27'.",
        ] + caution, [], "artikel27_what")
    if not (p.low_income or "geld" in p.barriers):
        return None
    return _hint("artikel27", "Artikel 27", ASK,
                 "In Brussel geven alle OCMW's Artikel 27, na een sociaal onderzoek.", [
                     "Misschien kan je Artikel 27 krijgen.",
                     "Dan kost een ticket voor cultuur €1,25.",
                     "Je krijgt het via het OCMW of een sociale organisatie.",
                     "Het OCMW doet eerst een sociaal onderzoek.",
                 ] + caution, [EID], "artikel27_how")


def _paspartoe(p: ClientProfile) -> Hint | None:
    if "heeft_paspartoe" in p.statuses:
        return _hint("paspartoe", "Paspartoe", HAS, "Je cliënt heeft al Paspartoe met korting.", [
            "Je hebt een Paspartoe met korting.",
            "Neem je Paspartoe mee als je gaat.",
        ], ["je Paspartoe"], "paspartoe")
    if not (p.low_income or "geld" in p.barriers):
        return None
    return _hint("paspartoe", "Paspartoe", ASK,
                 "Paspartoe geeft korting bij een laag inkomen. Het systeem is vaak onbekend.", [
                     "In Brussel bestaat Paspartoe, een pas voor vrije tijd.",
                     "Met een laag inkomen krijg je daarmee korting.",
                     "Vraag hulp aan het OCMW of een sociale organisatie.",
                 ], [EID], "paspartoe")


def _fonds(p: ClientProfile) -> Hint | None:
    if not (p.low_income or "geld" in p.barriers):
        return None
    extra = [b for b in ("vervoer", "kinderopvang") if b in p.barriers]
    why = "Het Fonds loopt via organisaties die lid zijn."
    if extra:
        why += " Het kan ook " + (" en ".join(
            {"vervoer": "vervoer", "kinderopvang": "een erkende babysit"}[b] for b in extra
        )) + " betalen."
    lines = [
        "Het Fonds Vrijetijdsparticipatie betaalt tot 80% van de prijs.",
        "Het kan ook betalen voor vervoer, een reservatie, een verzekering of een erkende babysit.",
        "Je vraagt het niet zelf aan.",
        "Dat doet een sociale organisatie die lid is.",
    ]
    if p.organisation == "ocmw":
        lines.append("Een OCMW kan zelf geen lid zijn.")
    return _hint("fonds", "Fonds Vrijetijdsparticipatie", ASK, why, lines, [],
                 "fonds_vrijetijdsparticipatie", for_client=False)


def _ivv(p: ClientProfile) -> Hint | None:
    if "uitstap" not in p.interests:
        return None
    grounds = [s for s in p.statuses if s in IVV_GROUNDS]
    if not (grounds or p.low_income or "geld" in p.barriers):
        return None
    likelihood = LIKELY if grounds else ASK
    why = (f"{_label(grounds[0]).capitalize()} geeft recht op deze korting." if grounds
           else "Recht bij een inkomen onder de armoedegrens: vraag het na.")
    return _hint("ivv", "Iedereen Verdient Vakantie", likelihood, why, [
        "Met Iedereen Verdient Vakantie krijg je 30 tot 80% korting op uitstappen.",
        "Je recht wordt vanzelf nagekeken.",
        "Ben je niet online? Een Rap op Stap-kantoor helpt je.",
    ], [], "ivv_how")


def hints(profile: ClientProfile) -> list[Hint]:
    """The schemes that may lower the cost for this client, strongest first.

    UiTPAS only in Flanders; Artikel 27 and Paspartoe only in Brussels; the Fonds and
    Iedereen Verdient Vakantie in both (FACTS.md §2).
    """
    if profile.in_brussels:
        makers = (_artikel27, _paspartoe, _ivv, _fonds)
    else:
        makers = (_kansentarief, _ivv, _fonds)
    found = [h for h in (make(profile) for make in makers) if h is not None]
    return sorted(found, key=lambda h: _ORDER[h.likelihood])


def local_door(nis: str | None) -> LocalDoor | None:
    """The OCMW / sociaal huis (and in Flanders the UiTPAS-balie) of a municipality.

    Klik has no addresses or phone numbers of these services, so the door is named, not
    located: the note leaves room for the worker to write the address by hand.
    """
    m = places.by_nis(nis) if nis else None
    if m is None:
        return None
    kid, title, url = _source("ocmw_local_door")
    if m.in_brussels:
        name = f"het OCMW van {m.name_nl}"
        text = "\n".join([
            f"Heb je vragen over korting? Ga naar het OCMW van {m.name_nl}.",
            "Vraag daar naar Artikel 27 en Paspartoe.",
        ])
    else:
        name = f"het sociaal huis (OCMW) van {m.name_nl}"
        text = "\n".join([
            f"Heb je vragen over korting? Ga naar het sociaal huis of OCMW van {m.name_nl}.",
            "Vraag daar ook naar de UiTPAS-balie.",
        ])
    return LocalDoor(m.nis_code, m.name_nl, name, text, kid, title, url)


# --- what one offering costs with the client's discount ---------------------------------------


@dataclass(frozen=True)
class Discount:
    scheme: str
    text: str  # for the client, B1
    bring: tuple[str, ...]

    def to_dict(self) -> dict:
        return asdict(self)


def _kansentarief_line(o: Offering, p: ClientProfile, likely: bool) -> Discount | None:
    if o.is_free or p.in_brussels:
        return None
    if o.reduced_price_cents == 0:
        effect = "is het gratis"
    elif o.reduced_price_cents is not None:
        effect = f"betaal je {display.euro(o.reduced_price_cents)}"
    elif o.kansentarief_percent:
        effect = f"krijg je {o.kansentarief_percent}% korting"
    else:
        return None
    if "heeft_kansentarief" in p.statuses:
        lines = [f"Met je UiTPAS met kansentarief {effect}."]
    else:
        lines = [f"Met een UiTPAS met kansentarief {effect}.",
                 "Vraag eerst het kansentarief aan." if likely
                 else "Vraag of je daar recht op hebt."]
    if o.location.municipality_nis != p.municipality:
        town = display.municipality_name(o.location.municipality_nis)
        lines.append(f"Je kansentarief werkt misschien niet in {town}. Vraag het vooraf.")
    return Discount("kansentarief", " ".join(lines), ("je UiTPAS",))


def discounts_for(o: Offering, profile: ClientProfile, found: list[Hint] | None = None
                  ) -> list[Discount]:
    """What this offering costs this client with a discount, as far as the catalogue says."""
    found = hints(profile) if found is None else found
    likely = any(h.scheme == "kansentarief" and h.likelihood != ASK for h in found)
    out: list[Discount] = []
    k = _kansentarief_line(o, profile, likely)
    if k:
        out.append(k)
    if o.artikel27 and profile.in_brussels and not o.is_free:
        out.append(Discount("artikel27", (
            f"Met Artikel 27 betaal je {display.euro(ARTIKEL27_PRICE_CENTS)}. "
            "Zeg bij het reserveren: 'tarief Artikel 27'. Vraag eerst of Artikel 27 nog werkt."
        ), ()))
    if o.paspartoe and profile.in_brussels and not o.is_free:
        out.append(Discount("paspartoe", "Met Paspartoe krijg je korting.", ("je Paspartoe",)))
    if o.other_discount:
        out.append(Discount("andere", f"Korting: {o.other_discount}.", ()))
    return out
