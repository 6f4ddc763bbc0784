"""Up to five offerings for a client, ranked by how well they take the client's barriers away.

Candidates come from the catalogue's own search (one query per interest and per person, the
barriers' features preferred); this module only re-ranks them by the barriers they meet and
says why each fits, in a "past omdat …" sentence.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.catalogue import ResultItem, SearchQuery, display, search, taxonomy
from bot.catalogue.models import Offering
from bot.catalogue.vocabulary import LOW_BUDGET_CENTS
from bot.referral import eligibility
from bot.referral.profile import GROUP_AUDIENCE, ClientProfile

MAX_MATCHES = 5
CANDIDATES_PER_QUERY = 40

# The catalogue features that take each barrier away.
BARRIER_FEATURES = {
    "vervoer": ("vervoer",),
    "kinderopvang": ("kinderopvang",),
    "taal": ("weinig_nederlands",),
    "alleen": ("begeleiding",),
    "digitaal": ("zonder_inschrijving",),
    "toegankelijkheid": ("rolstoeltoegankelijk", "ringleiding"),
    "tijd": ("zonder_inschrijving",),
}

# How a met barrier reads after "past omdat …" (a clause) and on a button (a few words).
CLAUSES = {
    "vervoer": ("het vervoer geregeld is", "vervoer geregeld"),
    "kinderopvang": ("er kinderopvang is", "kinderopvang"),
    "taal": ("je weinig Nederlands nodig hebt", "weinig Nederlands nodig"),
    "alleen": ("je er samen met iemand kan gaan", "samen gaan"),
    "digitaal": ("je je niet online moet inschrijven", "zonder inschrijving"),
    "tijd": ("je zonder inschrijving kan komen wanneer het past", "zonder inschrijving"),
    "rolstoeltoegankelijk": ("het rolstoeltoegankelijk is", "rolstoeltoegankelijk"),
    "ringleiding": ("er een ringleiding is", "ringleiding"),
}
FULL, PARTIAL = 2, 1


@dataclass
class Match:
    """One offering for the client, with why it fits and which barriers stay."""

    offering_id: int
    name: str
    summary: str
    category: str
    category_label: str
    where: str
    municipality: str
    when: str
    price: str
    discounts: list[str]  # for this client: "Met een UiTPAS met kansentarief betaal je €1."
    reasons: list[str]  # short: "gratis", "kinderopvang", "in Gent"
    because: str  # "Past omdat het gratis is en er kinderopvang is."
    barriers_met: list[str]  # barrier codes
    barriers_open: list[str]  # barrier codes this offering does not help with
    score: int
    is_sample: bool
    source: str
    item: ResultItem  # the catalogue's card, for the widget

    def to_dict(self) -> dict:
        return asdict(self)


def _barriers(profile: ClientProfile) -> tuple[str, ...]:
    """The stated barriers, plus taal when the client speaks another language best."""
    found = list(profile.barriers)
    if profile.needs_little_dutch and "taal" not in found:
        found.append("taal")
    return tuple(found)


def _preferred(barriers: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f for b in barriers for f in BARRIER_FEATURES.get(b, ())))


def _people(profile: ClientProfile) -> list[tuple[str, int | None]]:
    """(audience, age) pairs to search for: a family searches family offerings and, per child,
    offerings for that child's age."""
    if profile.group == "gezin":
        pairs = [("gezinnen", None)]
        pairs += [(taxonomy.audience_for_age(a), a) for a in profile.ages]
        return list(dict.fromkeys(pairs))
    age = profile.ages[0] if profile.ages else None
    if age is not None and profile.group in ("kind", "jongere"):
        return [(taxonomy.audience_for_age(age), age)]
    return [(GROUP_AUDIENCE[profile.group], age)]


def _queries(profile: ClientProfile, barriers: tuple[str, ...]) -> list[SearchQuery]:
    base = SearchQuery(municipality=profile.municipality,
                       preferred_features=_preferred(barriers))
    interests = profile.interests or (None,)
    return [replace(base, category=c, audience=a, age=age)
            for c in interests for a, age in _people(profile)]


def _candidates(session: Session, queries: list[SearchQuery], limit: int) -> dict[int, ResultItem]:
    """The search's cards in its order, first from the home area, then nearby if short."""
    cards: dict[int, ResultItem] = {}
    for scope in ("auto", "nearby"):
        for query in queries:
            result = search(session, replace(query, scope=scope), limit=CANDIDATES_PER_QUERY)
            for item in result.items:
                cards.setdefault(item.id, item)
        if len(cards) >= limit:
            break
    return cards


def _load(session: Session, ids: list[int]) -> dict[int, Offering]:
    rows = session.execute(
        select(Offering).where(Offering.id.in_(ids)).options(
            selectinload(Offering.feature_rows), selectinload(Offering.audience_rows))
    ).unique().scalars().all()
    return {o.id: o for o in rows}


@dataclass
class _Fit:
    score: int
    met: list[str]
    clauses: list[str]
    reasons: list[str]


