"""CSV import: good, bad and partial files, idempotency, and rows that never half-write."""
from __future__ import annotations

from sqlalchemy import select, text

from bot.catalogue.importers import import_bytes, import_csv, import_file, load_sample
from bot.catalogue.models import ImportRun, Offering, Organisation
from tests.catalogue.conftest import FILES


def _by_id(session, source_id):
    return session.execute(select(Offering).where(Offering.source_id == source_id)).scalar_one()


def test_good_file_is_imported_with_every_field(session):
    report = import_file(session, FILES / "good.csv")
    assert report.counts == {"added": 3, "changed": 0, "unchanged": 0, "rejected": 0,
                             "deactivated": 0}
    zw = _by_id(session, "zw-1")
    assert (zw.category, zw.audiences, zw.min_age, zw.max_age) == ("zwemmen", ("kinderen",), 6, 12)
    assert (zw.price_cents, zw.kansentarief_cents, zw.reduced_price_cents) == (500, 150, 150)
    assert zw.location.municipality_nis == "44021"  # 9000 → Gent
    assert zw.features == ("gratis_proefles",)
    assert zw.parts_of_day == ("middag", "woensdagnamiddag")
    assert zw.register_offline == "Kom langs aan de balie."
    assert zw.location.transport_note == "Tram 1 stopt voor de deur."
    assert zw.organisation.name == "Sportdienst"
    mu = _by_id(session, "mu-1")
    assert mu.is_free and mu.category == "museum"
    assert set(mu.features) == {"rolstoeltoegankelijk", "zonder_inschrijving"}
    assert "weekend" in mu.parts_of_day  # za/zo imply the weekend
    yo = _by_id(session, "yo-1")
    assert yo.price_cents == 500 and set(yo.features) == {"kinderopvang", "weinig_nederlands"}
    assert "zwemles" in zw.search_terms


def test_second_import_changes_nothing(session):
    import_file(session, FILES / "good.csv")
    again = import_file(session, FILES / "good.csv")
    assert again.counts["unchanged"] == 3
    assert again.counts["added"] == again.counts["changed"] == 0
    assert session.execute(select(Offering)).scalars().all().__len__() == 3


def test_changed_row_is_updated_in_place(session):
    import_file(session, FILES / "good.csv")
    first_id = _by_id(session, "zw-1").id
    data = (FILES / "good.csv").read_bytes().replace(b'"5,00","1,50"', b'"6,00","1,20"')
    report = import_csv(session, data, "good.csv")
    assert [o.source_id for o in report.changed] == ["zw-1"]
    assert report.counts["unchanged"] == 2
    zw = _by_id(session, "zw-1")
    assert zw.id == first_id and (zw.price_cents, zw.kansentarief_cents) == (600, 120)


def test_partial_file_keeps_good_rows_and_explains_bad_ones(session):
    report = import_file(session, FILES / "partial.csv")
    assert sorted(o.source_id for o in report.added) == ["ok-1", "ok-2"]
    reasons = {r.where: " | ".join(r.reasons) for r in report.rejected}
    assert "onbekende categorie 'breien op de maan'" in reasons["regel 3"]
    assert "postcode 4000 ligt niet in Vlaanderen of Brussel" in reasons["regel 4"]
    assert "minimumleeftijd is groter dan maximumleeftijd" in reasons["regel 5"]
    assert "prijs 'abc' is geen bedrag in euro" in reasons["regel 5"]
    assert "id ontbreekt" in reasons["regel 6"]
    assert "id 'ok-1' komt al voor (regel 2)" in reasons["regel 8"]
    assert "samenvatting heeft 31 woorden (max. 30)" in reasons["regel 9"]
    assert "onbekende kenmerk 'onbekend kenmerk'" in reasons["regel 9"]
    assert len(report.rejected) == 6
    # A rejected row leaves nothing behind, not even its new organisation.
    names = session.execute(select(Organisation.name)).scalars().all()
    assert "Nieuwe Organisatie" not in names
    assert _by_id(session, "ok-2").audiences == ("senioren", "volwassenen")
    assert "regel 3" in "\n".join(report.lines())


def test_missing_required_column_rejects_the_file(session):
    report = import_file(session, FILES / "missing_column.csv")
    assert report.counts["added"] == 0
    assert report.rejected[0].where == "regel 1"
    assert "samenvatting" in report.rejected[0].reasons[0]


