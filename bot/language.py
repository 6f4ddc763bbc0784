"""Messages in another language: detect them offline and answer with a short, fixed text.

Klik speaks Dutch only. Someone who writes French, Arabic, Turkish, ... gets, in that language,
one fixed and reviewed message: Klik speaks Dutch, try simple Dutch or the buttons, and who can
help (the OCMW / sociaal huis of the municipality, CAW on 0800 13 500, FACTS.md §4).

Detection uses lingua (offline: its models ship inside the wheel) in low-accuracy mode (trigram
models only: about 35 MB and well under a millisecond a message) restricted to the languages
Klik answers in, plus Dutch and two decoys: spoken Flemish often looks more like Afrikaans than
like written Dutch, and pasted "lorem ipsum" is Latin; a message either of them wins stays Dutch.

A Dutch speaker answered in French is worse than a French speaker answered in Dutch (the
buttons and Dutch text still work for them), so the guard rules lean to Dutch:
- a message in Latin script needs at least three words that are not names, numbers or the
  loanwords Flemish speakers use every day ("merci", "sorry", "ok", "cool", "weekend");
- two Dutch or Flemish words ("ik", "wa", "kzoek", "mijn"), or one in a message of up to eight
  words, make it Dutch; a word Dutch shares with some languages ("de", "is", "ja") counts as
  Dutch when the winner is not one of them;
- the winner must be clearly ahead of Dutch, unless a letter only its language writes ("ł",
  "ğ", "ñ") decides;
- names of municipalities ("Molenbeek-Saint-Jean", "Anvers") are left out;
- Arabic and Cyrillic script cannot be Dutch, so there one word is enough. Other scripts
  Klik has no text for (Ge'ez for Tigrinya, Chinese, Greek, ...) get the English text.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Language code (ISO 639-1) -> the text Klik sends. Each says: Klik speaks Dutch; try simple
# Dutch or the buttons; the OCMW (with its local name) of the municipality; CAW, free, 0800 13 500;
# 112 in an emergency (someone in distress who writes no Dutch misses the Dutch safety net).
# Formal address where public services use it (vous, Sie, usted, ...); names stay in Dutch
# because that is what the person will read on the building and on the web.
REPLIES: dict[str, str] = {
    "en": (
        "Klik only speaks Dutch. Try simple Dutch words, or use the buttons below.\n"
        "Need help? Go to the OCMW (social welfare office, also called \"sociaal huis\") "
        "of your town.\n"
        "Or call the CAW for free: 0800 13 500.\n"
        "Emergency: call 112."
    ),
    "fr": (
        "Klik parle seulement le néerlandais. Essayez avec des mots simples en néerlandais, "
        "ou utilisez les boutons ci-dessous.\n"
        "Besoin d'aide ? Allez au CPAS (en néerlandais : OCMW ou « sociaal huis ») "
        "de votre commune.\n"
        "Ou appelez le CAW gratuitement : 0800 13 500.\n"
        "Urgence : appelez le 112."
    ),
    "de": (
        "Klik spricht nur Niederländisch. Versuchen Sie es mit einfachen niederländischen "
        "Wörtern oder nutzen Sie die Buttons unten.\n"
        "Brauchen Sie Hilfe? Gehen Sie zum ÖSHZ (auf Niederländisch: OCMW oder „sociaal huis“) "
        "Ihrer Gemeinde.\n"
        "Oder rufen Sie kostenlos das CAW an: 0800 13 500.\n"
        "Im Notfall: 112."
    ),
    "es": (
        "Klik solo habla neerlandés. Pruebe con palabras sencillas en neerlandés o use los "
        "botones de abajo.\n"
        "¿Necesita ayuda? Vaya al OCMW (servicios sociales, también llamado «sociaal huis») "
        "de su municipio.\n"
        "O llame gratis al CAW: 0800 13 500.\n"
        "Emergencias: llame al 112."
    ),
    "it": (
        "Klik parla solo olandese. Provi con parole semplici in olandese, oppure usi i "
        "pulsanti qui sotto.\n"
        "Ha bisogno di aiuto? Vada all'OCMW (servizi sociali, detto anche «sociaal huis») "
        "del suo comune.\n"
        "Oppure chiami gratis il CAW: 0800 13 500.\n"
        "Emergenze: chiami il 112."
    ),
    "pt": (
        "O Klik só fala neerlandês (holandês). Tente com palavras simples em neerlandês ou "
        "use os botões abaixo.\n"
        "Precisa de ajuda? Vá ao OCMW (serviço social, também chamado «sociaal huis») "
        "do seu município.\n"
        "Ou ligue grátis para o CAW: 0800 13 500.\n"
        "Emergência: ligue 112."
    ),
    "ro": (
        "Klik vorbește doar limba olandeză. Încercați cu cuvinte simple în olandeză sau folosiți "
        "butoanele de mai jos.\n"
        "Aveți nevoie de ajutor? Mergeți la OCMW (serviciul social, numit și „sociaal huis”) "
        "din localitatea dumneavoastră.\n"
        "Sau sunați gratuit la CAW: 0800 13 500.\n"
        "În caz de urgență: sunați la 112."
    ),
    # Polish chat services use "ty"; the formal "Pan/Pani" makes every sentence twice as long.
    "pl": (
        "Klik mówi tylko po niderlandzku. Spróbuj napisać prostymi słowami po niderlandzku "
        "albo użyj przycisków poniżej.\n"
        "Potrzebujesz pomocy? Idź do OCMW (ośrodek pomocy społecznej, inaczej „sociaal huis”) "
        "w swojej gminie.\n"
        "Albo zadzwoń za darmo do CAW: 0800 13 500.\n"
        "W nagłym wypadku dzwoń pod numer 112."
    ),
    "tr": (
        "Klik sadece Felemenkçe (Hollandaca) konuşuyor. Basit Felemenkçe kelimelerle deneyin "
        "veya aşağıdaki düğmeleri kullanın.\n"
        "Yardıma mı ihtiyacınız var? Belediyenizdeki OCMW'ye (sosyal yardım merkezi, "
        "\"sociaal huis\" da denir) gidin.\n"
        "Veya CAW'ı ücretsiz arayın: 0800 13 500.\n"
        "Acil durumda: 112'yi arayın."
    ),
    "ru": (
        "Klik говорит только по-нидерландски. Попробуйте написать простыми словами "
        "по-нидерландски или нажмите одну из кнопок ниже.\n"
        "Нужна помощь? Обратитесь в OCMW (социальная служба, также «sociaal huis») "
        "по месту жительства.\n"
        "Или позвоните бесплатно в CAW: 0800 13 500.\n"
        "Экстренная помощь: 112."
    ),
    "uk": (
        "Klik розмовляє лише нідерландською. Спробуйте написати простими словами "
        "нідерландською або натисніть одну з кнопок нижче.\n"
        "Потрібна допомога? Зверніться до OCMW (соціальна служба, також «sociaal huis») "
        "за місцем проживання.\n"
        "Або зателефонуйте безкоштовно до CAW: 0800 13 500.\n"
        "Екстрена допомога: 112."
    ),
    "bg": (
        "Klik говори само нидерландски (холандски). Опитайте с прости думи на нидерландски "
        "или натиснете един от бутоните по-долу.\n"
        "Нуждаете ли се от помощ? Обърнете се към OCMW (социалната служба, наричана и "
        "„sociaal huis“) във вашата община.\n"
        "Или се обадете безплатно на CAW: 0800 13 500.\n"
        "При спешен случай: 112."
    ),
    "ar": (
        "Klik يتكلم اللغة الهولندية فقط. جرّب كلمات هولندية بسيطة أو استعمل الأزرار في الأسفل.\n"
        "هل تحتاج إلى مساعدة؟ اذهب إلى OCMW (مركز المساعدة الاجتماعية، ويسمى أيضًا sociaal huis) "
        "في بلديتك.\n"
        "أو اتصل مجانًا بـ CAW على الرقم 0800 13 500.\n"
        "في حالة الطوارئ: اتصل بـ 112."
    ),
    # Persian; Dari speakers read it too (same script, nearly the same written language).
    "fa": (
        "Klik فقط هلندی صحبت می‌کند. با کلمات ساده هلندی امتحان کنید یا از دکمه‌های پایین "
        "استفاده کنید.\n"
        "کمک لازم دارید؟ به OCMW (دفتر خدمات اجتماعی، که به آن sociaal huis هم می‌گویند) "
        "در شهرداری خود بروید.\n"
        "یا رایگان به CAW زنگ بزنید: 0800 13 500.\n"
        "در موارد اضطراری با 112 تماس بگیرید."
    ),
    "so": (
        "Klik waxay ku hadashaa af Holandiis oo keliya. Isku day erayo fudud oo Holandiis ah, "
        "ama isticmaal badhamada hoose.\n"
        "Ma u baahan tahay caawimaad? U tag OCMW (xafiiska adeegga bulshada, "
        "sidoo kale loo yaqaan \"sociaal huis\") ee degmadaada.\n"
        "Ama si bilaash ah u wac CAW: 0800 13 500.\n"
        "Xaalad degdeg ah: wac 112."
    ),
}

# When the classifier chose other_language but detection had no language (a two-word greeting,
# say): a Dutch line first, then English, the language most newcomers read best after their own.
FALLBACK_REPLY = "Klik spreekt alleen Nederlands. Probeer het in eenvoudig Nederlands.\n" + REPLIES["en"]

SUPPORTED: tuple[str, ...] = tuple(REPLIES)

# Latin-script languages need this many words of their own (after the neutral words below).
MIN_WORDS = 3
# The winner's share of lingua's confidence, and its lead over Dutch. Three or four words leave
# trigrams little to go on: real foreign ones score 0.7 to 1.0, Dutch ones that lost up to 0.56.
MIN_CONFIDENCE = 0.5
MIN_CONFIDENCE_SHORT = 0.7
SHORT = 4
MIN_LEAD_OVER_DUTCH = 0.25

# Words and forms that only Dutch (or spoken Flemish) uses.
DUTCH_MARKERS = frozenset(
    """
    k ik kik kzoek kheb kben kwil kweet kzit kzou kmoet kkan kwou kdenk kvind kvraag
    ge gij gy gulle gullie wa nen neeje amai goesting aub ajb alstublieft alsjeblieft
    het een mijn mn jouw jou jij jullie wij hij zij uw onze ons hun haar
    niet niets niks geen iets iemand nog ook maar toch wel eens zeker misschien
    wat waar wanneer hoe hoeveel welk welke waarom hoelang
    zijn heb hebt heeft hebben hadden wil wilt willen wou zou zouden moet moeten
    kunnen kunt kunde kon mogen mocht weet weten gaan gaat doen doe doet zoek zoekt zoeken
    vind vindt vinden woon woont wonen kost kosten betalen spreek spreekt spreken
    voor naar bij uit onder tussen zonder tegen van op aan met
    daar deze dit zo zoiets veel weinig meer minder graag goed slecht
    kinderen kindje zoon dochter ouders vrouw mensen jaar jaren
    duur goedkoop korting betaalbaar vrijetijd activiteit activiteiten zwemmen sporten
    bib zwembad speelplein jeugdbeweging sportclub muziekschool academie cultuur chiro ksa
    bedankt dankje dankuwel dank goeiedag goedemorgen straks doei nee neen uitleg
    """.split()
)

# Common Dutch words that some other languages write too: they count as Dutch unless lingua's
# winner is one of those languages. "print de brief" is not English, whatever lingua thinks.
SHARED_WORDS: dict[str, frozenset[str]] = {
    word: frozenset(codes.split())
    for word, codes in {
        "de": "fr es pt ro it tr", "en": "fr es", "in": "en de it ro", "is": "en",
        "die": "de en", "dat": "ro", "was": "en de", "je": "fr pl", "nie": "pl", "ni": "es fr",
        "ja": "de pl", "da": "it pt ro es de tr", "ben": "tr en", "tot": "ro", "kan": "tr",
        "hier": "de fr", "wie": "de pl", "als": "de", "er": "de", "ze": "pl",
        "te": "fr es it ro pt", "om": "ro", "geld": "de", "kind": "de en", "man": "de en",
        "over": "en", "door": "en", "had": "en", "ne": "fr ro it tr", "nu": "ro", "u": "pl so",
        "allez": "fr", "zo": "pl", "dag": "so", "of": "en",
    }.items()
}

# Everyday loanwords, greetings and names that say nothing about the writer's language: Flemish
# speakers write "merci", "sorry", "cool"; a French speaker's "OCMW" is Dutch. Left out before
# counting words and before lingua sees the text.
NEUTRAL_WORDS = frozenset(
    """
    ok okay oke oké okee okido merci mercikes sorry sry pardon cool nice top super fun chill
    thanks thx thank tnx please pls plz hey hi hello helo hallo hoi yo salut ciao bye ajuu adieu
    yes no nope yep jup lol wow oh ah eh euh hmm haha hihi xd bla blabla
    weekend week-end shopping fitness yoga dance hiphop party online ticket tickets app website
    email mail sms whatsapp facebook instagram sport tennis padel hockey basket basketball
    volleyball football foot voetbal judo karate cinema cinéma film movie museum expo concert
    bowling minigolf golf squash badminton skate skatepark lasergame karting paintball escape
    room workshop festival quiz jazz rock pop rap comedy game games gaming
    menu back home start stop help info next skip reset restart cancel exit quit
    klik bot chat ocmw cpas caw sociaal huis uitpas artikel article art paspartoe
    """.split()
)

_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+")
# Letters only; apostrophes split ("j'ai" -> "j", "ai"; "da's" -> "da", "s").
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _place_names() -> re.Pattern:
    """Names of municipalities, in Dutch and French and their aliases ("Molenbeek-Saint-Jean",
    "Zele", "Anvers"): they say nothing about the writer's language."""
    from bot import places

    names = set()
    for form in places.name_forms():
        for name in (form.text, places.strip_accents(form.text)):
            words = _WORD.findall(name.lower())
            if words:
                names.add(r"[\s.'-]+".join(map(re.escape, words)))
    pattern = "|".join(sorted(names, key=len, reverse=True))
    return re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)


