"""Builds the Dutch pipeline: spacy.blank("nl"), spacy-lookups-data, bot.places (no download).

Same input, same pipeline: the patterns come from the reference CSVs in a fixed order.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import spacy

from bot.nlp import municipalities


def create_pipeline():
    nlp = spacy.blank("nl")
    # The lookup tables come from the spacy-lookups-data package, installed from the lock file.
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    # After initialize(): the ruler's patterns are added once here, not again by initialize().
    municipalities.add_to(nlp)
    return nlp


def build(output_dir: Path) -> Path:
    """Write the pipeline atomically, so a half-built directory is never loaded."""
    output_dir = Path(output_dir)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=output_dir.parent, prefix=".nl_klik-"))
    old = tmp.with_name(tmp.name + "-old")
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; the built pipeline is not
        nlp = create_pipeline()
        nlp.meta["name"] = "klik"
        nlp.meta["version"] = "1.0.0"
        nlp.meta["description"] = "Klik: blank Dutch + lookup lemmatiser + municipality ruler"
        nlp.to_disk(tmp)
        # Two renames: the old pipeline is gone only for an instant, never half-deleted.
        if output_dir.exists():
            output_dir.rename(old)
        tmp.rename(output_dir)
    finally:
        for leftover in (tmp, old):
            if leftover.exists():
                shutil.rmtree(leftover)
    return output_dir
