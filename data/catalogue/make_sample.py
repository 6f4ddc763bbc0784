"""Writes voorbeeldaanbod.csv: the sample catalogue (source "voorbeeld").

Generic offering types spread over 27 municipalities, deterministically (no randomness), so
running it again gives the same file. Run: .venv/bin/python data/catalogue/make_sample.py
"""
from __future__ import annotations

import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from bot.catalogue.importers.csvfile import COLUMNS  # noqa: E402

CHECKED = "2026-11-01"
OFFLINE = "Ga langs aan het onthaal of vraag het aan je maatschappelijk werker."
TRANSPORT = "Vraag bij het onthaal welke bus of tram het dichtst stopt."

# (name, postal code, Brussels?)
MUNICIPALITIES = [
    ("Gent", "9000", False), ("Antwerpen", "2000", False), ("Brugge", "8000", False),
    ("Aalst", "9300", False), ("Genk", "3600", False), ("Hasselt", "3500", False),
    ("Kortrijk", "8500", False), ("Leuven", "3000", False), ("Mechelen", "2800", False),
    ("Oostende", "8400", False), ("Roeselare", "8800", False), ("Sint-Niklaas", "9100", False),
    ("Turnhout", "2300", False), ("Brussel", "1000", True), ("Anderlecht", "1070", True),
    ("Schaarbeek", "1030", True), ("Elsene", "1050", True), ("Sint-Jans-Molenbeek", "1080", True),
    ("Vorst", "1190", True), ("Dendermonde", "9200", False), ("Lokeren", "9160", False),
    ("Geel", "2440", False), ("Lier", "2500", False), ("Ieper", "8900", False),
    ("Tienen", "3300", False), ("Vilvoorde", "1800", False), ("Beringen", "3580", False),
]


@dataclass
class T:
    key: str
    name: str
    place: str
    category: str
    audiences: str
    summary: str
    description: str
    when: str
    days: str
    parts: str
    price: str  # euro, "0" = free
    kansentarief: str = ""  # euro
    features: str = ""
    min_age: str = ""
    max_age: str = ""
    register: str = "Schrijf je in aan het onthaal of via de website van de gemeente."
    other_discount: str = ""
    extra: dict = field(default_factory=dict)


