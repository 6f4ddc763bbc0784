"""The NLU YAML files hold examples only: Rasa skips (with a warning) any other line in an
examples block, but other readers (the leak checks, the knowledge tests) take it as an example."""
from __future__ import annotations

import pytest
import yaml

from bot.config import PROJECT_ROOT

FILES = sorted([*(PROJECT_ROOT / "data/nlu").glob("*.yml"), *(PROJECT_ROOT / "tests/nlu_holdout").glob("*.yml")])


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_line_of_an_examples_block_is_an_example(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    odd = [(item.get("intent") or item.get("lookup") or item.get("synonym"), line)
           for item in data.get("nlu") or [] if isinstance(item.get("examples"), str)
           for line in item["examples"].splitlines() if line.strip() and not line.lstrip().startswith("- ")]
    assert odd == [], "a comment or a line without '- ' inside an examples block"