_LATIN, _ARABIC, _CYRILLIC, _OTHER = "latin", "arabic", "cyrillic", "other"


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    if name.startswith("LATIN"):
        return _LATIN
    if name.startswith("ARABIC") or name.startswith("PERSIAN"):
        return _ARABIC
    if name.startswith("CYRILLIC"):
        return _CYRILLIC
    return _OTHER


def _main_script(text: str) -> str | None:
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            script = _script(ch)
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    return max(counts, key=counts.get)


_LINGUA_NAMES = {
    "en": "ENGLISH", "fr": "FRENCH", "de": "GERMAN", "es": "SPANISH", "it": "ITALIAN",
    "pt": "PORTUGUESE", "ro": "ROMANIAN", "pl": "POLISH", "tr": "TURKISH", "ru": "RUSSIAN",
    "uk": "UKRAINIAN", "bg": "BULGARIAN", "ar": "ARABIC", "fa": "PERSIAN", "so": "SOMALI",
    "nl": "DUTCH", "af": "AFRIKAANS", "la": "LATIN",
}
# Scripts written right to left: a client sets dir="rtl" on these answers.
RIGHT_TO_LEFT = frozenset({"ar", "fa"})


def direction(code: str) -> str:
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"


# Languages in the detector only so that they can win and mean "no answer in another language":
# Afrikaans (spoken Flemish looks like it) and Latin (pasted "lorem ipsum" filler is gibberish).
DECOYS = frozenset({"af", "la"})


