"""Klik's intent classifier: its features (bot/nlp/intent_features.py), the model
(bot/nlp/intent_model.py) and how it is stored. The Rasa component runs end to end in
tests/test_evaluation.py (a tiny model) and in every conversation test (the real model)."""
from __future__ import annotations

import pytest
import spacy

import bot.nlp.municipalities  # noqa: F401  (registers the pipeline's own spaCy component)
from bot.nlp import PIPELINE_DIR
from bot.nlp.intent_features import (
    NO_ENTITY,
    Lexicon,
    TrainingVocabulary,
    entity_tags,
    plain_text,
    word_shape,
)
from bot.nlp.intent_model import Features, IntentModel


@pytest.fixture(scope="module")
def lexicon():
    return Lexicon.from_spacy(spacy.load(PIPELINE_DIR))


def test_plain_text_drops_case_and_accents():
    assert plain_text("Ça COÛTE café?") == "ca coute cafe?"


def test_entity_tags_name_each_kind_once_and_ignore_others():
    assert entity_tags(["municipality", "age", "municipality", "language"]) == (
        "ent_age ent_municipality"
    )
    assert entity_tags([]) == NO_ENTITY


def test_numbers_and_reference_codes_are_signals_of_their_own():
    assert entity_tags([], "twaalf") == "sig_number"
    assert entity_tags(["age"], "mijn zoon is 10") == "ent_age sig_number"
    assert entity_tags([], "wat is er met k7q4 m2xf") == "sig_code"
    # "een" is an article far more often than a count; words are not numbers.
    assert entity_tags([], "ik zoek een club") == NO_ENTITY
    assert entity_tags([], "deze zaak is dicht") == NO_ENTITY
    # No age is that large: typed noise, not an answer to "Hoe oud?".
    assert entity_tags([], "111111") == NO_ENTITY


def test_the_lexicon_knows_inflected_forms_and_lemmas(lexicon):
    for word in ("ging", "gaan", "zwemmen", "museum", "Kinderen"):
        assert lexicon(word), word
    for noise in ("qsdfml", "xkcdq", "zzzrp"):
        assert not lexicon(noise), noise


def test_word_shape_tells_dutch_from_keyboard_noise(lexicon):
    dutch = word_shape("ik wil graag zwemmen met de kinderen", lexicon)
    noise = word_shape("qsdfml zzzrp xkcdq", lexicon)
    assert dutch[0] >= 0.8 and noise[0] == 0.0  # the lookup table lacks a few function words
    assert word_shape("???", lexicon) == [0.0, 1.0, 0.0]
    assert word_shape("12 13", lexicon)[0] == 1.0  # numbers count as known


TRAIN = {
    "greet": ["hallo", "hoi", "goeiedag", "dag klik", "hey daar"],
    "inform": ["Gent", "in Brugge", "Antwerpen", "voor Leuven", "Genk"],
    "nonsense": ["qsdf", "azerty uiop", "jjjjjj", "xcvb nnn", "hhhhh"],
}


def _features(text: str, tags: str = NO_ENTITY) -> Features:
    return Features(text=text, tags=tags, shape=[1.0, 0.0, 0.1])


def _model() -> IntentModel:
    examples, intents = [], []
    for intent, texts in TRAIN.items():
        for text in texts:
            examples.append(_features(text, "ent_municipality" if intent == "inform" else NO_ENTITY))
            intents.append(intent)
    return IntentModel().fit(examples, intents)


def test_an_unseen_town_counts_as_a_town_through_its_entity_kind():
    ranking = _model().rank([_features("Zonhoven", "ent_municipality")])[0]
    assert ranking[0][0] == "inform"
    assert abs(sum(p for _, p in ranking) - 1.0) < 1e-6
    assert [p for _, p in ranking] == sorted((p for _, p in ranking), reverse=True)


def test_rank_gives_the_top_n_and_nothing_for_no_messages():
    model = _model()
    assert len(model.rank([_features("hallo")], top=2)[0]) == 2
    assert model.rank([]) == []


def test_one_intent_is_not_enough_to_train():
    with pytest.raises(ValueError):
        IntentModel().fit([_features("hallo"), _features("hoi")], ["greet", "greet"])


def test_a_saved_model_loads_and_ranks_the_same(tmp_path):
    model = _model()
    path = tmp_path / "intent_model.skops"
    model.save(path)
    again = IntentModel.load(path)
    probe = [_features("goeiedag"), _features("Zonhoven", "ent_municipality")]
    assert again.rank(probe) == model.rank(probe)
    assert again.config == model.config


def test_a_file_with_unexpected_types_is_refused(tmp_path):
    import collections

    import skops.io as sio

    path = tmp_path / "intent_model.skops"
    sio.dump({"config": {}, "odd": collections.OrderedDict(a=1)}, path)
    with pytest.raises(ValueError, match="unexpected types"):
        IntentModel.load(path)


def test_probabilities_are_sklearns_own():
    model = _model()
    probe = [_features("goeiedag"), _features("Zonhoven", "ent_municipality"), _features("qsdf")]
    matrix = model._matrix(probe, model._unknown(probe), fit=False)
    assert abs(model._probabilities(matrix) - model.classifier.predict_proba(matrix)).max() < 1e-9