TEMPLATES = [
    T("zwemles-kinderen", "Zwemles voor kinderen", "Stedelijk zwembad", "zwemmen", "kinderen",
      "Je kind leert zwemmen in een kleine groep, met een vaste lesgever.",
      "Lessen van 45 minuten in het ondiepe bad. Eerst watergewenning, dan de eerste slagen.",
      "woensdag 14:00-14:45 en zaterdag 10:00-10:45", "wo;za", "middag;ochtend", "5", "1",
      "gratis_proefles", "6", "12"),
    T("vrij-zwemmen", "Vrij zwemmen", "Stedelijk zwembad", "zwemmen",
      "kinderen;gezinnen;volwassenen;senioren",
      "Zwem wanneer het je past. Je hoeft niet in te schrijven.",
      "Het zwembad is open voor iedereen. Kinderen onder 10 jaar zwemmen met een volwassene.",
      "elke dag 12:00-20:00", "ma;di;wo;do;vr;za;zo", "middag;avond", "3,50", "0,70",
      "zonder_inschrijving;rolstoeltoegankelijk", register="Je hoeft niet in te schrijven. Betaal aan de kassa."),
    T("aquagym-senioren", "Aquagym voor senioren", "Stedelijk zwembad", "zwemmen", "senioren",
      "Rustig bewegen in warm water, goed voor je spieren en gewrichten.",
      "Een lesgever toont de oefeningen vanaf de kant. Je staat in het water tot aan je borst.",
      "dinsdag 10:00-10:45", "di", "ochtend", "4", "1", "rolstoeltoegankelijk;begeleiding", "60", ""),
    T("omnisport-kinderen", "Omnisport voor kinderen", "Sporthal", "sport", "kinderen",
      "Elke week een andere sport: balspelen, turnen en badminton.",
      "Kinderen proberen veel sporten uit, zonder wedstrijden. Sportschoenen volstaan.",
      "woensdag 13:30-15:00", "wo", "middag", "3", "0,60", "gratis_proefles", "6", "12"),
    T("straatvoetbal", "Straatvoetbal in de buurt", "Sportplein in de wijk", "sport",
      "kinderen;jongeren", "Gratis voetballen met een sportbegeleider. Kom gewoon langs.",
      "Op het sportplein in de wijk. Een begeleider zorgt voor ballen en eerlijk spel.",
      "woensdag 14:00-17:00 en zaterdag 14:00-17:00", "wo;za", "middag", "0", "",
      "zonder_inschrijving", "8", "16", register="Je hoeft niet in te schrijven."),
    T("zachte-gym", "Zachte gym voor 60-plussers", "Lokaal dienstencentrum", "sport",
      "senioren", "Oefeningen op een stoel en staand, op je eigen tempo.",
      "Een kinesitherapeut begeleidt de groep. Goed voor je evenwicht en om niet te vallen.",
      "dinsdag 9:30-10:30", "di", "ochtend", "2", "0,50",
      "begeleiding;rolstoeltoegankelijk;zonder_inschrijving", "60", ""),
    T("hiphop-jongeren", "Hiphop dansen voor jongeren", "Jeugdhuis", "sport", "jongeren",
      "Leer hiphop dansen met leeftijdsgenoten. De eerste les is gratis.",
      "Een jonge danser geeft les. Je hoeft geen ervaring te hebben.",
      "vrijdag 18:30-20:00", "vr", "avond", "4", "1", "gratis_proefles", "12", "18"),
    T("yoga-buurthuis", "Yoga in het buurthuis", "Buurthuis", "sport", "volwassenen",
      "Rustige yoga voor beginners. Je kinderen spelen intussen in de opvang.",
      "Breng makkelijke kleren mee. Matten zijn er. Opvang voor kinderen vanaf 1 jaar.",
      "donderdag 9:30-10:30", "do", "ochtend", "5", "1",
      "kinderopvang;zonder_inschrijving;weinig_nederlands", "16", ""),
    T("familievoorstelling", "Familievoorstelling", "Cultuurcentrum", "podium",
      "gezinnen;kinderen", "Theater voor jong en oud, met veel beeld en weinig tekst.",
      "Een voorstelling van een uur voor kinderen vanaf 4 jaar en hun ouders.",
      "zondag 15:00", "zo", "middag", "8", "1,60",
      "rolstoeltoegankelijk;ringleiding;weinig_nederlands", "4", ""),
    T("avondtheater", "Theater op dinsdagavond", "Cultuurcentrum", "podium",
      "volwassenen;senioren", "Toneel in de grote zaal. Je kan samen gaan met een vrijwilliger.",
      "Vrijwilligers van het cultuurcentrum gaan mee met wie niet alleen wil gaan.",
      "dinsdag 20:00", "di", "avond", "15", "3",
      "ringleiding;rolstoeltoegankelijk;begeleiding", "", ""),
    T("zomerconcert", "Gratis zomerconcert in het park", "Stadspark", "podium",
      "gezinnen;kinderen;jongeren;volwassenen;senioren",
      "Live muziek in open lucht. Breng een dekentje mee.",
      "Elke zaterdag in juli en augustus. Bij regen in de sporthal ernaast.",
      "zaterdag 19:00 in juli en augustus", "za", "avond", "0", "",
      "zonder_inschrijving;rolstoeltoegankelijk", register="Je hoeft niet in te schrijven."),
    T("seniorenfilm", "Filmnamiddag voor senioren", "Cultuurcentrum", "film", "senioren",
      "Een film in de zaal, daarna koffie en een babbel.",
      "Een bekende film met ondertitels. Koffie en koek zijn inbegrepen.",
      "donderdag 14:00", "do", "middag", "3", "1",
      "ringleiding;rolstoeltoegankelijk;zonder_inschrijving", "55", ""),
    T("kinderfilm", "Kinderfilm op woensdag", "Cultuurcentrum", "film", "kinderen;gezinnen",
      "Een film voor kinderen, op groot scherm.",
      "Films in het Nederlands of nagesynchroniseerd. Ouders kijken mee voor hetzelfde tarief.",
      "woensdag 14:30", "wo", "middag", "4", "1", "rolstoeltoegankelijk", "4", "12"),
    T("stadsmuseum", "Stadsmuseum", "Stadsmuseum", "museum",
      "kinderen;gezinnen;jongeren;volwassenen;senioren",
      "Ontdek de geschiedenis van de stad met voorwerpen, foto's en verhalen.",
      "Er is een speurtocht voor kinderen. Alle teksten staan ook in eenvoudig Nederlands.",
      "dinsdag tot zondag 10:00-17:00", "di;wo;do;vr;za;zo", "ochtend;middag", "5", "1",
      "rolstoeltoegankelijk;zonder_inschrijving", register="Je hoeft niet in te schrijven.",
      other_discount="Elke eerste zondag van de maand gratis."),
    T("rondleiding-nieuwkomers", "Gratis rondleiding voor nieuwkomers", "Stadsmuseum", "museum",
      "volwassenen", "Een gids toont het museum in eenvoudig Nederlands.",
      "Voor mensen die Nederlands leren. Je mag een vriend of begeleider meebrengen.",
      "eerste zaterdag van de maand 14:00", "za", "middag", "0", "",
      "weinig_nederlands;begeleiding;rolstoeltoegankelijk", "16", ""),
    T("erfgoedwandeling", "Erfgoedwandeling door de stad", "Toeristische dienst", "museum",
      "volwassenen;senioren", "Een gids vertelt over oude gebouwen en pleinen.",
      "Een wandeling van anderhalf uur in een rustig tempo, met pauzes.",
      "zondag 10:30", "zo", "ochtend", "3", "1", "begeleiding", "", ""),
    T("bib-lid", "Lid worden van de bibliotheek", "Bibliotheek", "bibliotheek",
      "kinderen;jongeren;volwassenen;senioren;gezinnen",
      "Leen gratis boeken, strips, films en spelletjes. Kinderen zijn gratis lid.",
      "Je betaalt een lidkaart per jaar. Met kansentarief is de lidkaart gratis.",
      "maandag tot zaterdag, zie openingsuren", "ma;di;wo;do;vr;za", "ochtend;middag;avond", "5",
      "0", "rolstoeltoegankelijk;zonder_inschrijving",
      register="Breng je identiteitskaart mee naar de balie."),
    T("voorleesuurtje", "Voorleesuurtje in de bib", "Bibliotheek", "bibliotheek",
      "kinderen;gezinnen", "Een vrijwilliger leest verhalen voor. Gratis en zonder inschrijving.",
      "Prentenboeken met veel beeld. Ouders en grootouders zijn welkom.",
      "woensdag 15:00-15:45", "wo", "middag", "0", "",
      "zonder_inschrijving;weinig_nederlands;rolstoeltoegankelijk", "3", "8",
      register="Je hoeft niet in te schrijven."),
    T("taalcafe", "Taalcafé: Nederlands oefenen", "Bibliotheek", "leren", "volwassenen",
      "Oefen Nederlands in een kleine groep, bij een kop koffie.",
      "Je praat over gewone dingen. Iedereen is welkom, ook als je nog maar weinig Nederlands kent.",
      "maandag 9:30-11:00", "ma", "ochtend", "0", "",
      "weinig_nederlands;zonder_inschrijving;kinderopvang", "16", "",
      register="Je hoeft niet in te schrijven."),
    T("computerles", "Computerles voor beginners", "Digitaal oefenpunt", "leren",
      "volwassenen;senioren", "Leer werken met een computer of smartphone, stap voor stap.",
      "Mails lezen, je bank-app, formulieren invullen. Een vrijwilliger helpt je persoonlijk.",
      "dinsdag 9:30-11:30", "di", "ochtend", "2", "0,50", "begeleiding;weinig_nederlands", "18", ""),
    T("huiswerkklas", "Huiswerkklas", "Buurthuis", "leren", "kinderen",
      "Vrijwilligers helpen je kind met huiswerk, na school.",
      "Voor kinderen van de lagere school. Er is ook een vieruurtje.",
      "maandag, dinsdag en donderdag 16:00-17:30", "ma;di;do", "middag", "0", "",
      "weinig_nederlands", "6", "12"),
    T("muziekatelier", "Samen muziek maken", "Jeugdhuis", "muziek", "jongeren",
      "Speel in een band met anderen. Instrumenten zijn er.",
      "Gitaar, drums, keyboard of zingen. Een muzikant helpt je op weg.",
      "zaterdag 10:00-12:00", "za", "ochtend", "3", "0,60", "gratis_proefles", "12", "18"),
    T("buurtkoor", "Buurtkoor", "Buurthuis", "muziek", "volwassenen;senioren",
      "Zing mee met bekende liedjes. Je hoeft geen noten te kennen.",
      "Het koor zingt in het Nederlands en in andere talen. Iedereen mag mee zingen.",
      "donderdag 19:30-21:00", "do", "avond", "0", "", "zonder_inschrijving;weinig_nederlands",
      register="Je hoeft niet in te schrijven."),
    T("academie", "Muziekles in de academie", "Academie voor muziek", "muziek",
      "kinderen;jongeren", "Leer een instrument spelen, een heel schooljaar lang.",
      "Les in kleine groepen. Met kansentarief betaal je het verminderd inschrijvingsgeld.",
      "woensdagnamiddag en zaterdagvoormiddag", "wo;za", "middag;ochtend", "79", "53",
      "", "8", "17", register="Schrijf je in aan het secretariaat van de academie."),
    T("knutselatelier", "Knutselatelier voor kinderen", "Buurtatelier", "creatief", "kinderen",
      "Knutselen met papier, verf en klei. Alles is er.",
      "Elke week een ander thema. Kinderen nemen hun werk mee naar huis.",
      "woensdag 14:00-16:00", "wo", "middag", "2", "0,40", "", "4", "10"),
    T("open-atelier", "Open atelier: tekenen en schilderen", "Buurtatelier", "creatief",
      "volwassenen;senioren", "Teken of schilder op je eigen manier, met wat hulp als je wil.",
      "Materiaal is er. Een kunstenaar geeft tips, geen lessen met punten.",
      "dinsdag 13:30-16:00", "di", "middag", "3", "0,60",
      "zonder_inschrijving;weinig_nederlands", "16", ""),
    T("naaicafe", "Naaicafé", "Buurthuis", "creatief", "volwassenen",
      "Herstel kleren of maak iets nieuws, met naaimachines van het buurthuis.",
      "Vrijwilligers tonen hoe het werkt. Tijdens het naaicafé is er opvang voor kleine kinderen.",
      "vrijdag 9:00-11:30", "vr", "ochtend", "0", "",
      "kinderopvang;weinig_nederlands;zonder_inschrijving", "16", "",
      register="Je hoeft niet in te schrijven."),
    T("natuurwandeling", "Natuurwandeling met gids", "Natuurgebied aan de rand van de stad",
      "natuur", "gezinnen;volwassenen;senioren",
      "Wandel met een gids door bos en wei. Je leert vogels en planten kennen.",
      "Een wandeling van twee uur op vlakke paden. Stevige schoenen zijn handig.",
      "zondag 10:00", "zo", "ochtend", "0", "", "begeleiding",
      register="Schrijf je in bij de milieudienst."),
    T("samentuin", "Samentuin in de wijk", "Buurtmoestuin", "natuur",
      "volwassenen;senioren;gezinnen", "Kweek groenten samen met buren. Je hoeft er niets van te kennen.",
      "Je krijgt een stukje grond of helpt in de gemeenschappelijke bedden.",
      "zaterdag 10:00-12:00", "za", "ochtend", "0", "",
      "zonder_inschrijving;weinig_nederlands", register="Kom gewoon langs op zaterdag."),
    T("speelplein", "Speelpleinwerking in de zomer", "Speelplein", "jeugdwerk", "kinderen",
      "Spelen met animatoren, elke weekdag van de zomervakantie.",
      "Je kind speelt buiten en binnen, met vrije en begeleide spelen. Breng een lunchpakket mee.",
      "maandag tot vrijdag 9:00-17:00 in juli en augustus", "ma;di;wo;do;vr", "ochtend;middag",
      "4", "1", "weinig_nederlands", "3", "12"),
    T("jeugdbeweging", "Jeugdbeweging", "Jeugdlokaal", "jeugdwerk", "kinderen;jongeren",
      "Spelen en op kamp gaan met leeftijdsgenoten. Probeer drie keer gratis.",
      "Elke zondagnamiddag, met leiding van jongeren. Het lidgeld is voor een heel jaar.",
      "zondag 14:00-17:00", "zo", "middag", "40", "8", "gratis_proefles", "6", "17",
      register="Kom gewoon eens kijken op zondag."),
    T("tienerwerking", "Tienerwerking", "Jeugdhuis", "jeugdwerk", "jongeren",
      "Chillen, spelletjes en uitstappen met andere tieners. Gratis.",
      "Jongerenwerkers maken samen met jullie het programma.",
      "woensdag 14:00-18:00 en vrijdag 18:00-21:00", "wo;vr", "middag;avond", "0", "",
      "zonder_inschrijving", "12", "16", register="Je hoeft niet in te schrijven."),
    T("zee-uitstap", "Daguitstap naar zee met de buurt", "Vertrek aan het buurthuis", "uitstap",
      "gezinnen;kinderen;volwassenen;senioren", "Een dag naar zee met de bus, samen met buren.",
      "De bus vertrekt aan het buurthuis. Breng eten en drinken mee.",
      "een zaterdag in juli", "za", "ochtend;middag", "5", "1", "vervoer;begeleiding"),
    T("busuitstap-senioren", "Uitstap met de bus voor senioren", "Lokaal dienstencentrum",
      "uitstap", "senioren", "Een dag op uitstap met de bus. Je wordt thuis opgehaald.",
      "Elke maand een andere bestemming. De bus heeft een lift voor rolstoelen.",
      "derde donderdag van de maand", "do", "ochtend;middag", "12", "3",
      "vervoer;rolstoeltoegankelijk;begeleiding", "60", ""),
    T("vakantiekamp", "Vakantiekamp voor kinderen", "Jeugddienst", "uitstap", "kinderen",
      "Vijf dagen op kamp in de natuur, met spel en sport.",
      "Vervoer met de bus is inbegrepen. Met kansentarief betaal je veel minder.",
      "een week in augustus", "ma;di;wo;do;vr", "ochtend;middag;avond", "120", "24",
      "vervoer", "7", "12"),
    T("buurtrestaurant", "Buurtrestaurant", "Buurthuis", "ontmoeting",
      "volwassenen;senioren;gezinnen", "Eet samen een warme maaltijd aan een lage prijs.",
      "Soep, hoofdgerecht en dessert. Reserveer een dag op voorhand aan het onthaal.",
      "maandag tot vrijdag 12:00", "ma;di;wo;do;vr", "middag", "6", "3",
      "rolstoeltoegankelijk;weinig_nederlands", register="Reserveer aan het onthaal of telefonisch."),
    T("praatcafe-ouders", "Praatcafé voor ouders", "Buurthuis", "ontmoeting",
      "volwassenen;gezinnen", "Ouders praten bij een kop koffie. Kinderen spelen in de opvang.",
      "Elke week een thema, zoals slapen, school of geld. Er is opvang voor kinderen tot 6 jaar.",
      "dinsdag 9:00-11:00", "di", "ochtend", "0", "",
      "kinderopvang;weinig_nederlands;zonder_inschrijving", register="Je hoeft niet in te schrijven."),
    T("spelnamiddag", "Spelnamiddag", "Lokaal dienstencentrum", "ontmoeting", "senioren;volwassenen",
      "Kaarten, rummikub of schaken met anderen. Koffie kost 1 euro.",
      "Nieuwe spelers zijn welkom. Een vrijwilliger stelt je voor aan de groep.",
      "woensdag 14:00-17:00", "wo", "middag", "1", "",
      "zonder_inschrijving;begeleiding;rolstoeltoegankelijk", register="Je hoeft niet in te schrijven."),
]