@lru_cache(maxsize=1)
def _detector():
    """Lingua restricted to Klik's languages, built once per process (about 0.1 s and 35 MB in
    low-accuracy mode; high-accuracy mode would take 10 s and 475 MB) with every model loaded up front, so the first message is as fast as
    the others. Returns the detector and its Language -> code map."""
    from lingua import Language, LanguageDetectorBuilder

    codes = {getattr(Language, name): code for code, name in _LINGUA_NAMES.items()}
    detector = (
        LanguageDetectorBuilder.from_languages(*codes)
        .with_low_accuracy_mode()
        .with_preloaded_language_models()
        .build()
    )
    return detector, codes


def _scores(text: str) -> dict[str, float]:
    """Lingua's confidence per language code ("nl" and "af" included), summing to 1."""
    detector, codes = _detector()
    return {codes[c.language]: c.value for c in detector.compute_language_confidence_values(text)}


_VOWELS = set("aeiouyàáâäãåæèéêëìíîïòóôöõøùúûüýÿąęıăâî")


def _is_word(word: str) -> bool:
    """Keyboard noise is no language: "grr", "aaaa", "zzz" (no vowel, or one letter only)."""
    if _script(word[0]) != _LATIN or len(word) == 1:
        return True  # "a", "y", "w", "k": one-letter words of many languages
    return bool(_VOWELS & set(word)) and len(set(word)) > 1