def test_windows_encoding_and_semicolons(session):
    report = import_file(session, FILES / "windows.csv")
    assert report.counts["added"] == 1, report.lines()
    offering = _by_id(session, "win-1")
    assert offering.name == "Café voor senioren" and offering.price_cents == 150


def test_database_failure_rolls_back_only_that_row(session):
    # A real database rule the validation does not know, to make one row fail in the database.
    if session.bind.dialect.name == "sqlite":
        session.execute(text(
            "CREATE TRIGGER no_kapot BEFORE INSERT ON offering WHEN NEW.name = 'Yoga in het buurthuis' "
            "BEGIN SELECT RAISE(ABORT, 'geweigerd door test'); END"))
    else:
        session.execute(text(
            "ALTER TABLE offering ADD CONSTRAINT no_kapot CHECK (name <> 'Yoga in het buurthuis')"))
    report = import_file(session, FILES / "good.csv")
    assert report.counts["added"] == 2
    assert report.rejected[0].where == "regel 4"
    assert report.rejected[0].reasons[0].startswith("databank weigert de rij")
    # The organisation of the failed row was written inside the same savepoint: rolled back.
    assert "Buurtwerk" not in session.execute(select(Organisation.name)).scalars().all()
    assert "Sportdienst" in session.execute(select(Organisation.name)).scalars().all()


def test_upload_by_file_name(session):
    report = import_bytes(session, (FILES / "good.csv").read_bytes(), "aanbod.csv", source="gent")
    assert report.counts["added"] == 3
    assert {o.source for o in session.execute(select(Offering)).scalars()} == {"gent"}
    runs = session.execute(select(ImportRun)).scalars().all()
    assert runs[-1].added == 3 and runs[-1].finished_at is not None


def test_load_sample_is_idempotent_and_skips_unchanged_file(session):
    first = load_sample(session)
    assert first.counts["added"] >= 150 and first.counts["rejected"] == 0, first.lines()
    second = load_sample(session)
    assert second.skipped and "niets veranderd" in second.summary()
    forced = load_sample(session, force=True)
    assert forced.counts["unchanged"] == first.counts["added"]


def test_sample_rows_missing_from_file_are_deactivated(session, tmp_path):
    load_sample(session)
    from bot.config import PROJECT_ROOT

    lines = (PROJECT_ROOT / "data/catalogue/voorbeeldaanbod.csv").read_text(encoding="utf-8").splitlines()
    smaller = tmp_path / "voorbeeld.csv"
    smaller.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    report = load_sample(session, smaller)
    assert len(report.deactivated) == 1
    gone = _by_id(session, report.deactivated[0])
    assert gone.status == "inactive"


def test_every_column_is_documented():
    from bot.catalogue.importers.csvfile import COLUMNS
    from bot.config import PROJECT_ROOT

    doc = (PROJECT_ROOT / "docs" / "catalogue-csv.md").read_text(encoding="utf-8")
    assert [c for c in COLUMNS if f"`{c}`" not in doc] == []


def test_rows_with_only_a_municipality_keep_their_own_place(session):
    # Two rows that name nothing but their municipality must not share one location (the
    # second would move the first to its municipality).
    data = ("id,naam,samenvatting,categorie,doelgroep,nis_code\n"
            "a-1,Koor,Samen zingen.,muziek,volwassenen,44021\n"
            "a-2,Schaakclub,Samen schaken.,ontmoeting,volwassenen,11002\n").encode()
    report = import_csv(session, data, "plaatsen.csv", source="test")
    assert len(report.added) == 2, report.rejected
    places = {o.source_id: o.location.municipality_nis for o in
              session.execute(select(Offering).where(Offering.source == "test")).scalars()}
    assert places == {"a-1": "44021", "a-2": "11002"}


def test_a_website_must_be_a_web_address(session):
    data = ("id,naam,samenvatting,categorie,doelgroep,nis_code,website\n"
            "w-1,Koor,Samen zingen.,muziek,volwassenen,44021,javascript:alert(1)\n"
            "w-2,Club,Samen schaken.,ontmoeting,volwassenen,44021,www.schaakclub.be\n").encode()
    report = import_csv(session, data, "sites.csv", source="test")
    assert [r.source_id for r in report.added] == ["w-2"]
    assert "webadres" in " ".join(" ".join(r.reasons) for r in report.rejected)
