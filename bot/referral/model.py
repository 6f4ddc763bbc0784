"""Tables for referral notes and their anonymous tally.

A referral holds codes only (municipality, group, age bands, interests, barriers, language,
kind of organisation) and a snapshot of each chosen offering and discount hint, so the note
reads the same when the catalogue changes. No name, no exact age, no free text from the worker,
no link to a conversation. Expired referrals are deleted; before that their counts move to
``referral_tally`` (per month, municipality and barrier), so staff insights keep them.
"""
from __future__ import annotations

from sqlalchemy import JSON, Column, Date, Integer, String

from bot.db import Base
from bot.needs.model import UTCDateTime, utcnow

# The barrier column of a tally row that counts referrals themselves (not one barrier).
ALL = ""


class Referral(Base):
    __tablename__ = "referral"

    id = Column(Integer, primary_key=True)
    code = Column(String(20), nullable=False, unique=True)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    expires_at = Column(UTCDateTime(), nullable=False, index=True)
    municipality_nis = Column(String(5), nullable=False, index=True)
    client_group = Column(String(20), nullable=False)
    age_bands = Column(JSON, nullable=False, default=list)
    interests = Column(JSON, nullable=False, default=list)
    barriers = Column(JSON, nullable=False, default=list)
    language = Column(String(10))
    organisation = Column(String(20))  # the kind of referring organisation, never its name
    offerings = Column(JSON, nullable=False)  # snapshots, in the order the worker chose
    hints = Column(JSON, nullable=False, default=list)  # discount hints shown on the note
    local_door = Column(JSON)


class ReferralTally(Base):
    """How many referrals (barrier = ALL) and how many per barrier, per month and municipality,
    for referrals already deleted."""

    __tablename__ = "referral_tally"

    month = Column(Date, primary_key=True)  # first day of the month the referral was made
    municipality_nis = Column(String(5), primary_key=True)
    barrier = Column(String(30), primary_key=True)
    count = Column(Integer, nullable=False, default=0)
