"""The catalogue of offerings: model, vocabulary, search and importers (issue 3).

Rasa actions and the gateway call this API; they never query the tables themselves.
"""
from bot.catalogue.search import (
    Alternative,
    OfferingDetails,
    ResultItem,
    SearchQuery,
    SearchResult,
    get_offering,
    search,
)
from bot.catalogue.vocabulary import (
    ANY,
    Facets,
    extract_facets,
    normalize_age,
    normalize_audience,
    normalize_barrier,
    normalize_category,
    normalize_discount,
    normalize_municipality,
    normalize_part_of_day,
    normalize_price,
)

__all__ = [
    "ANY", "Alternative", "Facets", "OfferingDetails", "ResultItem", "SearchQuery",
    "SearchResult", "extract_facets", "get_offering", "normalize_age", "normalize_audience",
    "normalize_barrier", "normalize_category", "normalize_discount", "normalize_municipality",
    "normalize_part_of_day", "normalize_price", "search",
]
