"""Plain language is tested: every response in domain.yml, every knowledge answer and every
safety message has sentences of at most 20 words and a Dutch Flesch-Douma reading ease of at
least 50; the average is above 65."""
import pytest

from bot import plain_language as pl

TEXTS = pl.all_texts()


def test_texts_are_found():
    names = {name.split()[0] for name, _ in TEXTS}
    assert {"knowledge", "safety"} <= names
    if pl.DOMAIN_FILE.exists():
        assert "domain.yml" in names


@pytest.mark.parametrize("name,text", TEXTS, ids=[name for name, _ in TEXTS])
def test_text_is_plain(name, text):
    assert pl.check_text(name, text) == []


def test_average_reading_ease():
    average = pl.average_reading_ease(TEXTS)
    assert average > pl.MIN_AVERAGE_READING_EASE, average


# -- the checker itself ------------------------------------------------------------------------


def test_a_long_sentence_is_flagged():
    long = "Ik " + "en ik " * 11 + "ga."  # 24 words
    problems = pl.check_text("t", "Dat is kort. " + long)
    assert len(problems) == 1 and "24 words" in problems[0].message


def test_hard_text_is_flagged_and_easy_text_is_not():
    hard = (
        "Vrijetijdsparticipatiebevorderende beleidsinstrumenten veronderstellen "
        "interdepartementale samenwerkingsovereenkomsten."
    )
    assert pl.reading_ease(hard) < pl.MIN_READING_EASE
    assert any("reading ease" in p.message for p in pl.check_text("t", hard))
    assert pl.check_text("t", "Ik ben Klik. Ik help je graag.") == []


def test_template_variables_and_list_marks_are_skipped():
    assert pl.sentences("Hallo {name}! Leuk dat je er bent.") == ["Hallo !", "Leuk dat je er bent."]
    assert pl.sentences("Je krijgt het als je:\n- een leefloon hebt\n- 18 bent") == [
        "Je krijgt het als je:",
        "een leefloon hebt",
        "18 bent",
    ]
    # Web addresses and amounts do not end a sentence.
    assert len(pl.sentences("Chat op zelfmoord1813.be. Het kost €1,50 per dag.")) == 2


def test_domain_file_is_read_and_a_missing_one_gives_nothing(tmp_path):
    domain = tmp_path / "domain.yml"
    domain.write_text(
        'version: "3.1"\nresponses:\n  utter_hi:\n    - text: "Hoi {name}."\n'
        "    - custom: {kind: card}\n  utter_bye:\n    - text: Dag!\n",
        encoding="utf-8",
    )
    assert pl.domain_texts(domain) == [
        ("domain.yml utter_hi", "Hoi {name}."),
        ("domain.yml utter_bye", "Dag!"),
    ]
    assert pl.domain_texts(tmp_path / "missing.yml") == []
