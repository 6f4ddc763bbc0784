"""Redaction of personal data: the one definition used by the gateway, the needs and the logs.

Finds e-mail addresses, IBANs and Belgian national register numbers (both checked by their
check digits, so ordinary numbers stay), phone numbers (phonenumbers, Belgian and international
formats) and street addresses with a house number, and names introduced as names ("ze heet …", "mevrouw
…"), and replaces them by readable tags such as "[telefoonnummer]". Postal codes, municipality names, ages, prices and years stay: staff need
them and they do not point to one person.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher
from stdnum import iban as std_iban
from stdnum.iso7064 import mod_97_10
from stdnum.be import ssn as be_ssn

EMAIL = "email"
IBAN = "iban"
NATIONAL_NUMBER = "national_number"
PHONE = "phone"
ADDRESS = "address"
NAME = "name"

TAGS = {
    EMAIL: "[e-mail]",
    IBAN: "[rekeningnummer]",
    NATIONAL_NUMBER: "[rijksregisternummer]",
    PHONE: "[telefoonnummer]",
    ADDRESS: "[adres]",
    NAME: "[naam]",
}

# Said once by the bot when redact() found something (B1, "je", one sentence).
REMINDER = "Je hoeft hier geen persoonlijke gegevens te delen, dus ik heb ze weggelaten."


@dataclass(frozen=True)
class Redacted:
    text: str
    kinds: frozenset  # of the kind codes above; empty when nothing was found

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


_DIGIT = re.compile(r"\d")

_EMAIL = re.compile(
    r"[\w.!#$%&'*+/=?^`{|}~-]+\s?@\s?[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b", re.UNICODE
)

# A candidate IBAN: country, check digits, then 11-30 letters or digits with optional single
# separators. The longest prefix that passes the mod-97 check wins (see _redact_iban).
_IBAN_CANDIDATE = re.compile(
    r"(?<![\w])[A-Za-z]{2}[ ]?\d{2}(?:[ .-]?[A-Za-z0-9]){11,30}(?![\w])"
)
_IBAN_CHUNK = re.compile(r"[A-Za-z0-9]+")

# 11 digits in the usual groupings only (85.07.30-033.28, 85 07 30 033 28, 850730 033 28,
# 85073003328), so that digits run together by chance ("bus 14 050200502") are not one.
_NATIONAL_NUMBER = re.compile(
    r"(?<![\d.+-])(?:\d{2}([ .])\d{2}\1\d{2}|\d{6})[ .-]?\d{3}[ .-]?\d{2}(?!\d)"
)

# The official layout 85.07.30-033.28: no phone number is written like that.
_NN_LAYOUT = re.compile(r"\d{2}\.\d{2}\.\d{2}[-.]\d{3}[.-]\d{2}$")

# A run of digits and separators, and the digit groups inside it, for phone numbers that the
# matcher does not separate from the digits around them ("0470 12 34 56 9000 Gent").
_PHONE_RUN = re.compile(r"[+(]?\d[\d \u00a0./()\-]*\d")
_DIGIT_GROUP = re.compile(r"\+?\(?\d+")
_DIGITS_BEFORE = re.compile(r"[\d+][ \u00a0./()\-]*$")
_DIGITS_AFTER = re.compile(r"[ \u00a0./()\-]*\d")
# "+49 " or "0049 " (not itself after digits) right before a number: a phone number's start.
_COUNTRY_CODE_BEFORE = re.compile(
    r"(?:\+|(?:^|[^\d\s.\-/()])\s*00)\s?\d{1,3}[ .\-/]*$"
)
# Dates such as 05-12-2024 pass as "possible" phone numbers; they are not personal data here.
_DATE = re.compile(r"^\(?\d{1,2}[-./ ]\d{1,2}[-./ ](?:19|20)\d{2}$")

_STREET_SUFFIXES = (
    "straat|straatje|steenweg|laan|lei|plein|pleintje|markt|weg|wegel|dreef|kaai|kade|vest|"
    "singel|dijk|baan|hof|park|pad|steeg|gracht|wal|berg|veld|dries|ring|plaats|werf|hoek|"
    "kouter|vliet"
)
_FRENCH_STREETS = (
    r"rue|avenue|av\.|chauss[ée]e|boulevard|bd\.?|place|square|quai|chemin|all[ée]e|impasse|"
    r"dr[èe]ve|clos|rond-point|galerie|parvis|passage|sentier"
)
# House number: never starts with 0 (that is a phone number), is not a price or a range, and is
# not followed by a unit ("ijsbaan 2 uur", "speelplein 6 tot 12 jaar").
_HOUSE_NUMBER = (
    r"[1-9]\d{0,3}(?![\d])(?![.,]\d)"
    r"(?!\s*(?:uur|u\b|keer|x\b|min|jaar|euro|eur\b|€|dag|week|weken|maand|km|meter|m\b|"
    r"kind|kinderen|personen|mensen|plaatsen|stuks|%|procent|tot\b|à|-\s*[1-9]\d{0,2}(?!\d)))"
    r"(?:\s?[A-Za-z](?![\w]))?"
    r"(?:\s*,?\s*(?:bus|bte|boîte|box)\s*(?:\d{1,3}[A-Za-z]?|[A-Za-z]\d{0,3})\b"
    r"|/(?:\d{1,3}|[A-Za-z]\d{0,2})\b)?"
)
_LETTER = r"[^\W\d_]"
_ADDRESS = re.compile(
    r"(?P<street>"
    # Kerkstraat 12, Koning Albertlaan 5, sint-pietersnieuwstraat 33 (any case)
    rf"(?:(?<![\w'’-])(?P<pre1>(?:[A-Z]{_LETTER}*\s+){{0,3}})"
    rf"(?P<glued>{_LETTER}[\w'’-]*?(?:{_LETTER}|-)(?i:{_STREET_SUFFIXES})))"
    # Grote Markt 3, Oude Vest 5: a capitalised street word after one to three capitalised words
    rf"|(?:(?<![\w'’-])(?P<pre2>(?:[A-Z]{_LETTER}*\s+){{1,3}})"
    rf"(?P<alone>(?:{_STREET_SUFFIXES.title()})))"
    # Avenue Louise 54, rue de la Loi 16, Chaussée de Wavre 123
    rf"|(?i:\b(?:{_FRENCH_STREETS})\s+(?:{_LETTER}[\w'’.-]*\s+){{0,5}}?)"
    r")\s*,?\s*"
    rf"{_HOUSE_NUMBER}",
)


@lru_cache(maxsize=1)
def _municipality_names() -> frozenset:
    """Municipality names ending like a street ("Koekelberg") are places, not addresses."""
    from bot.places import all_municipalities

    names = set()
    for m in all_municipalities():
        names.update((m.name_nl.lower(), m.name_fr.lower()))
    return frozenset(names)


def _redact_email(text: str, kinds: set) -> str:
    new, count = _EMAIL.subn(TAGS[EMAIL], text)
    if count:
        kinds.add(EMAIL)
    return new


def _valid_iban_prefix(raw: str) -> int:
    """Length of the longest prefix of ``raw`` (ending at a chunk) that is a valid IBAN, or 0:
    "BE68 5390 0754 7034 en" -> the part without "en"."""
    chunks = list(_IBAN_CHUNK.finditer(raw))
    for end in range(len(chunks), 0, -1):
        compact = "".join(c.group(0) for c in chunks[:end]).upper()
        if (
            len(compact) >= 15
            and mod_97_10.is_valid(compact[4:] + compact[:4])  # cheap check digits first
            and std_iban.is_valid(compact, check_country=False)
        ):
            return chunks[end - 1].end()
    return 0


def _replace_checked(text: str, pattern: re.Pattern, length_of, tag: str) -> str:
    """Replace what ``pattern`` finds where ``length_of(text, match)`` says how much of it is
    real (0: nothing). A rejected candidate may hide a real one that starts inside it
    ("470000000 00.01.01-001.05"), so the search goes on from the next character."""
    pos = 0
    while True:
        match = pattern.search(text, pos)
        if match is None:
            return text
        length = length_of(text, match)
        if length:
            text = text[: match.start()] + tag + text[match.start() + length :]
            pos = match.start() + len(tag)
        else:
            pos = match.start() + 1


def _redact_iban(text: str, kinds: set) -> str:
    def length_of(_text: str, match: re.Match) -> int:
        return _valid_iban_prefix(match.group(0))

    new = _replace_checked(text, _IBAN_CANDIDATE, length_of, TAGS[IBAN])
    if new != text:
        kinds.add(IBAN)
    return new


def _valid_phone_at(text: str, pos: int) -> bool:
    """Whether a valid phone number starts exactly at ``pos``."""
    run = _PHONE_RUN.match(text, pos)
    if run is None:
        return False
    return any(
        _phone_quality(run.group(0)[: group.end()]) == 2
        for group in _DIGIT_GROUP.finditer(run.group(0))
    )


def _starts_longer_phone(text: str, match: re.Match) -> bool:
    """Whether a valid phone number begins where the candidate does and goes on for one to
    three more digits: "0032 47597 60 00". Four more digits are a postal code that follows a
    national number ("00.49.15-001.18 9300 Aalst"), and digits that start a phone number of
    their own follow it too ("00 41 02 100 59 011 10 00 00")."""
    run = _PHONE_RUN.match(text, match.start())
    if run is None or run.end() <= match.end():
        return False
    after = _DIGIT_GROUP.search(text, match.end())
    if after and _valid_phone_at(text, after.start()):
        return False
    for group in _DIGIT_GROUP.finditer(run.group(0)):
        end = match.start() + group.end()
        extra = len(_DIGIT.findall(text[match.end() : end]))
        if 1 <= extra <= 3 and _phone_quality(text[match.start() : end]) == 2:
            return True
    return False


def _redact_national_number(text: str, kinds: set, defer_to_phones: bool = True) -> str:
    def length_of(current: str, match: re.Match) -> int:
        if defer_to_phones and not _NN_LAYOUT.match(match.group(0)):
            if _COUNTRY_CODE_BEFORE.search(current, 0, match.start()):
                return 0  # "+49 1511 4915755": the tail of a phone number
            if not match.group(0).isdigit() and _starts_longer_phone(current, match):
                return 0  # "0032 47597 60 00": the head of a phone number
        # National register or BIS number.
        return len(match.group(0)) if be_ssn.is_valid(match.group(0)) else 0

    new = _replace_checked(text, _NATIONAL_NUMBER, length_of, TAGS[NATIONAL_NUMBER])
    if new != text:
        kinds.add(NATIONAL_NUMBER)
    return new


def _written_like_phone(raw: str) -> bool:
    # With a trunk or international prefix, and not a date such as 05-12-2024.
    raw = raw.strip()
    if raw.lstrip("(")[:1] not in ("0", "+") or _DATE.match(raw):
        return False
    return not "".join(_DIGIT.findall(raw)).startswith("000")  # "00 00 9300" is no number


def _phone_quality(raw: str) -> int:
    """2 for a valid number, 1 for a possible one written like a phone number, else 0."""
    if not _written_like_phone(raw):
        return 0
    try:
        number = phonenumbers.parse(raw, "BE")
    except phonenumbers.NumberParseException:
        return 0
    if phonenumbers.is_valid_number(number):
        return 2
    return 1 if phonenumbers.is_possible_number(number) else 0


def _replace_spans(text: str, spans: list, tag: str) -> str:
    parts, last = [], 0
    for start, end in spans:
        parts.append(text[last:start])
        parts.append(tag)
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _phone_in_run(run: str) -> list:
    """Phone numbers inside a run of digits and separators that the matcher did not take, such
    as "0470 12 34 56 9000" (a postal code right after the number). From each group that
    starts like a phone number: the longest valid number, else the longest possible one
    (some countries allow many lengths, so "possible" alone would swallow the postal code)."""
    groups = list(_DIGIT_GROUP.finditer(run))
    spans, i = [], 0
    while i < len(groups):
        best = None
        for j in range(len(groups), i, -1):
            start, end = groups[i].start(), groups[j - 1].end()
            candidate = run[start:end]
            if len(_DIGIT.findall(candidate)) < 8:
                break
            quality = _phone_quality(candidate)
            if quality == 2:
                best = (start, end, j)
                break
            if quality == 1 and best is None:
                best = (start, end, j)
        if best:
            spans.append(best[:2])
            i = best[2]
        else:
            i += 1
    return spans


def _redact_phone(text: str, kinds: set) -> str:
    runs = [r for r in _PHONE_RUN.finditer(text) if len(_DIGIT.findall(r.group(0))) >= 8]
    if not runs:
        return text  # every phone number has eight digits or more in one run
    # First the matcher, for valid numbers that stand alone. Inside a longer run of digits
    # ("+31 6 12345678 9300 Gent") it may pick a wrong piece, and it does not know where a
    # merely possible number ends ("09 123 45 67 9000"): such runs go to the second pass.
    spans = [
        (m.start, m.end)
        for m in PhoneNumberMatcher(text, "BE", leniency=Leniency.POSSIBLE)
        if phonenumbers.is_valid_number(m.number)
        and _written_like_phone(m.raw_string)
        and not _DIGITS_BEFORE.search(text, 0, m.start)
        and not _DIGITS_AFTER.match(text, m.end)
    ]
    if spans:
        kinds.add(PHONE)
        text = _replace_spans(text, spans, TAGS[PHONE])
    spans = []
    for run in _PHONE_RUN.finditer(text):
        if len(_DIGIT.findall(run.group(0))) >= 8:
            spans += [(run.start() + a, run.start() + b) for a, b in _phone_in_run(run.group(0))]
    if spans:
        kinds.add(PHONE)
        text = _replace_spans(text, spans, TAGS[PHONE])
    return text


def _ends_with_place(text: str) -> bool:
    text = text.lower()
    for name in _municipality_names():
        if text.endswith(name):
            cut = len(text) - len(name)
            if cut == 0 or not text[cut - 1].isalnum():
                return True
    return False


def _leading_places(before: str, prefix: str, keep_one: bool) -> str:
    """The part of ``prefix`` that ends a municipality name ("Aalst Kerkstraat 1",
    "Nazareth-De Pinte Kerkstraat 1"): it stays, only the street becomes a tag."""
    ends = [m.end() for m in re.finditer(r"\S+", prefix)]
    for end in reversed(ends[: len(ends) - 1] if keep_one else ends):
        if _ends_with_place(before + prefix[:end]):
            return prefix[:end] + " "
    return ""


def _redact_address(text: str, kinds: set) -> str:
    def replace(match: re.Match) -> str:
        word = match.group("glued") or match.group("alone")
        if word and word.lower() in _municipality_names():
            return match.group(0)
        kinds.add(ADDRESS)
        before = text[: match.start()]
        if match.group("pre1"):
            return _leading_places(before, match.group("pre1"), keep_one=False) + TAGS[ADDRESS]
        if match.group("pre2"):
            return _leading_places(before, match.group("pre2"), keep_one=True) + TAGS[ADDRESS]
        return TAGS[ADDRESS]

    return _ADDRESS.sub(replace, text)


# A name announced as one: "ze heet Fatima", "mijn naam is jan peeters", "mevrouw El Amrani".
# Names cannot be recognised in general; these cues catch how people introduce someone.
_NAME_CUE = re.compile(
    r"(?<![\w])(?<!hoe )(?<!wat )(?:(?P<who>ik|hij|zij|ze|die|cliënt|client|kind|zoon|dochter|"
    r"moeder|mama|vader|papa|man|vrouw|meisje|jongen)\s+)?heet(?:\s+(?:hij|zij|ze))?\s+|"
    r"(?<![\w])(?P<strong>(?:mijn|zijn|haar|de|z'n|d'r)\s+naam\s+is|naam\s*:|genaamd|"
    r"met\s+de\s+naam|mevrouw|mevr\.?|meneer|mijnheer|dhr\.?|madame|monsieur)\s+",
    re.IGNORECASE,
)
_NOT_A_NAME = frozenset("""het dat die dit je u een niet nog ook al zo wel ik hij zij ze we wij
jullie hier daar geen maar en of want is""".split())
_WORD_AFTER = re.compile(r"\s*([^\W\d_][\w'’-]*)", re.UNICODE)
_PARTICLES = frozenset("van de der den el al ben bin le la du da di von ter ten".split())


def _name_end(text: str, start: int, loose: bool) -> int | None:
    """Where the name that starts at ``start`` ends, or None when no name starts there.

    Capitalised words (with particles such as "van der" between them) form the name; after a
    strong cue ("ze heet", "naam:") one lowercase word counts too, since people type "fatima".
    """
    end, words = start, 0
    while words < 4:
        match = _WORD_AFTER.match(text, end)
        if not match:
            break
        word = match.group(1)
        if word.lower() in _PARTICLES:
            after = match
            while after and after.group(1).lower() in _PARTICLES:
                after = _WORD_AFTER.match(text, after.end())
            if after and after.group(1)[0].isupper():
                end, words = after.end(), words + 1
                continue
            break
        if word[0].isupper():
            end, words = match.end(), words + 1
            continue
        if loose and not words and word.lower() not in _NOT_A_NAME:
            end, words = match.end(), 1
        break
    return end if words else None


def _redact_name(text: str, kinds: set) -> str:
    out, pos = [], 0
    for cue in _NAME_CUE.finditer(text):
        if cue.start() < pos:
            continue
        # After "heet" alone a name must be capitalised ("het water is heet" has none).
        loose = bool(cue.group("who") or cue.group("strong"))
        end = _name_end(text, cue.end(), loose)
        if end is None:
            continue
        kinds.add(NAME)
        out.append(text[pos:cue.end()] + TAGS[NAME])
        pos = end
    return "".join(out) + text[pos:] if out else text


def redact(text: str | None) -> Redacted:
    """Replace personal data in ``text`` by tags; ``kinds`` says what was found.

    Cheap for the common case: each detector runs only when the text has enough digits (or an
    "@") to hold what it looks for.
    """
    if not text:
        return Redacted(text or "", frozenset())
    kinds: set = set()
    if "@" in text:
        text = _redact_email(text, kinds)
    digits = len(_DIGIT.findall(text))
    if digits >= 2:  # an IBAN's check digits (the rest may be letters: LU, MT, …)
        text = _redact_iban(text, kinds)
    if digits >= 11:
        text = _redact_national_number(text, kinds)
    if digits:  # before phones: "Kerkstraat 100/3 9300" is no phone number
        text = _redact_address(text, kinds)
    if digits >= 6:
        text = _redact_phone(text, kinds)
    if digits >= 11:  # what looked like a phone number's part but no phone number took
        text = _redact_national_number(text, kinds, defer_to_phones=False)
    text = _redact_name(text, kinds)
    return Redacted(text, frozenset(kinds))


def redact_text(text: str | None) -> str:
    return redact(text).text


class RedactingFilter(logging.Filter):
    """Redacts a log record's message, arguments, exception and stack text in place.

    Attach it to handlers (see install_log_redaction): a filter on a logger does not see
    records that propagate from child loggers.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = f"{record.msg} {record.args}"
        record.msg = redact(message).text
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text).text
        if record.stack_info:
            record.stack_info = redact(record.stack_info).text
        return True


def install_log_redaction(logger: logging.Logger | None = None) -> RedactingFilter:
    """Add one RedactingFilter to every handler of ``logger`` (default: the root logger).

    Call after logging is configured; handlers added later need ``addFilter`` themselves.
    """
    logger = logger or logging.getLogger()
    flt = next(
        (f for h in logger.handlers for f in h.filters if isinstance(f, RedactingFilter)),
        RedactingFilter(),
    )
    for handler in logger.handlers:
        if flt not in handler.filters:
            handler.addFilter(flt)
    return flt
