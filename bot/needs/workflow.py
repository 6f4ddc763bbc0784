"""Statuses of a need and the allowed changes between them: one table, used by every caller."""
from __future__ import annotations

NIEUW = "nieuw"
IN_BEHANDELING = "in_behandeling"
DOORGEGEVEN = "doorgegeven"
OPGELOST = "opgelost"
NIET_HAALBAAR = "niet_haalbaar"
DUBBEL = "dubbel"

INITIAL = NIEUW
FINAL = frozenset({DOORGEGEVEN, OPGELOST, NIET_HAALBAAR, DUBBEL})

# State -> states it may move to. Reopening a final state goes back to "in behandeling".
TRANSITIONS: dict[str, frozenset] = {
    NIEUW: frozenset({IN_BEHANDELING}),
    IN_BEHANDELING: frozenset({DOORGEGEVEN, OPGELOST, NIET_HAALBAAR, DUBBEL}),
    DOORGEGEVEN: frozenset({IN_BEHANDELING}),
    OPGELOST: frozenset({IN_BEHANDELING}),
    NIET_HAALBAAR: frozenset({IN_BEHANDELING}),
    DUBBEL: frozenset({IN_BEHANDELING}),
}

# Short labels for staff pages and exports.
LABELS = {
    NIEUW: "Nieuw",
    IN_BEHANDELING: "In behandeling",
    DOORGEGEVEN: "Doorgegeven",
    OPGELOST: "Opgelost",
    NIET_HAALBAAR: "Niet haalbaar",
    DUBBEL: "Dubbel",
}

# What the resident reads when asking about their code (B1, "je", short).
RESIDENT_TEXT = {
    NIEUW: "We hebben je melding ontvangen.",
    IN_BEHANDELING: "Een medewerker bekijkt je melding nu.",
    DOORGEGEVEN: "We hebben je melding doorgegeven aan de juiste dienst.",
    OPGELOST: "Er is een oplossing voor je melding.",
    NIET_HAALBAAR: "We kunnen je melding nu helaas niet oplossen.",
    DUBBEL: "Iemand anders meldde hetzelfde. We volgen dat samen op.",
}


class TransitionNotAllowed(ValueError):
    """A status change that is not in TRANSITIONS."""


def allowed_next(status: str) -> frozenset:
    return TRANSITIONS.get(status, frozenset())


def check_transition(current: str, new: str) -> None:
    if new not in allowed_next(current):
        raise TransitionNotAllowed(
            f"Van '{LABELS.get(current, current)}' naar '{LABELS.get(new, new)}' kan niet."
        )


def is_final(status: str) -> bool:
    return status in FINAL
