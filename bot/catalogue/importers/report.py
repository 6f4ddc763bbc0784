"""What an import did, row by row: shown at the terminal and on the staff dashboard."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Outcome:
    where: str  # "regel 4" (CSV) or "document 3" (JSON-LD)
    source_id: str | None = None
    name: str | None = None


@dataclass
class Rejection(Outcome):
    reasons: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    kind: str  # csv, uitdatabank
    source: str
    origin: str
    added: list[Outcome] = field(default_factory=list)
    changed: list[Outcome] = field(default_factory=list)
    unchanged: list[Outcome] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)  # source ids no longer in the file
    skipped: bool = False  # the file was imported before and has not changed since

    @property
    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "rejected": len(self.rejected),
            "deactivated": len(self.deactivated),
        }

    @property
    def ok(self) -> bool:
        return not self.rejected

    def summary(self) -> str:
        """One line in Dutch, e.g. '3 nieuw, 1 gewijzigd, 10 ongewijzigd, 2 geweigerd'."""
        if self.skipped:
            return f"{self.origin}: niets veranderd sinds de vorige import."
        c = self.counts
        text = (
            f"{self.origin}: {c['added']} nieuw, {c['changed']} gewijzigd, "
            f"{c['unchanged']} ongewijzigd, {c['rejected']} geweigerd"
        )
        if c["deactivated"]:
            text += f", {c['deactivated']} niet meer in het bestand (op inactief gezet)"
        return text + "."

    def lines(self) -> list[str]:
        """The summary, then one line per rejected row with its reasons."""
        out = [self.summary()]
        for r in self.rejected:
            label = f" ({r.source_id})" if r.source_id else ""
            out.append(f"  {r.where}{label}: {'; '.join(r.reasons)}")
        return out

    def to_dict(self) -> dict:
        data = asdict(self)
        data["counts"] = self.counts
        data["summary"] = self.summary()
        return data