# Letters that only one of Klik's Latin-script languages writes: stronger than trigrams on a
# short message. (ö, ü, ç, ş, ó are shared by two or more of them and decide nothing.)
_OWN_LETTERS = {
    "pl": set("łąęśźżńć"), "ro": set("ășțţ"), "tr": set("ığ"), "de": set("ß"),
    "pt": set("ãõ"), "es": set("ñ¿¡"), "fr": set("œ"),
}

_UKRAINIAN_ONLY, _RUSSIAN_ONLY = set("іїєґ"), set("ыэё")
_PERSIAN_ONLY, _ARABIC_ONLY = set("پچژگکی"), set("ةيك")


# Frequent words only one of the three writes ("where": где, де, къде): trigrams often miss
# them in a message of three words.
_CYRILLIC_WORDS = {
    "ru": frozenset("где что это меня мне спасибо здравствуйте сколько пожалуйста говорю".split()),
    "uk": frozenset("де що як це чи мені мене дякую привіт скільки будь ласка".split()),
    "bg": frozenset("къде какво съм искам благодаря здравейте колко нещо говоря".split()),
}


def _cyrillic(letters: str) -> str:
    """Russian, Ukrainian or Bulgarian: letters, then words only one of them uses decide before
    lingua does."""
    chars = set(letters)
    if chars & _UKRAINIAN_ONLY:
        return "uk"
    if chars & _RUSSIAN_ONLY:
        return "ru"
    words = set(letters.split())
    hits = {code: len(words & own) for code, own in _CYRILLIC_WORDS.items()}
    if sorted(hits.values())[-1] > sorted(hits.values())[-2]:
        return max(hits, key=hits.get)
    scores = _scores(letters)
    return max(("ru", "uk", "bg"), key=lambda code: scores.get(code, 0.0))