# Offerings a municipality always gets, so the example questions in issue 3 find something.
GUARANTEED = {
    "Gent": ["zwemles-kinderen", "taalcafe", "zomerconcert", "stadsmuseum", "speelplein"],
    "Antwerpen": ["omnisport-kinderen", "straatvoetbal", "zwemles-kinderen", "hiphop-jongeren"],
    "Brussel": ["stadsmuseum", "rondleiding-nieuwkomers", "bib-lid", "familievoorstelling"],
    "Elsene": ["rondleiding-nieuwkomers"],
    "Mechelen": ["yoga-buurthuis", "taalcafe", "naaicafe", "praatcafe-ouders"],
}
PER_MUNICIPALITY = 6


def slug(text: str) -> str:
    return text.lower().replace(" ", "-")


def chosen(index: int, name: str) -> list[T]:
    # Every 7th template, shifted per municipality: neighbours get different mixes.
    picks = [TEMPLATES[(index + k * 7) % len(TEMPLATES)] for k in range(PER_MUNICIPALITY)]
    by_key = {t.key: t for t in TEMPLATES}
    for key in GUARANTEED.get(name, []):
        if by_key[key] not in picks:
            picks.append(by_key[key])
    return picks


def row(t: T, municipality: str, postal: str, brussels: bool) -> dict:
    free = t.price == "0"
    price, kansentarief = t.price, t.kansentarief
    other = t.other_discount
    if t.key == "stadsmuseum" and municipality in ("Brussel", "Elsene", "Gent"):
        price, kansentarief, other = "0", "", ""
        free = True
    if brussels:
        # UiTPAS is Flemish; in Brussels Paspartoe and Artikel 27 lower the price.
        kansentarief = ""
    return {
        "id": f"{slug(municipality)}-{t.key}",
        "naam": t.name,
        "samenvatting": t.summary,
        "beschrijving": t.description,
        "categorie": t.category,
        "doelgroep": t.audiences,
        "min_leeftijd": t.min_age,
        "max_leeftijd": t.max_age,
        "status": "actief",
        "laatst_gecontroleerd": CHECKED,
        "bron": "voorbeeld",
        "organisatie": "",
        "locatie_naam": t.place,
        "postcode": postal,
        "openbaar_vervoer": TRANSPORT,
        "wanneer": t.when,
        "dagen": t.days,
        "dagdelen": t.parts,
        "prijs": price,
        "kansentarief_prijs": kansentarief,
        "artikel27": "ja" if brussels and not free else "nee",
        "paspartoe": "ja" if brussels and not free else "nee",
        "andere_korting": other,
        "kenmerken": t.features,
        "inschrijven": t.register,
        "inschrijven_zonder_internet": OFFLINE,
    }


def main() -> None:
    rows = []
    for index, (name, postal, brussels) in enumerate(MUNICIPALITIES):
        rows += [row(t, name, postal, brussels) for t in chosen(index, name)]
    out = HERE / "voorbeeldaanbod.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({c: r.get(c, "") for c in COLUMNS})
    print(f"{len(rows)} offerings in {out}")


if __name__ == "__main__":
    main()
