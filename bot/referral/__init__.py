"""Referrals for social workers (issue 8): an anonymous intake, matching offerings, discount
hints, and a printable note at /verwijzing/<code> that expires.

Rasa actions, the gateway and the staff pages call the functions re-exported here::

    profile = ClientProfile.build(municipality="Gent", group="gezin", ages="4 en 9",
                                  interests=["zwemmen"], barriers=["geld", "kinderopvang"])
    matches = match(session, profile)            # up to 5, each with .because
    tips = hints(profile)                        # discount schemes, each with its source
    receipt = create_referral(db, profile, [m.offering_id for m in matches[:2]])
    receipt.url                                  # /verwijzing/<code> (absolute with KLIK_PUBLIC_URL)
"""
from bot.referral.eligibility import Discount, Hint, LocalDoor, discounts_for, hints, local_door
from bot.referral.matching import MAX_MATCHES, Match, match
from bot.referral.note import ACTIVE, EXPIRED, UNKNOWN, Note, NoteLookup, UnknownOffering
from bot.referral.profile import (
    BARRIERS,
    GROUPS,
    LANGUAGES,
    ORGANISATIONS,
    STATUSES,
    ClientProfile,
    ProfileError,
    normalize_barrier,
    normalize_group,
    normalize_interest,
    normalize_language,
    normalize_municipality,
    normalize_organisation,
    normalize_status,
    parse_ages,
)
from bot.referral.qr import qr_png
from bot.referral.service import (
    MAX_OFFERINGS,
    ReferralCounts,
    ReferralError,
    ReferralNotSaved,
    ReferralReceipt,
    ReferralStoreUnavailable,
    counts,
    create_referral,
    delete_referral,
    get_note,
    note_path,
    note_url,
    purge_expired,
    retention_days,
)

__all__ = [
    "ACTIVE", "BARRIERS", "EXPIRED", "GROUPS", "LANGUAGES", "MAX_MATCHES", "MAX_OFFERINGS",
    "ORGANISATIONS", "STATUSES", "UNKNOWN",
    "ClientProfile", "Discount", "Hint", "LocalDoor", "Match", "Note", "NoteLookup",
    "ProfileError", "ReferralCounts", "ReferralError", "ReferralNotSaved", "ReferralReceipt",
    "ReferralStoreUnavailable", "UnknownOffering",
    "counts", "create_referral", "delete_referral", "discounts_for", "get_note", "hints",
    "local_door", "match", "normalize_barrier", "normalize_group", "normalize_interest",
    "normalize_language", "normalize_municipality", "normalize_organisation",
    "normalize_status", "note_path", "note_url", "parse_ages", "purge_expired", "qr_png",
    "retention_days",
]