def _arabic(letters: str) -> str:
    """Persian (and Dari) write پ چ ژ گ and their own ک and ی; Arabic writes ة, ي and ك."""
    chars = set(letters)
    if chars & _PERSIAN_ONLY and not chars & _ARABIC_ONLY:
        return "fa"
    if chars & _ARABIC_ONLY:
        return "ar"
    scores = _scores(letters)
    return max(("ar", "fa"), key=lambda code: scores.get(code, 0.0))


def detect(text: str | None) -> str | None:
    """The code of the language ``text`` is written in, or None for Dutch and undecidable."""
    if not text or text.startswith("/"):  # button payloads name an intent
        return None
    text = _place_names().sub(" ", _URL.sub(" ", text))
    script = _main_script(text)
    if script is None:
        return None
    if script == _OTHER:
        # A script Klik has no text for: English is the best guess at being read. One sign
        # alone is no message ("¯\\_(ツ)_/¯").
        return "en" if sum(ch.isalpha() for ch in text) >= 2 else None
    words = [w for w in _WORD.findall(text.lower()) if _is_word(w)]
    if script in (_ARABIC, _CYRILLIC):
        # Dutch is never written in these scripts: one word is enough.
        letters = " ".join(w for w in words if _script(w[0]) == script)
        if len(letters.replace(" ", "")) < 2:
            return None
        return _arabic(letters) if script == _ARABIC else _cyrillic(letters)
    own = [w for w in words if w not in NEUTRAL_WORDS]
    # One-letter words ("a", "y", "w", "k") count for lingua but not as words of their own.
    if sum(1 for w in own if len(w) > 1) < MIN_WORDS:
        return None
    markers = sum(1 for w in own if w in DUTCH_MARKERS)
    if _looks_dutch(markers, len(own)):
        return None
    chars = set(text.lower())
    owners = [code for code, letters in _OWN_LETTERS.items() if chars & letters]
    if len(owners) == 1:
        best = owners[0]
    else:
        scores = _scores(" ".join(own))
        best = max(scores, key=scores.get)
        needed = MIN_CONFIDENCE_SHORT if len(own) <= SHORT else MIN_CONFIDENCE
        if best == "nl" or best in DECOYS or scores[best] < needed:
            return None
        if scores[best] - scores.get("nl", 0.0) - scores.get("af", 0.0) < MIN_LEAD_OVER_DUTCH:
            return None
    markers += sum(1 for w in own if w in SHARED_WORDS and best not in SHARED_WORDS[w])
    if _looks_dutch(markers, len(own)):
        return None
    return best


def _looks_dutch(markers: int, words: int) -> bool:
    """Two Dutch words make a message Dutch; one does in a short message ("hello ik zoek")."""
    return markers >= 2 or (markers >= 1 and words <= 8)


def reply(code: str | None) -> str:
    """The fixed text for a language code; the Dutch-and-English text for anything else."""
    return REPLIES.get(code or "", FALLBACK_REPLY)
