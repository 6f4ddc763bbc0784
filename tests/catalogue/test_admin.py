"""Keeping the catalogue by hand (bot/catalogue/admin.py): the importers' rules, errors per
field in Dutch, an audit row in the same transaction, and a source of its own."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.audit import AuditEntry
from bot.catalogue import admin, importers
from bot.catalogue.importers.records import LocationRecord, OfferingRecord, validate
from bot.catalogue.models import Location, Offering

GOOD = {
    "naam": "Zwemles voor kinderen",
    "samenvatting": "Je kind leert zwemmen in een kleine groep.",
    "categorie": "zwemmen",
    "doelgroep": ["kinderen"],
    "min_leeftijd": "6",
    "max_leeftijd": "12",
    "nis_code": "44021",  # Gent
    "postcode": "9000",
    "locatie_naam": "Stedelijk zwembad",
    "prijs": "3,50",
    "kansentarief_korting": "80",
    "dagen": ["wo", "za"],
    "dagdelen": ["middag"],
    "kenmerken": ["gratis_proefles"],
    "artikel27": "ja",
}

SHEET = (
    "id;naam;samenvatting;categorie;doelgroep;locatie_naam;adres;postcode;prijs\n"
    "a;Yoga;Rustige yoga.;sport;volwassenen;Buurthuis;Kerkstraat 1;9000;5\n"
    "b;Koor;Zing mee.;muziek;volwassenen;Buurthuis;Kerkstraat 1;9000;0\n"
).encode("utf-8")


def _audits(session, action=None):
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(session.execute(query).scalars())


def _count(session, model) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_create_writes_an_offering_of_its_own_source_and_an_audit_row(session):
    row = admin.create_offering(session, GOOD, by="an")
    assert row.source == admin.ADMIN_SOURCE and row.status == "active"
    assert row.price_cents == 350 and not row.is_free and row.artikel27
    assert row.reduced_price_cents == 70  # 80 % off 3,50
    assert row.audiences == ("kinderen",)
    # wo + middag also means woensdagnamiddag; za means weekend: the importers' rules.
    assert set(row.parts_of_day) == {"middag", "weekend", "woensdagnamiddag"}
    assert " zwemles " in row.search_terms
    assert row.location.municipality_nis == "44021"

    [entry] = _audits(session, "offering.create")
    assert (entry.actor, entry.target_type, entry.target_id) == ("an", "offering", str(row.id))
    assert entry.after["naam"] == "Zwemles voor kinderen"
    assert entry.after["prijs"] == "3,50"
    assert entry.after["bron"] == admin.ADMIN_SOURCE


def test_the_audit_row_shares_the_transaction_of_the_change(session):
    admin.create_offering(session, GOOD, by="an")
    session.rollback()
    assert _count(session, Offering) == 0
    assert _count(session, AuditEntry) == 0


def test_a_postal_code_alone_gives_the_municipality(session):
    row = admin.create_offering(session, {**GOOD, "nis_code": "", "postcode": "3000"}, by="an")
    assert row.location.municipality_nis == "24062"  # Leuven


@pytest.mark.parametrize("change, field, words", [
    ({"naam": ""}, "naam", "Naam ontbreekt"),
    ({"naam": "x" * 201}, "naam", "Te lang: 201 tekens (max. 200)"),
    ({"samenvatting": ""}, "samenvatting", "Samenvatting ontbreekt"),
    ({"samenvatting": "woord " * 31}, "samenvatting", "31 woorden"),
    ({"categorie": ""}, "categorie", "Categorie ontbreekt"),
    ({"categorie": "ruimtevaart"}, "categorie", "Onbekende categorie 'ruimtevaart'"),
    ({"doelgroep": []}, "doelgroep", "Doelgroep ontbreekt"),
    ({"doelgroep": ["kinderen", "katten"]}, "doelgroep", "Onbekende keuze 'katten'"),
    ({"kenmerken": ["zwembad"]}, "kenmerken", "Onbekende keuze 'zwembad'"),
    ({"dagen": ["maandag"]}, "dagen", "Onbekende keuze 'maandag'"),
    ({"min_leeftijd": "12", "max_leeftijd": "6"}, "min_leeftijd",
     "Minimumleeftijd is groter dan maximumleeftijd"),
    ({"min_leeftijd": "zes"}, "min_leeftijd", "is geen geheel getal"),
    ({"max_leeftijd": "200"}, "max_leeftijd", "ligt niet tussen 0 en 120"),
    ({"prijs": "-2"}, "prijs", "Prijs is negatief"),
    ({"prijs": "veel"}, "prijs", "is geen bedrag in euro"),
    ({"kansentarief_prijs": "-1"}, "kansentarief_prijs", "Kansentarief is negatief"),
    ({"kansentarief_korting": "150"}, "kansentarief_korting", "tussen 1 en 100 procent"),
    ({"nis_code": "", "postcode": ""}, "nis_code", "Gemeente ontbreekt"),
    ({"nis_code": "99999", "postcode": ""}, "nis_code", "99999 is geen gemeente"),
    ({"nis_code": "", "postcode": "4000"}, "postcode", "4000 ligt niet in Vlaanderen of Brussel"),
    ({"postcode": "3000"}, "postcode", "Postcode 3000 hoort niet bij Gent"),
    ({"laatst_gecontroleerd": "gisteren"}, "laatst_gecontroleerd", "is geen datum"),
    ({"telefoon": "0" * 51}, "telefoon", "max. 50"),
])
def test_bad_values_give_a_dutch_message_next_to_their_field_and_write_nothing(
        session, change, field, words):
    with pytest.raises(admin.OfferingInvalid) as caught:
        admin.create_offering(session, {**GOOD, **change}, by="an")
    errors = caught.value.errors
    assert admin.GENERAL not in errors, errors
    assert any(words in message for message in errors[field]), errors
    assert all(m[0].isupper() and m.endswith(".") for ms in errors.values() for m in ms)
    assert _count(session, Offering) == 0
    assert _count(session, AuditEntry) == 0


def test_every_importer_message_maps_to_a_form_field():
    # A record with everything wrong: if the importers' wording changes, this says so.
    record = OfferingRecord(
        source="x", source_id="", name="n" * 201, summary="w " * 31, category="breien",
        location=LocationRecord(source_id="l", municipality_nis="99999"),
        audiences=("katten",), features=("zwembad",), days=("maandag",),
        parts_of_day=("nacht",), min_age=130, max_age=-1, price_cents=-1,
        kansentarief_cents=-1, kansentarief_percent=0,
    )
    messages = validate(record) + validate(OfferingRecord(
        source="x", source_id="y", name="", summary="", category="",
        location=LocationRecord(source_id="l", municipality_nis=""), min_age=9, max_age=3))
    unmapped = [m for m in messages if admin.field_of(m) == admin.GENERAL]
    assert unmapped == ["id ontbreekt"]  # never from the form: the id is made here


def test_update_changes_the_given_fields_and_audits_only_what_changed(session):
    row = admin.create_offering(session, GOOD, by="an")
    session.flush()
    updated, changed = admin.update_offering(
        session, row.id, {"prijs": "4", "naam": "Zwemles", "samenvatting": GOOD["samenvatting"]},
        by="bo")
    assert changed == {"prijs": "4", "naam": "Zwemles"}
    assert updated.price_cents == 400 and updated.name == "Zwemles"
    assert updated.audiences == ("kinderen",)  # fields not given stay as they were
    [entry] = _audits(session, "offering.update")
    assert entry.actor == "bo"
    assert entry.before == {"naam": "Zwemles voor kinderen", "prijs": "3,50"}
    assert entry.after == {"naam": "Zwemles", "prijs": "4"}

    _, again = admin.update_offering(session, row.id, {"prijs": "4"}, by="bo")
    assert again == {}
    assert len(_audits(session, "offering.update")) == 1


def test_an_invalid_update_changes_nothing(session):
    row = admin.create_offering(session, GOOD, by="an")
    with pytest.raises(admin.OfferingInvalid) as caught:
        admin.update_offering(session, row.id, {"prijs": "-1", "naam": ""}, by="bo")
    assert set(caught.value.errors) == {"prijs", "naam"}
    assert session.get(Offering, row.id).price_cents == 350
    assert _audits(session, "offering.update") == []


def test_moving_one_imported_offering_leaves_the_others_at_the_shared_place(session):
    report = importers.import_csv(session, SHEET, "aanbod.csv", "gent")
    assert report.counts["added"] == 2
    yoga, choir = (session.execute(select(Offering).where(Offering.source_id == sid)).scalar_one()
                   for sid in ("a", "b"))
    assert yoga.location_id == choir.location_id
    place = session.get(Location, choir.location_id)
    place.latitude, place.longitude = 51.05, 3.72  # coordinates come only from files

    # A change that does not touch the place keeps the imported place and its coordinates.
    admin.update_offering(session, yoga.id, {"prijs": "6"}, by="an")
    assert yoga.location_id == choir.location_id
    assert (place.latitude, place.address) == (51.05, "Kerkstraat 1")

    admin.update_offering(session, yoga.id, {"adres": "Kerkstraat 9"}, by="an")
    assert yoga.source == "gent" and yoga.location.address == "Kerkstraat 9"
    assert yoga.location_id != choir.location_id
    assert session.get(Location, choir.location_id).address == "Kerkstraat 1"


def test_set_status_switches_off_and_on_with_an_audit_row_each_time(session):
    row = admin.create_offering(session, GOOD, by="an")
    admin.set_status(session, row.id, "inactive", by="an")
    admin.set_status(session, row.id, "inactive", by="an")  # no change: no row
    admin.set_status(session, row.id, "active", by="an")
    entries = _audits(session, "offering.status")
    assert [(e.before, e.after) for e in entries] == [
        ({"status": "active"}, {"status": "inactive"}),
        ({"status": "inactive"}, {"status": "active"}),
    ]
    with pytest.raises(admin.OfferingInvalid):
        admin.set_status(session, row.id, "weg", by="an")
    with pytest.raises(admin.OfferingNotFound):
        admin.set_status(session, 987654, "inactive", by="an")


def test_an_import_never_touches_offerings_made_here(session):
    own = admin.create_offering(session, GOOD, by="an")
    sheet = ("id;naam;samenvatting;categorie;doelgroep;postcode;bron\n"
             f"{own.source_id};Overschreven;Weg ermee.;sport;kinderen;9000;{admin.ADMIN_SOURCE}\n")
    with pytest.raises(admin.UploadRefused, match="bron"):
        admin.import_upload(session, sheet.encode(), "aanbod.csv", by="an")
    with pytest.raises(admin.UploadRefused):
        admin.import_upload(session, SHEET, "aanbod.csv", source=admin.ADMIN_SOURCE, by="an")
    assert session.get(Offering, own.id).name == GOOD["naam"]


def test_import_upload_reports_rows_and_audits_the_counts(session):
    report = admin.import_upload(session, SHEET, "C:\\Users\\an\\aanbod.csv", source="gent", by="an")
    assert report.origin == "aanbod.csv"  # only the file name, never a client path
    assert report.counts["added"] == 2
    [entry] = _audits(session, "catalogue.import")
    assert entry.actor == "an"
    assert entry.after == {"bestand": "aanbod.csv", "bron": "gent", "nieuw": 2, "gewijzigd": 0,
                           "ongewijzigd": 0, "geweigerd": 0}


@pytest.mark.parametrize("data, name, words", [
    (b"", "leeg.csv", "leeg"),
    (b"naam,prijs\n", "aanbod.txt", ".csv"),
    (b"id,naam\n\x81\x8d\x8f\x90\x9d", "kapot.csv", "kan ik niet lezen"),
    (b"id,naam\x00\n1,a\n", "nul.csv", "kan ik niet lezen"),
])
def test_unreadable_uploads_are_refused_with_a_reason(session, data, name, words):
    with pytest.raises(admin.UploadRefused, match=words):
        admin.import_upload(session, data, name, by="an")


def test_a_source_name_must_be_simple(session):
    with pytest.raises(admin.UploadRefused, match="kleine letters"):
        admin.import_upload(session, SHEET, "aanbod.csv", source="Gent & co", by="an")