def _money(o: Offering, p: ClientProfile) -> tuple[int, str, str] | None:
    """(points, clause, reason) when the offering is free or has a discount for this client."""
    if o.is_free:
        return FULL, "het gratis is", "gratis"
    same_town = o.location.municipality_nis == p.municipality
    if not p.in_brussels and (o.reduced_price_cents is not None or o.kansentarief_percent):
        reason = display.kansentarief_text(o)
        if o.reduced_price_cents == 0:
            clause, reason = "het met kansentarief gratis is", "gratis met kansentarief"
        elif o.reduced_price_cents is not None:
            clause = f"je met kansentarief {display.euro(o.reduced_price_cents)} betaalt"
        else:
            clause = f"je met kansentarief {o.kansentarief_percent}% korting krijgt"
        # The kansentarief works only where it was given: elsewhere it is a maybe.
        return (FULL if same_town else PARTIAL), clause, reason
    if p.in_brussels and o.artikel27:
        return FULL, "het met Artikel 27 kan", "Artikel 27"
    if p.in_brussels and o.paspartoe:
        return FULL, "je met Paspartoe korting krijgt", "Paspartoe"
    if o.price_cents is not None and o.price_cents <= LOW_BUDGET_CENTS:
        price = display.euro(o.price_cents)
        return PARTIAL, f"het maar {price} kost", f"kost {price}"
    return None


def _fit(o: Offering, p: ClientProfile, barriers: tuple[str, ...]) -> _Fit:
    fit = _Fit(0, [], [], [])
    have = set(o.features)
    same_town = o.location.municipality_nis == p.municipality
    for barrier in barriers:
        if barrier == "geld":
            money = _money(o, p)
            if money:
                points, clause, reason = money
                fit.score += points
                fit.met.append(barrier)
                fit.clauses.append(clause)
                fit.reasons.append(reason)
            continue
        if barrier == "digitaal" and "zonder_inschrijving" not in have and o.register_offline:
            fit.score += FULL
            fit.met.append(barrier)
            fit.clauses.append("je je ook zonder internet kan inschrijven")
            fit.reasons.append("inschrijven zonder internet")
            continue
        matched = [f for f in BARRIER_FEATURES.get(barrier, ()) if f in have]
        if matched:
            fit.score += FULL
            fit.met.append(barrier)
            key = matched[0] if barrier == "toegankelijkheid" else barrier
            clause, reason = CLAUSES[key]
            if reason not in fit.reasons:
                fit.clauses.append(clause)
                fit.reasons.append(reason)
        elif barrier == "vervoer" and same_town:
            fit.score += PARTIAL
            fit.met.append(barrier)
            fit.clauses.append("het in je eigen gemeente is")
            fit.reasons.append("dichtbij")
        elif barrier == "kinderopvang" and "gezinnen" in o.audiences:
            fit.score += PARTIAL
            fit.met.append(barrier)
            fit.clauses.append("je kinderen mee kunnen")
            fit.reasons.append("met het gezin")
    if o.category in p.interests:
        fit.score += PARTIAL
        fit.clauses.append("het bij de interesses past")
    if same_town:
        fit.score += PARTIAL
    town = display.municipality_name(o.location.municipality_nis)
    fit.reasons.append(f"in {town}" if same_town else f"in {town}, in de buurt")
    return fit


def because(clauses: list[str]) -> str:
    """ "Past omdat het gratis is, er kinderopvang is en …" (at most three clauses)."""
    if not clauses:
        return "Past bij wat je zoekt."
    clauses = clauses[:3]
    body = clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + " en " + clauses[-1]
    return f"Past omdat {body}."


def match(session: Session, profile: ClientProfile, limit: int = MAX_MATCHES) -> list[Match]:
    """The best offerings for this client (at most ``limit``, up to MAX_MATCHES), best first:
    most barriers met, then the search's own order. Each interest gets at least one place
    when the catalogue has something for it."""
    limit = max(1, min(int(limit), MAX_MATCHES))
    barriers = _barriers(profile)
    queries = _queries(profile, barriers)
    cards = _candidates(session, queries, limit)
    position = {oid: i for i, oid in enumerate(cards)}
    offerings = _load(session, list(cards))
    fits = {oid: _fit(offerings[oid], profile, barriers) for oid in cards if oid in offerings}
    ranked = sorted(fits, key=lambda oid: (-fits[oid].score, position[oid]))

    chosen: list[int] = []
    for interest in profile.interests:  # one per interest first, so one topic cannot crowd out
        best = next((oid for oid in ranked if offerings[oid].category == interest
                     and oid not in chosen), None)
        if best is not None and len(chosen) < limit:
            chosen.append(best)
    chosen += [oid for oid in ranked if oid not in chosen][: limit - len(chosen)]
    rank = {oid: i for i, oid in enumerate(ranked)}
    chosen.sort(key=rank.__getitem__)

    found_hints = eligibility.hints(profile)
    return [_match(offerings[oid], cards[oid], fits[oid], profile, barriers, found_hints)
            for oid in chosen]


def _match(o: Offering, card: ResultItem, fit: _Fit, p: ClientProfile, barriers,
           found_hints) -> Match:
    return Match(
        offering_id=o.id,
        name=o.name,
        summary=o.summary,
        category=o.category,
        category_label=taxonomy.label(taxonomy.CATEGORIES, o.category),
        where=display.where_text(o),
        municipality=display.municipality_name(o.location.municipality_nis),
        when=display.when_text(o),
        price=display.price_text(o),
        discounts=[d.text for d in eligibility.discounts_for(o, p, found_hints)],
        reasons=fit.reasons,
        because=because(fit.clauses),
        barriers_met=fit.met,
        barriers_open=[b for b in barriers if b not in fit.met],
        score=fit.score,
        is_sample=o.is_sample,
        source=display.source_label(o),
        item=card,
    )