def test_two_intents_rank_as_sklearn_does():
    model = IntentModel().fit(
        [_features(t) for t in TRAIN["greet"] + TRAIN["nonsense"]],
        ["greet"] * 5 + ["nonsense"] * 5,
    )
    ranking = model.rank([_features("hallo")])[0]
    assert ranking[0][0] == "greet" and abs(sum(p for _, p in ranking) - 1.0) < 1e-9


def test_the_component_gives_every_message_an_intent_also_without_text():
    """An empty or blank message, or an untrained model: intent None at 0, which the
    FallbackClassifier after it turns into "not understood" instead of a crash."""
    from rasa.nlu.utils.spacy_utils import SpacyModel
    from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlp.intent_classifier import KlikIntentClassifier

    nlp = SpacyModel(model=spacy.load(PIPELINE_DIR), model_name="nl_klik")
    trained = KlikIntentClassifier({}, None, None, _model())
    messages = [Message({TEXT: "   "}), Message({TEXT: ""}), Message({TEXT: "hallo"})]
    trained.process(messages, nlp)
    assert [m.get(INTENT)["name"] for m in messages] == [None, None, "greet"]
    assert messages[0].get(INTENT_RANKING_KEY) == [] and messages[2].get(INTENT_RANKING_KEY)

    untrained = KlikIntentClassifier({}, None, None, None)
    message = Message({TEXT: "hallo"})
    untrained.process([message], nlp)
    assert message.get(INTENT) == {"name": None, "confidence": 0.0}


def test_the_training_vocabulary_tells_unseen_words_and_words_only_out_of_scope_uses():
    vocabulary = TrainingVocabulary.of(
        ["ik wil zwemmen", "mijn laptop is kapot", "qsdfml"],
        ["search_activity", "out_of_scope", "nonsense"],
    )
    # "wil" and "zwemmen" are known in scope; "laptop" only from an out-of-scope example.
    assert vocabulary.unknown_shares("Zwemmen wil ik") == [0.0, 0.0]
    assert vocabulary.unknown_shares("laptop zwemmen") == [0.0, 0.5]
    assert vocabulary.unknown_shares("belastingbrief invullen") == [1.0, 1.0]
    # Short words and numbers are not counted ("k", "da", "12"); no word at all is no signal.
    assert vocabulary.unknown_shares("k da 12 zwemmen") == [0.0, 0.0]
    assert vocabulary.unknown_shares("12 ?") == [0.0, 0.0]


def test_training_examples_get_their_unknown_shares_from_the_other_folds():
    """Against its own vocabulary every training word is known; out of fold, a word only one
    example has is unknown, so the model learns what unseen words mean."""
    model = _model()
    examples = [_features(t) for texts in TRAIN.values() for t in texts]
    intents = [i for i, texts in TRAIN.items() for _ in texts]
    out_of_fold = model._unknown_out_of_fold(examples, intents)
    assert model._unknown(examples)[:, 0].max() == 0.0
    assert out_of_fold[:, 0].max() == 1.0  # e.g. "goeiedag" is in no other example


def test_out_of_scope_and_nonsense_weigh_double_the_balanced_weight():
    model = IntentModel(reject_weight=2.0)
    weights = model._class_weights(["greet"] * 4 + ["out_of_scope"] * 4 + ["nonsense"] * 2)
    # balanced: 10 / (3 * count)
    assert weights["greet"] == pytest.approx(10 / 12)
    assert weights["out_of_scope"] == pytest.approx(2 * 10 / 12)
    assert weights["nonsense"] == pytest.approx(2 * 10 / 6)


def test_the_saved_model_keeps_its_vocabulary(tmp_path):
    model = _model()
    model.save(tmp_path / "m.skops")
    again = IntentModel.load(tmp_path / "m.skops")
    assert again.vocabulary.words == model.vocabulary.words
    assert again.vocabulary.in_scope_words == model.vocabulary.in_scope_words
    assert "qsdf" in again.vocabulary.words and "qsdf" not in again.vocabulary.in_scope_words


def test_a_model_saved_before_the_vocabulary_existed_asks_for_retraining(tmp_path):
    import skops.io as sio

    model = _model()
    path = tmp_path / "old.skops"
    sio.dump({"config": model.config, "words": model.words, "chars": model.chars,
              "tags": model.tags, "classifier": model.classifier}, path)
    with pytest.raises(ValueError, match="retrain"):
        IntentModel.load(path)


def test_a_change_to_the_features_code_or_the_patterns_retrains_the_classifier(
    tmp_path, monkeypatch
):
    """Rasa's training cache keys the component on its own source, config and data only;
    the fingerprint add-on covers the feature code and the spaCy pipeline's patterns."""
    import shutil

    import bot.nlp.intent_classifier as component

    assert component.KlikIntentClassifier.fingerprint_addon({}) == component.code_fingerprint()
    pipeline = tmp_path / "nl_klik"
    shutil.copytree(PIPELINE_DIR, pipeline)
    monkeypatch.setattr(component, "PIPELINE_DIR", pipeline)
    before = component.code_fingerprint()
    assert component.code_fingerprint() == before
    with open(pipeline / "municipality_ruler" / "patterns.jsonl", "a") as patterns:
        patterns.write('{"label": "municipality", "pattern": "nieuwdorp", "id": "99999"}\n')
    assert component.code_fingerprint() != before
