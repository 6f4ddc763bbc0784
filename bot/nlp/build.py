"""Builds the Dutch pipeline from spacy.blank("nl") and spacy-lookups-data (no download)."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import spacy


def create_pipeline():
    nlp = spacy.blank("nl")
    # The lookup tables come from the spacy-lookups-data package, installed from the lock file.
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


def build(output_dir: Path) -> Path:
    """Write the pipeline atomically, so a half-built directory is never loaded."""
    output_dir = Path(output_dir)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=output_dir.parent, prefix=".nl_klik-"))
    try:
        nlp = create_pipeline()
        nlp.meta["name"] = "klik"
        nlp.meta["version"] = "1.0.0"
        nlp.meta["description"] = "Klik: blank Dutch + lookup lemmatiser + municipality ruler"
        nlp.to_disk(tmp)
        if output_dir.exists():
            shutil.rmtree(output_dir)
        tmp.rename(output_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return output_dir
