"""The client profile a social worker fills in: codes only, never a name or free text.

Every field is a code from one of the tables below (or a NIS code, or an age), so nothing that
points to one person can enter a referral. Codes are stored and sent in button payloads; labels
are the Dutch words shown to the worker.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot import places
from bot.catalogue import taxonomy
from bot.catalogue.taxonomy import Code, code_table
from bot.catalogue.terms import tokens
from bot.catalogue.vocabulary import ANY, normalize_category, number_value

# The barriers of the intake form (issue 8), with the catalogue features that take them away.
BARRIERS = code_table(
    Code("geld", "geld", "Geld"),
    Code("vervoer", "vervoer", "Vervoer"),
    Code("kinderopvang", "kinderopvang", "Kinderopvang"),
    Code("taal", "taal", "Taal"),
    Code("alleen", "niet alleen durven", "Alleen durven"),
    Code("digitaal", "digitaal (internet, inschrijven online)", "Digitaal"),
    Code("toegankelijkheid", "toegankelijkheid (rolstoel, gehoor)", "Toegankelijkheid"),
    Code("tijd", "tijd", "Tijd"),
)

# Who the referral is for. The audience is the catalogue's (taxonomy.AUDIENCES).
GROUPS = code_table(
    Code("kind", "een kind", "Kind"),
    Code("jongere", "een jongere", "Jongere"),
    Code("volwassene", "een volwassene", "Volwassene"),
    Code("senior", "een senior", "Senior"),
    Code("gezin", "een gezin met kinderen", "Gezin"),
)
GROUP_AUDIENCE = {
    "kind": "kinderen", "jongere": "jongeren", "volwassene": "volwassenen",
    "senior": "senioren", "gezin": "gezinnen",
}

# Situations that matter for discounts (FACTS.md §2). The "heeft_*" codes: the client already
# has that discount. Optional: a worker may leave this empty.
STATUSES = code_table(
    Code("verhoogde_tegemoetkoming", "verhoogde tegemoetkoming (ziekenfonds)",
         "Verhoogde tegemoetkoming"),
    Code("leefloon", "leefloon (of equivalent leefloon)", "Leefloon"),
    Code("schuldbemiddeling", "schuldbemiddeling, budgetbeheer of collectieve schuldenregeling",
         "Schuldbemiddeling"),
    Code("inkomensgarantie_ouderen", "inkomensgarantie voor ouderen", "IGO"),
    Code("studietoelage", "school- of studietoelage", "Studietoelage"),
    Code("loi", "verzoeker om bescherming in een LOI", "LOI"),
    Code("laag_inkomen", "ander laag inkomen", "Laag inkomen"),
    Code("heeft_kansentarief", "heeft al een UiTPAS met kansentarief", "Heeft kansentarief"),
    Code("heeft_artikel27", "krijgt al Artikel 27", "Heeft Artikel 27"),
    Code("heeft_paspartoe", "heeft al een Paspartoe met korting", "Heeft Paspartoe"),
)
# Statuses that say "low income" in one way or another (not the "already has" ones).
LOW_INCOME = frozenset(c for c in STATUSES if not c.startswith("heeft_"))

LANGUAGES = code_table(
    Code("nl", "Nederlands", "Nederlands"),
    Code("fr", "Frans", "Frans"),
    Code("en", "Engels", "Engels"),
    Code("ar", "Arabisch", "Arabisch"),
    Code("tr", "Turks", "Turks"),
    Code("ber", "Berbers (Tamazight)", "Berbers"),
    Code("pl", "Pools", "Pools"),
    Code("ro", "Roemeens", "Roemeens"),
    Code("bg", "Bulgaars", "Bulgaars"),
    Code("es", "Spaans", "Spaans"),
    Code("it", "Italiaans", "Italiaans"),
    Code("pt", "Portugees", "Portugees"),
    Code("ru", "Russisch", "Russisch"),
    Code("uk", "Oekraïens", "Oekraïens"),
    Code("fa", "Perzisch of Dari", "Perzisch/Dari"),
    Code("ps", "Pasjtoe", "Pasjtoe"),
    Code("so", "Somalisch", "Somalisch"),
    Code("ti", "Tigrinya", "Tigrinya"),
    Code("andere", "een andere taal", "Andere taal"),
)

# The kind of organisation that refers (never its name).
ORGANISATIONS = code_table(
    Code("ocmw", "OCMW of sociaal huis", "OCMW"),
    Code("caw", "CAW", "CAW"),
    Code("vereniging", "vereniging of buurtwerk", "Vereniging"),
    Code("andere", "andere organisatie", "Andere"),
)

# Age bands kept instead of exact ages: enough for insights, too coarse to single anyone out.
AGE_BANDS = (("0-5", 0, 5), ("6-11", 6, 11), ("12-17", 12, 17), ("18-25", 18, 25),
             ("26-64", 26, 64), ("65+", 65, 130))
MAX_AGE = 110
MAX_CHILDREN = 10


def age_band(age: int) -> str:
    for band, low, high in AGE_BANDS:
        if low <= age <= high:
            return band
    return AGE_BANDS[-1][0]


# --- reading what a worker types or taps --------------------------------------------------------

# Everyday words per code, folded (see terms.tokens). Codes and labels match too.
_BARRIER_WORDS = {
    "geld": "geld centen budget duur te duur betalen kosten arm armoede prijs",
    "vervoer": "vervoer auto bus tram trein verplaatsen rijden ver afstand",
    "kinderopvang": "kinderopvang opvang oppas babysit creche",
    "taal": "taal nederlands anderstalig anderstalige nieuwkomer lezen tolk",
    "alleen": "alleen niemand schrik eng durven durft samen begeleiding verlegen",
    "digitaal": "digitaal internet online computer website gsm smartphone mail inschrijven",
    "toegankelijkheid": "toegankelijk toegankelijkheid rolstoel rolwagen rollator doof "
                        "slechthorend blind slechtziend handicap beperking",
    "tijd": "tijd uren werk werkt ploegen druk",
}
_STATUS_WORDS = {
    "verhoogde_tegemoetkoming": "verhoogde tegemoetkoming vt omnio bim",
    "leefloon": "leefloon ris",
    "schuldbemiddeling": "schuldbemiddeling budgetbeheer budgetbegeleiding schuldenregeling csr",
    "inkomensgarantie_ouderen": "igo inkomensgarantie grapa",
    "studietoelage": "studietoelage schooltoelage groeipakket",
    "loi": "loi asiel asielzoeker",
    "laag_inkomen": "inkomen laag",
    "heeft_kansentarief": "kansentarief uitpas",
    "heeft_artikel27": "artikel27 artikel art",
    "heeft_paspartoe": "paspartoe",
}
_GROUP_WORDS = {
    "kind": "kind kindje zoon dochter kinderen",
    "jongere": "jongere jongeren tiener puber",
    "volwassene": "volwassene volwassenen man vrouw",
    "senior": "senior senioren oudere ouderen gepensioneerd",
    "gezin": "gezin familie gezinnen",
}
_LANGUAGE_WORDS = {
    "nl": "nederlands vlaams", "fr": "frans francais", "en": "engels english",
    "ar": "arabisch", "tr": "turks", "ber": "berbers tamazight amazigh", "pl": "pools",
    "ro": "roemeens", "bg": "bulgaars", "es": "spaans", "it": "italiaans",
    "pt": "portugees braziliaans", "ru": "russisch", "uk": "oekraiens", "fa": "perzisch farsi dari",
    "ps": "pasjtoe pashto", "so": "somalisch", "ti": "tigrinya tigrinja eritrees",
}


def _lookup(value, table: dict[str, Code], words: dict[str, str]) -> str | None:
    """A code from a code, a label or one of its words; None when not understood."""
    if value is None:
        return None
    text = str(value).strip()
    if text in table:
        return text
    toks = tokens(text)
    if not toks:
        return None
    for code, item in table.items():
        if toks in (tokens(code), tokens(item.label), tokens(item.button)):
            return code
    for code, spoken in words.items():
        if set(toks) & set(spoken.split()):
            return code
    return None


def normalize_barrier(value) -> str | None:
    return _lookup(value, BARRIERS, _BARRIER_WORDS)


def normalize_status(value) -> str | None:
    return _lookup(value, STATUSES, _STATUS_WORDS)


def normalize_group(value) -> str | None:
    return _lookup(value, GROUPS, _GROUP_WORDS)


def normalize_language(value) -> str | None:
    return _lookup(value, LANGUAGES, _LANGUAGE_WORDS)


def normalize_organisation(value) -> str | None:
    return _lookup(value, ORGANISATIONS, {})


def normalize_interest(value) -> str | None:
    code = normalize_category(value, strict=False)
    return None if code in (None, ANY) else code


def normalize_municipality(value) -> str | None:
    """A NIS code from a NIS code, postal code or name; None when not understood."""
    from bot.catalogue.vocabulary import normalize_municipality as from_text

    code = from_text(value)
    return None if code in (None, ANY) else code


_SPLIT = re.compile(r"\s*(?:,|;|/|\ben\b|\+)\s*")


def _items(values) -> list:
    """A list, tuple, or one text with several values ("geld, vervoer en taal")."""
    if values is None:
        return []
    if isinstance(values, str):
        return [v for v in _SPLIT.split(values) if v.strip()]
    if isinstance(values, (int, float)):
        return [values]
    return list(values)


def parse_ages(values) -> tuple[int, ...]:
    """Ages from 7, "7", "7 en 10", ["3", "zes"]; other words are ignored."""
    ages: list[int] = []
    for item in _items(values):
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            candidates = [int(item)]
        else:
            toks = tokens(str(item))
            # "een dochter van 10": "een" is an article there, not an age.
            if len(toks) > 1:
                toks = [t for t in toks if t not in ("een", "n")]
            candidates = [number_value(t) for t in toks]
        ages += [a for a in candidates if a is not None and 0 <= a <= MAX_AGE]
    return tuple(ages)


class ProfileError(ValueError):
    """A profile field is missing or holds something that is not one of its codes."""

    def __init__(self, field_name: str, message: str):
        super().__init__(f"{field_name}: {message}")
        self.field = field_name


def _codes(values, table: dict, normalize, field_name: str, strict: bool) -> tuple[str, ...]:
    found: list[str] = []
    for value in _items(values):
        code = value if value in table else (None if strict else normalize(value))
        if code is None:
            # Say which field, never echo the value: it may be a name or other free text.
            raise ProfileError(field_name, "unknown value")
        if code not in found:
            found.append(code)
    return tuple(found)


@dataclass(frozen=True)
class ClientProfile:
    """An anonymous intake. Construct with codes (validated), or with :meth:`build` from
    loose values such as slot texts and button payloads."""

    municipality: str  # NIS code
    group: str  # GROUPS
    ages: tuple[int, ...] = ()  # the child's or young person's age; a family's children's ages
    interests: tuple[str, ...] = ()  # taxonomy.CATEGORIES
    barriers: tuple[str, ...] = ()  # BARRIERS
    statuses: tuple[str, ...] = ()  # STATUSES
    language: str | None = None  # LANGUAGES: the language the client speaks best
    organisation: str | None = None  # ORGANISATIONS: who refers

    def __post_init__(self) -> None:
        if places.by_nis(str(self.municipality)) is None:
            raise ProfileError("municipality", "not a NIS code of Flanders or Brussels")
        if self.group not in GROUPS:
            raise ProfileError("group", f"must be one of {', '.join(GROUPS)}")
        for name, table in (("interests", taxonomy.CATEGORIES), ("barriers", BARRIERS),
                            ("statuses", STATUSES)):
            values = getattr(self, name)
            if isinstance(values, str) or any(v not in table for v in values):
                raise ProfileError(name, "unknown code")
            object.__setattr__(self, name, tuple(dict.fromkeys(values)))
        ages = self.ages
        if isinstance(ages, (str, int)) or any(
            isinstance(a, bool) or not isinstance(a, int) or not 0 <= a <= MAX_AGE for a in ages
        ):
            raise ProfileError("ages", f"whole numbers from 0 to {MAX_AGE}")
        if len(ages) > MAX_CHILDREN:
            raise ProfileError("ages", f"at most {MAX_CHILDREN}")
        object.__setattr__(self, "ages", tuple(ages))
        if self.language is not None and self.language not in LANGUAGES:
            raise ProfileError("language", "unknown code")
        if self.organisation is not None and self.organisation not in ORGANISATIONS:
            raise ProfileError("organisation", "unknown code")

    @classmethod
    def build(cls, *, municipality, group, ages=(), interests=(), barriers=(), statuses=(),
              language=None, organisation=None, strict: bool = False) -> "ClientProfile":
        """Normalise loose values: names and postal codes for the municipality, labels and
        everyday words for codes, "7 en 10" for ages. ``strict``: codes only.
        Raises ProfileError naming the field that is wrong (never its value)."""
        nis = str(municipality).strip() if municipality is not None else ""
        if not places.by_nis(nis):
            nis = None if strict else normalize_municipality(municipality)
            if nis is None:
                raise ProfileError("municipality", "unknown municipality")
        group_code = group if group in GROUPS else (None if strict else normalize_group(group))
        if group_code is None:
            raise ProfileError("group", "unknown group")

        def one(value, table, normalize, name):
            if value in (None, "", ANY):
                return None
            code = value if value in table else (None if strict else normalize(value))
            if code is None:
                raise ProfileError(name, "unknown value")
            return code

        return cls(
            municipality=nis,
            group=group_code,
            ages=parse_ages(ages),
            interests=_codes(interests, taxonomy.CATEGORIES, normalize_interest, "interests",
                             strict),
            barriers=_codes(barriers, BARRIERS, normalize_barrier, "barriers", strict),
            statuses=_codes(statuses, STATUSES, normalize_status, "statuses", strict),
            language=one(language, LANGUAGES, normalize_language, "language"),
            organisation=one(organisation, ORGANISATIONS, normalize_organisation,
                             "organisation"),
        )

    # --- derived ---------------------------------------------------------------------------

    @property
    def home(self) -> places.Municipality:
        return places.by_nis(self.municipality)

    @property
    def in_brussels(self) -> bool:
        return self.home.in_brussels

    @property
    def municipality_name(self) -> str:
        return self.home.name_nl

    @property
    def age_bands(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(age_band(a) for a in self.ages))

    @property
    def low_income(self) -> bool:
        return bool(LOW_INCOME & set(self.statuses))

    @property
    def needs_little_dutch(self) -> bool:
        """The taal barrier, or a client who speaks another language best."""
        return "taal" in self.barriers or (self.language not in (None, "nl"))

    def record(self) -> dict:
        """What a referral stores: codes and age bands; no exact ages and no statuses (the
        note keeps only the discount hints worked out from them)."""
        return {
            "municipality": self.municipality,
            "group": self.group,
            "age_bands": list(self.age_bands),
            "interests": list(self.interests),
            "barriers": list(self.barriers),
            "language": self.language,
            "organisation": self.organisation,
        }

