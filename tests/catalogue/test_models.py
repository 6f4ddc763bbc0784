"""Database rules that hold whatever writes the rows."""
from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from bot.catalogue.models import Location, Offering, OfferingFeature


def _offering(**kw):
    values = dict(source="test", source_id="a", name="Iets", summary="Kort.", category="sport",
                  content_hash="x", location=Location(source="test", source_id="l",
                                                      municipality_nis="44021"))
    values.update(kw)
    return Offering(**values)


def test_source_and_source_id_are_unique(session):
    session.add(_offering())
    session.flush()
    session.add(_offering(location=Location(source="test", source_id="l2", municipality_nis="44021")))
    with pytest.raises(IntegrityError):
        session.flush()


def test_age_range_is_checked(session):
    session.add(_offering(min_age=12, max_age=6))
    with pytest.raises(IntegrityError):
        session.flush()


def test_codes_and_sample_flag(session):
    o = _offering(source="voorbeeld")
    o.feature_rows = [OfferingFeature(feature="ringleiding"), OfferingFeature(feature="kinderopvang")]
    session.add(o)
    session.flush()
    session.expire_all()
    stored = session.get(Offering, o.id)
    assert stored.features == ("kinderopvang", "ringleiding")
    assert stored.is_sample and stored.status == "active"
