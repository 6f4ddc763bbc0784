"""Catalogue tables, shaped after Open Referral HSDS 3.0 (FACTS.md §7).

HSDS splits a service into organization, location, schedule, cost_option and accessibility
records. Here schedule and cost are one-to-one with an offering, so their columns live on the
offering row (search filters on them without joins); multi-valued codes (audiences, access
features, parts of day) are rows of their own, as HSDS attributes are.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from bot.catalogue.taxonomy import SAMPLE_SOURCE
from bot.db import Base


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Organisation(Base):
    __tablename__ = "organisation"
    __table_args__ = (UniqueConstraint("source", "source_id"),)

    id = Column(Integer, primary_key=True)
    source = Column(String(40), nullable=False)
    source_id = Column(String(200), nullable=False)
    name = Column(String(200), nullable=False)
    website = Column(String(300))
    email = Column(String(200))
    phone = Column(String(50))


class Location(Base):
    __tablename__ = "location"
    __table_args__ = (UniqueConstraint("source", "source_id"),)

    id = Column(Integer, primary_key=True)
    source = Column(String(40), nullable=False)
    source_id = Column(String(200), nullable=False)
    name = Column(String(200))
    address = Column(String(300))
    postal_code = Column(String(10))
    municipality_nis = Column(String(5), nullable=False, index=True)
    latitude = Column(Float)
    longitude = Column(Float)
    transport_note = Column(Text)


class Offering(Base):
    __tablename__ = "offering"
    __table_args__ = (
        UniqueConstraint("source", "source_id"),
        CheckConstraint("status IN ('active', 'inactive')", name="status"),
        CheckConstraint(
            "min_age IS NULL OR max_age IS NULL OR min_age <= max_age", name="age_range"
        ),
        CheckConstraint(
            "(price_cents IS NULL OR price_cents >= 0) AND "
            "(kansentarief_cents IS NULL OR kansentarief_cents >= 0)",
            name="prices",
        ),
        CheckConstraint(
            "kansentarief_percent IS NULL OR (kansentarief_percent > 0 AND kansentarief_percent <= 100)",
            name="percent",
        ),
        Index("ix_offering_status_category", "status", "category"),
    )

    id = Column(Integer, primary_key=True)
    source = Column(String(40), nullable=False)
    source_id = Column(String(200), nullable=False)
    organisation_id = Column(ForeignKey("organisation.id", ondelete="SET NULL"), index=True)
    location_id = Column(ForeignKey("location.id"), nullable=False, index=True)

    name = Column(String(200), nullable=False)
    summary = Column(String(400), nullable=False)  # plain language, at most 30 words
    description = Column(Text)
    category = Column(String(20), nullable=False)
    min_age = Column(Integer)
    max_age = Column(Integer)
    status = Column(String(10), nullable=False, default="active")
    last_checked = Column(Date)

    # Schedule (HSDS schedule): free text plus structured days ("ma wo za").
    schedule_text = Column(String(300))
    schedule_days = Column(String(30))

    # Cost (HSDS cost_option), in euro cents; NULL price means "not known".
    price_cents = Column(Integer)
    is_free = Column(Boolean, nullable=False, default=False)
    kansentarief_cents = Column(Integer)
    kansentarief_percent = Column(Integer)
    # The lowest price someone with a discount pays; derived on import, used by price filters.
    reduced_price_cents = Column(Integer)
    artikel27 = Column(Boolean, nullable=False, default=False)
    paspartoe = Column(Boolean, nullable=False, default=False)
    other_discount = Column(String(300))

    # Contact and registration (HSDS contact / application_process).
    phone = Column(String(50))
    email = Column(String(200))
    website = Column(String(300))
    how_to_register = Column(Text)
    register_offline = Column(Text)  # how to register without internet

    search_terms = Column(Text, nullable=False, default="")  # " lemma lemma … " for word search
    content_hash = Column(String(64), nullable=False)  # of the imported record: change detection
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)

    organisation = relationship(Organisation, lazy="joined")
    location = relationship(Location, lazy="joined")
    audience_rows = relationship(
        "OfferingAudience", cascade="all, delete-orphan", order_by="OfferingAudience.audience"
    )
    feature_rows = relationship(
        "OfferingFeature", cascade="all, delete-orphan", order_by="OfferingFeature.feature"
    )
    time_rows = relationship(
        "OfferingTime", cascade="all, delete-orphan", order_by="OfferingTime.part"
    )

    @property
    def audiences(self) -> tuple[str, ...]:
        return tuple(row.audience for row in self.audience_rows)

    @property
    def features(self) -> tuple[str, ...]:
        return tuple(row.feature for row in self.feature_rows)

    @property
    def parts_of_day(self) -> tuple[str, ...]:
        return tuple(row.part for row in self.time_rows)

    @property
    def is_sample(self) -> bool:
        return self.source == SAMPLE_SOURCE


class OfferingAudience(Base):
    __tablename__ = "offering_audience"

    offering_id = Column(ForeignKey("offering.id", ondelete="CASCADE"), primary_key=True)
    audience = Column(String(20), primary_key=True, index=True)


class OfferingFeature(Base):
    """An access or barrier feature (HSDS accessibility), one of taxonomy.FEATURES."""

    __tablename__ = "offering_feature"

    offering_id = Column(ForeignKey("offering.id", ondelete="CASCADE"), primary_key=True)
    feature = Column(String(30), primary_key=True, index=True)


class OfferingTime(Base):
    """A part of day or week the offering takes place in, one of taxonomy.PARTS_OF_DAY."""

    __tablename__ = "offering_time"

    offering_id = Column(ForeignKey("offering.id", ondelete="CASCADE"), primary_key=True)
    part = Column(String(20), primary_key=True, index=True)


class ImportRun(Base):
    """One import of a file or API feed: what it did, and a checksum to skip unchanged files."""

    __tablename__ = "catalogue_import"

    id = Column(Integer, primary_key=True)
    kind = Column(String(20), nullable=False)  # csv, uitdatabank
    source = Column(String(40), nullable=False)
    origin = Column(String(500), nullable=False)  # file path or API URL
    checksum = Column(String(64))
    started_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    finished_at = Column(DateTime(timezone=True))
    added = Column(Integer, nullable=False, default=0)
    changed = Column(Integer, nullable=False, default=0)
    unchanged = Column(Integer, nullable=False, default=0)
    rejected = Column(Integer, nullable=False, default=0)
    deactivated = Column(Integer, nullable=False, default=0)
