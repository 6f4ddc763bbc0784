"""The catalogue's code lists, defined once: categories, audiences, access features, times.

Codes are stable ASCII strings stored in the database and sent in button payloads; labels are
the Dutch words shown to people. Everything else (vocabulary, importers, search, display)
refers to these tables instead of repeating them.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    label: str  # Dutch, as shown in text
    button: str  # Dutch, short enough for a button


def code_table(*items: Code) -> dict[str, Code]:
    """A code list keyed by code, in the order given."""
    return {item.code: item for item in items}


CATEGORIES = code_table(
    Code("sport", "sport en bewegen", "Sport"),
    Code("zwemmen", "zwemmen", "Zwemmen"),
    Code("podium", "podium (theater, dans, concert)", "Theater, dans, concert"),
    Code("film", "film", "Film"),
    Code("museum", "museum en erfgoed", "Museum"),
    Code("bibliotheek", "bibliotheek en lezen", "Bib en lezen"),
    Code("muziek", "muziek maken", "Muziek maken"),
    Code("creatief", "creatief en atelier", "Creatief"),
    Code("natuur", "natuur en buiten", "Natuur"),
    Code("jeugdwerk", "jeugdwerk en speelpleinen", "Jeugdwerk en speelplein"),
    Code("uitstap", "vakantie en daguitstap", "Uitstap"),
    Code("ontmoeting", "ontmoeting", "Mensen ontmoeten"),
    Code("leren", "leren en taal", "Leren en taal"),
)

AUDIENCES = code_table(
    Code("kinderen", "kinderen", "Kinderen"),
    Code("jongeren", "jongeren", "Jongeren"),
    Code("volwassenen", "volwassenen", "Volwassenen"),
    Code("senioren", "senioren", "Senioren"),
    Code("gezinnen", "gezinnen", "Gezin"),
)

# Access and barrier features (HSDS "accessibility"): what an offering does to lower a barrier.
FEATURES = code_table(
    Code("kinderopvang", "kinderopvang", "Kinderopvang"),
    Code("rolstoeltoegankelijk", "rolstoeltoegankelijk", "Rolstoel"),
    Code("ringleiding", "ringleiding", "Ringleiding"),
    Code("weinig_nederlands", "weinig Nederlands nodig", "Weinig Nederlands"),
    Code("begeleiding", "begeleiding of samen gaan mogelijk", "Samen gaan"),
    Code("vervoer", "vervoer geregeld", "Vervoer"),
    Code("zonder_inschrijving", "zonder inschrijving", "Zonder inschrijving"),
    Code("gratis_proefles", "gratis proefles", "Gratis proefles"),
)

PARTS_OF_DAY = code_table(
    Code("ochtend", "'s ochtends", "Ochtend"),
    Code("middag", "'s middags", "Middag"),
    Code("avond", "'s avonds", "Avond"),
    Code("weekend", "in het weekend", "Weekend"),
    Code("woensdagnamiddag", "woensdagnamiddag", "Woensdagnamiddag"),
)

DAYS = code_table(
    Code("ma", "maandag", "ma"),
    Code("di", "dinsdag", "di"),
    Code("wo", "woensdag", "wo"),
    Code("do", "donderdag", "do"),
    Code("vr", "vrijdag", "vr"),
    Code("za", "zaterdag", "za"),
    Code("zo", "zondag", "zo"),
)

# Discount schemes an offering can accept (FACTS.md §2).
DISCOUNTS = code_table(
    Code("kansentarief", "UiTPAS met kansentarief", "Kansentarief"),
    Code("artikel27", "Artikel 27", "Artikel 27"),
    Code("paspartoe", "Paspartoe", "Paspartoe"),
)

STATUSES = ("active", "inactive")

# Offerings from the shipped sample catalogue carry this source; the bot says "voorbeeldgegevens".
SAMPLE_SOURCE = "voorbeeld"
# Offerings staff create and edit on /staff/catalogue; importers never write this source.
ADMIN_SOURCE = "klik-beheer"

# Age bands behind the audiences: the audience a stated age belongs to.
AGE_BANDS = (("kinderen", 0, 11), ("jongeren", 12, 17), ("volwassenen", 18, 64), ("senioren", 65, 130))

# Offerings for these audiences also suit a person of the key audience (a family outing suits a
# child with a parent; a course for adults suits a senior). Used by search only.
AUDIENCE_ALSO_FITS = {
    "kinderen": ("kinderen", "gezinnen"),
    "jongeren": ("jongeren",),
    "volwassenen": ("volwassenen",),
    "senioren": ("senioren", "volwassenen"),
    "gezinnen": ("gezinnen",),
}


def audience_for_age(age: int) -> str:
    for code, low, high in AGE_BANDS:
        if low <= age <= high:
            return code
    return "senioren"


def audiences_for_age_range(min_age: int | None, max_age: int | None) -> tuple[str, ...]:
    """Audiences whose age band overlaps the range; families when it spans children and adults."""
    low = 0 if min_age is None else min_age
    high = 130 if max_age is None else max_age
    found = [code for code, a, b in AGE_BANDS if a <= high and low <= b]
    if low < 12 and high >= 18:
        found.append("gezinnen")
    return tuple(found)


def label(table: dict[str, Code], code: str) -> str:
    item = table.get(code)
    return item.label if item else code
