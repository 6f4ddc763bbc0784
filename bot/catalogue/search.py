"""Barrier-aware search over the catalogue, with reasons in Dutch and alternatives.

Filters run in SQL on a few light columns; ranking runs in Python on what is left:
the person's barriers met first, then the words they used, then closeness, then name and id
(a stable tie-break). Only the page shown is loaded in full.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from sqlalchemy import and_, exists, func, literal, not_, or_, select
from sqlalchemy.orm import Session, selectinload

from bot import places
from bot.catalogue import display, taxonomy
from bot.catalogue.models import Location, Offering, OfferingAudience, OfferingFeature, OfferingTime
from bot.catalogue.vocabulary import ANY, Facets, extract_facets

PAGE_SIZE = 3
MAX_ALTERNATIVES = 3
SCOPES = ("auto", "municipality", "nearby", "region", "all")


@dataclass(frozen=True)
class SearchQuery:
    """What to look for. Codes from taxonomy; ``ANY`` or None means no preference."""

    municipality: str | None = None  # NIS code
    postal_code: str | None = None  # used when no municipality is given
    # municipality: only there; nearby: its province (Brussels: Brussels + Vlaams-Brabant);
    # region: its region; all: everywhere; auto: Brussels as one city, elsewhere the municipality.
    scope: str = "auto"
    category: str | None = None
    audience: str | None = None
    age: int | None = None
    features: tuple[str, ...] = ()  # required access features
    preferred_features: tuple[str, ...] = ()  # ranked first when met, not required
    discounts: tuple[str, ...] = ()  # required: kansentarief, artikel27, paspartoe
    free: bool = False
    max_price_cents: int | None = None
    count_discounts: bool = True  # a price ceiling may be met with the kansentarief
    part_of_day: str | None = None
    excluded_parts: tuple[str, ...] = ()
    words: tuple[str, ...] = ()  # content lemmas (see terms.terms)

    @classmethod
    def from_facets(cls, facets: Facets, **overrides) -> "SearchQuery":
        query = cls(
            municipality=facets.municipality, postal_code=facets.postal_code,
            category=facets.category, audience=facets.audience, age=facets.age,
            features=facets.features, discounts=facets.discounts, free=facets.free,
            max_price_cents=facets.max_price_cents, part_of_day=facets.part_of_day,
            excluded_parts=facets.excluded_parts, words=facets.words,
        )
        return replace(query, **overrides)

    @classmethod
    def from_text(cls, text: str, **overrides) -> "SearchQuery":
        return cls.from_facets(extract_facets(text), **overrides)

    def cleaned(self) -> "SearchQuery":
        """ANY and empty values become "no preference"; unknown codes are dropped."""
        def one(value, table):
            return value if value in table else None

        def many(values, table):
            return tuple(dict.fromkeys(v for v in values if v in table))

        return replace(
            self,
            municipality=self.municipality if self.municipality not in (None, "", ANY) else None,
            postal_code=self.postal_code or None,
            scope=self.scope if self.scope in SCOPES else "auto",
            category=one(self.category, taxonomy.CATEGORIES),
            audience=one(self.audience, taxonomy.AUDIENCES),
            features=many(self.features, taxonomy.FEATURES),
            preferred_features=many(self.preferred_features, taxonomy.FEATURES),
            discounts=many(self.discounts, taxonomy.DISCOUNTS),
            part_of_day=one(self.part_of_day, taxonomy.PARTS_OF_DAY),
            excluded_parts=many(self.excluded_parts, taxonomy.PARTS_OF_DAY),
            max_price_cents=None if self.free else self.max_price_cents,
        )

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ResultItem:
    """One offering as a card: what the widget shows and why it fits."""

    id: int
    name: str
    summary: str
    category: str
    category_label: str
    price: str  # "gratis", "€8", "prijs niet bekend"
    kansentarief: str | None  # "met kansentarief €1,60"
    discounts: list[str]
    where: str  # "Stedelijk zwembad, Gent"
    municipality: str
    when: str
    reasons: list[str]  # "gratis", "kinderopvang", "met kansentarief €1,50", "in Gent"
    is_sample: bool
    source: str  # "voorbeeldgegevens", "UiTdatabank", …

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Alternative:
    """Closest results with one filter dropped, saying which."""

    dropped: str  # place, part_of_day, feature:<code>, discounts, price, words, category
    label: str  # Dutch: "in de buurt: Provincie Antwerpen", "zonder kinderopvang"
    items: list[ResultItem]
    total: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SearchResult:
    query: SearchQuery
    items: list[ResultItem]
    total: int
    offset: int
    limit: int
    alternatives: list[Alternative] = field(default_factory=list)

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total

    @property
    def next_offset(self) -> int | None:
        return self.offset + len(self.items) if self.has_more else None

    @property
    def is_sample(self) -> bool:
        """True when any shown offering is sample data: the bot then says "voorbeeldgegevens"."""
        items = self.items + [i for a in self.alternatives for i in a.items]
        return any(i.is_sample for i in items)

    def to_dict(self) -> dict:
        return {
            "query": self.query.to_dict(), "items": [i.to_dict() for i in self.items],
            "total": self.total, "offset": self.offset, "limit": self.limit,
            "has_more": self.has_more, "next_offset": self.next_offset,
            "is_sample": self.is_sample, "alternatives": [a.to_dict() for a in self.alternatives],
        }


@dataclass
class OfferingDetails:
    """Everything for "Meer info": contact, registering without internet, address, transport."""

    item: ResultItem
    description: str | None
    organisation: str | None
    address: str | None
    postal_code: str | None
    municipality: str
    transport_note: str | None
    phone: str | None
    email: str | None
    website: str | None
    how_to_register: str | None
    register_offline: str | None
    audiences: list[str]
    ages: str | None
    features: list[str]
    last_checked: str | None  # ISO date
    active: bool

    def to_dict(self) -> dict:
        return asdict(self)


# --- place -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    home: places.Municipality | None
    allowed: frozenset[str] | None  # NIS codes, None = everywhere
    scope: str


def _area(m: places.Municipality) -> str:
    """Brussels has no province: its 19 municipalities count as one area."""
    return m.region if m.in_brussels else m.province


def _place(query: SearchQuery) -> _Place:
    home = places.by_nis(query.municipality) if query.municipality else None
    if home is None and query.postal_code:
        home = places.by_postal_code(query.postal_code)
    if home is None:
        return _Place(None, None, "all")
    scope = query.scope
    if scope == "auto":
        scope = "region" if home.in_brussels else "municipality"
    everyone = places.all_municipalities()
    if scope == "municipality":
        allowed = {home.nis_code}
    elif scope == "nearby":
        allowed = {m.nis_code for m in everyone if _area(m) == _area(home)}
        if home.in_brussels:
            allowed |= {m.nis_code for m in everyone if m.province == "Provincie Vlaams-Brabant"}
    elif scope == "region":
        allowed = {m.nis_code for m in everyone if m.region == home.region}
    else:
        return _Place(home, None, "all")
    return _Place(home, frozenset(allowed), scope)


def _closeness(home: places.Municipality | None, nis: str) -> int:
    if home is None or nis == home.nis_code:
        return 0
    other = places.by_nis(nis)
    if other is None:
        return 3
    if _area(other) == _area(home):
        return 1
    return 2 if other.region == home.region else 3


# --- filtering and ranking -------------------------------------------------------------------


def _has(model, column, code):
    return exists().where(model.offering_id == Offering.id, column == code)


def _filters(query: SearchQuery, place: _Place) -> list:
    conditions = [Offering.status == "active"]
    if place.allowed is not None:
        conditions.append(Location.municipality_nis.in_(sorted(place.allowed)))
    if query.category:
        conditions.append(Offering.category == query.category)
    if query.audience:
        fits = taxonomy.AUDIENCE_ALSO_FITS[query.audience]
        conditions.append(
            exists().where(OfferingAudience.offering_id == Offering.id,
                           OfferingAudience.audience.in_(fits))
        )
    if query.age is not None:
        conditions.append(or_(Offering.min_age.is_(None), Offering.min_age <= query.age))
        conditions.append(or_(Offering.max_age.is_(None), Offering.max_age >= query.age))
    for code in query.features:
        conditions.append(_has(OfferingFeature, OfferingFeature.feature, code))
    for code in query.discounts:
        if code == "kansentarief":
            conditions.append(or_(Offering.kansentarief_cents.is_not(None),
                                  Offering.kansentarief_percent.is_not(None)))
        else:
            conditions.append(getattr(Offering, code).is_(True))
    if query.free:
        conditions.append(Offering.is_free.is_(True))
    elif query.max_price_cents is not None:
        price = Offering.price_cents
        if query.count_discounts:
            price = func.coalesce(Offering.reduced_price_cents, Offering.price_cents)
        conditions.append(and_(Offering.price_cents.is_not(None), price <= query.max_price_cents))
    if query.part_of_day:
        conditions.append(_has(OfferingTime, OfferingTime.part, query.part_of_day))
    if query.excluded_parts:
        # Keep offerings that also run at another time, or whose times are unknown.
        other_time = exists().where(OfferingTime.offering_id == Offering.id,
                                    OfferingTime.part.not_in(query.excluded_parts))
        any_time = exists().where(OfferingTime.offering_id == Offering.id)
        conditions.append(or_(other_time, not_(any_time)))
    return conditions


def _relevance(words: tuple[str, ...], terms: str) -> int:
    """2 per word found whole, 1 per word found inside a longer one ("yoga" in "kinderyoga")."""
    score = 0
    for word in words:
        if f" {word} " in terms:
            score += 2
        elif len(word) >= 4 and word in terms:
            score += 1
    return score


@dataclass(frozen=True)
class _Ranked:
    id: int
    nis: str
    key: tuple


def _word_filter(words: tuple[str, ...]):
    """SQL prefilter matching ``_relevance`` > 0, so only likely rows leave the database."""
    return or_(*[
        Offering.search_terms.like(f"%{w}%" if len(w) >= 4 else f"% {w} %") for w in words
    ])


def _ranked(session: Session, query: SearchQuery, place: _Place) -> list[_Ranked]:
    words_required = bool(query.words) and not query.category
    conditions = _filters(query, place)
    if words_required:
        conditions.append(_word_filter(query.words))
    terms = Offering.search_terms if query.words else literal("")
    stmt = (
        select(Offering.id, Offering.name, terms, Location.municipality_nis)
        .join(Location, Offering.location_id == Location.id)
        .where(*conditions)
    )
    # Plain rows through the connection: the ORM's row processing costs more than the query.
    rows = session.connection().execute(stmt).all()
    preferred: dict[int, int] = {}
    if query.preferred_features and rows:
        ids = select(Offering.id).join(Location, Offering.location_id == Location.id).where(
            *conditions
        )
        preferred = dict(
            session.connection().execute(
                select(OfferingFeature.offering_id, func.count())
                .where(OfferingFeature.feature.in_(query.preferred_features),
                       OfferingFeature.offering_id.in_(ids))
                .group_by(OfferingFeature.offering_id)
            ).all()
        )
    ranked = []
    for oid, name, terms, nis in rows:
        relevance = _relevance(query.words, terms) if query.words else 0
        if words_required and relevance == 0:
            continue
        key = (-preferred.get(oid, 0), -relevance, _closeness(place.home, nis), name.casefold(), oid)
        ranked.append(_Ranked(oid, nis, key))
    ranked.sort(key=lambda r: r.key)
    return ranked


def _load(session: Session, ids: list[int], details: bool = False) -> list[Offering]:
    """Full offerings in the order of ``ids``; cards need the features, details all codes."""
    if not ids:
        return []
    options = [selectinload(Offering.feature_rows)]
    if details:
        options += [selectinload(Offering.audience_rows), selectinload(Offering.time_rows)]
    rows = session.execute(
        select(Offering).where(Offering.id.in_(ids)).options(*options)
    ).unique().scalars().all()
    by_id = {o.id: o for o in rows}
    return [by_id[i] for i in ids if i in by_id]


# --- presentation ----------------------------------------------------------------------------


def _reasons(o: Offering, query: SearchQuery, home: places.Municipality | None) -> list[str]:
    reasons: list[str] = []
    have = set(o.features)
    for code in query.features + tuple(f for f in query.preferred_features if f not in query.features):
        if code in have:
            reasons.append(taxonomy.label(taxonomy.FEATURES, code))
    if o.is_free:
        reasons.append("gratis")
    else:
        k = display.kansentarief_text(o)
        if k:
            reasons.append(k)
        if query.max_price_cents is not None and o.price_cents is not None and (
            o.price_cents <= query.max_price_cents
        ):
            reasons.append(f"kost {display.euro(o.price_cents)}")
    for code in query.discounts:
        if code != "kansentarief":
            reasons.append(taxonomy.label(taxonomy.DISCOUNTS, code))
    if query.audience:
        reasons.append(f"voor {taxonomy.label(taxonomy.AUDIENCES, query.audience)}")
    if query.age is not None and display.ages_text(o):
        reasons.append(display.ages_text(o))
    if query.part_of_day:
        reasons.append(taxonomy.label(taxonomy.PARTS_OF_DAY, query.part_of_day))
    matched = [w for w in query.words if w in o.search_terms]
    if matched:
        reasons.append("over " + ", ".join(matched[:2]))
    town = display.municipality_name(o.location.municipality_nis)
    if home is not None:
        reasons.append(f"in {town}" if o.location.municipality_nis == home.nis_code
                       else f"in {town}, in de buurt")
    return reasons


def _item(o: Offering, query: SearchQuery, home: places.Municipality | None) -> ResultItem:
    return ResultItem(
        id=o.id,
        name=o.name,
        summary=o.summary,
        category=o.category,
        category_label=taxonomy.label(taxonomy.CATEGORIES, o.category),
        price=display.price_text(o),
        kansentarief=display.kansentarief_text(o),
        discounts=display.discount_texts(o),
        where=display.where_text(o),
        municipality=display.municipality_name(o.location.municipality_nis),
        when=display.when_text(o),
        reasons=_reasons(o, query, home),
        is_sample=o.is_sample,
        source=display.source_label(o),
    )


# --- alternatives ----------------------------------------------------------------------------


def _relaxations(query: SearchQuery, place: _Place) -> list[tuple[str, str, SearchQuery]]:
    out: list[tuple[str, str, SearchQuery]] = []
    # Widen the place one step: a municipality to its province, Brussels to Vlaams-Brabant too.
    brussels_city = place.scope == "region" and place.home is not None and place.home.in_brussels
    if place.home is not None and (place.scope == "municipality" or brussels_city):
        area = ("Brussel en Vlaams-Brabant" if place.home.in_brussels
                else place.home.province.replace("Provincie ", "provincie "))
        out.append(("place", f"in de buurt: {area}", replace(query, scope="nearby")))
    if query.part_of_day or query.excluded_parts:
        out.append(("part_of_day", "op een ander moment",
                    replace(query, part_of_day=None, excluded_parts=())))
    for code in query.features:
        label = taxonomy.label(taxonomy.FEATURES, code)
        rest = tuple(f for f in query.features if f != code)
        out.append((f"feature:{code}", f"zonder {label}", replace(query, features=rest)))
    if query.discounts:
        out.append(("discounts", "zonder die korting", replace(query, discounts=())))
    if query.free or query.max_price_cents is not None:
        out.append(("price", "ook als het meer kost",
                    replace(query, free=False, max_price_cents=None)))
    if query.words and not query.category:
        out.append(("words", "ander aanbod, niet over je zoekwoorden", replace(query, words=())))
    if query.category:
        out.append(("category", "iets anders dan "
                    + taxonomy.label(taxonomy.CATEGORIES, query.category),
                    replace(query, category=None)))
    return out


def _alternatives(session: Session, query: SearchQuery, place: _Place, limit: int) -> list[Alternative]:
    found: list[Alternative] = []
    for dropped, label, relaxed in _relaxations(query, place):
        relaxed_place = _place(relaxed)
        ranked = _ranked(session, relaxed, relaxed_place)
        if not ranked:
            continue
        items = [_item(o, relaxed, relaxed_place.home)
                 for o in _load(session, [r.id for r in ranked[:limit]])]
        found.append(Alternative(dropped=dropped, label=label, items=items, total=len(ranked)))
        if len(found) >= MAX_ALTERNATIVES:
            break
    return found


# --- public API ------------------------------------------------------------------------------


def search(session: Session, query: SearchQuery | Facets | str, offset: int | None = 0,
           limit: int | None = PAGE_SIZE) -> SearchResult:
    """Offerings that fit, best first; ``alternatives`` when nothing fits the whole query."""
    if isinstance(query, str):
        query = SearchQuery.from_text(query)
    elif isinstance(query, Facets):
        query = SearchQuery.from_facets(query)
    query = query.cleaned()
    offset, limit = max(0, int(offset or 0)), max(1, int(limit or PAGE_SIZE))
    place = _place(query)
    ranked = _ranked(session, query, place)
    page = _load(session, [r.id for r in ranked[offset:offset + limit]])
    result = SearchResult(
        query=query, items=[_item(o, query, place.home) for o in page], total=len(ranked),
        offset=offset, limit=limit,
    )
    if not ranked:
        result.alternatives = _alternatives(session, query, place, limit)
    return result


def get_offering(session: Session, offering_id: int) -> OfferingDetails | None:
    """Details for "Meer info", or None when there is no such offering."""
    try:
        offering_id = int(offering_id)
    except (TypeError, ValueError):
        return None
    found = _load(session, [offering_id], details=True)
    if not found:
        return None
    o = found[0]
    return OfferingDetails(
        item=_item(o, SearchQuery(), None),
        description=o.description,
        organisation=o.organisation.name if o.organisation else None,
        address=o.location.address,
        postal_code=o.location.postal_code,
        municipality=display.municipality_name(o.location.municipality_nis),
        transport_note=o.location.transport_note,
        phone=o.phone or (o.organisation.phone if o.organisation else None),
        email=o.email or (o.organisation.email if o.organisation else None),
        website=o.website or (o.organisation.website if o.organisation else None),
        how_to_register=o.how_to_register,
        register_offline=o.register_offline,
        audiences=[taxonomy.label(taxonomy.AUDIENCES, a) for a in o.audiences],
        ages=display.ages_text(o),
        features=[taxonomy.label(taxonomy.FEATURES, f) for f in o.features],
        last_checked=o.last_checked.isoformat() if o.last_checked else None,
        active=o.status == "active",
    )
