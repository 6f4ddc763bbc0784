"""bot.evaluation: scores on hand-made predictions, the fallback recomputation against Rasa's
own FallbackClassifier, the leak guard, the folds, and one end-to-end run on a tiny model."""
from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest

from bot.evaluation import EvaluationError, crossval, data, fallback, metrics, report
from bot.evaluation.holdout import prediction_rows, summarise
from bot.evaluation.parsing import Parse

FB = "nlu_fallback"


# --- intents ---------------------------------------------------------------------------------


def test_fallback_is_right_only_for_out_of_scope_and_nonsense():
    assert metrics.scored_intent("out_of_scope", FB) == "out_of_scope"
    assert metrics.scored_intent("nonsense", FB) == "nonsense"
    assert metrics.scored_intent("greet", FB) == FB
    assert metrics.scored_intent("greet", "out_of_scope") == "out_of_scope"


def test_intent_scores_by_hand():
    golds = ["greet", "greet", "greet", "search", "search", "out_of_scope", "out_of_scope"]
    preds = ["greet", "greet", FB, "search", "greet", FB, "search"]
    scores = metrics.intent_scores(golds, preds)
    greet, search, oos = (scores.per_intent[k] for k in ("greet", "search", "out_of_scope"))
    # greet: 2 right of 3 gold, 3 predicted (one was search) -> P 2/3, R 2/3
    assert greet["precision"] == pytest.approx(2 / 3) and greet["recall"] == pytest.approx(2 / 3)
    # search: 1 right of 2 gold, 2 predicted (one was out_of_scope) -> P 1/2, R 1/2
    assert search["f1-score"] == pytest.approx(0.5)
    # out_of_scope: the fallback is right, the search answer is not -> P 1, R 1/2
    assert oos["precision"] == 1.0 and oos["recall"] == 0.5
    assert oos["f1-score"] == pytest.approx(2 / 3)
    assert scores.macro_f1 == pytest.approx((2 / 3 + 0.5 + 2 / 3) / 3)
    assert scores.accuracy == pytest.approx(4 / 7)
    assert greet["confused_with"] == {FB: 1}
    assert scores.labels == ("greet", "out_of_scope", "search")


def test_macro_f1_is_over_gold_intents_only():
    # "thank" is predicted but never gold: it lowers greet's recall, it is no class of its own.
    scores = metrics.intent_scores(["greet", "greet"], ["greet", "thank"])
    assert scores.labels == ("greet",)
    assert scores.macro_f1 == pytest.approx(2 / 3)


def test_confusion_has_a_fallback_column_for_in_scope_fallbacks():
    rows, columns, counts = metrics.confusion(["greet", "nonsense", "greet"], ["greet", FB, FB])
    assert rows == ["greet", "nonsense"] and columns == ["greet", "nonsense", FB]
    assert counts == [[1, 0, 1], [0, 1, 0]]


def test_worst_errors_most_confident_first():
    rows = [
        {"text": "a", "gold": "greet", "predicted": "thank", "confidence": 0.7},
        {"text": "b", "gold": "greet", "predicted": "greet", "confidence": 0.99},
        {"text": "c", "gold": "nonsense", "predicted": FB, "confidence": 0.55},
        {"text": "d", "gold": "search", "predicted": "greet", "confidence": 0.95},
        {"text": "e", "gold": "search", "predicted": FB, "confidence": 0.55},
    ]
    assert [r["text"] for r in metrics.worst_errors(rows)] == ["d", "a", "e"]
    assert len(metrics.worst_errors(rows, limit=1)) == 1


# --- entities --------------------------------------------------------------------------------


def ent(entity, start, end, value=None):
    return {"entity": entity, "start": start, "end": end, "value": value}


def test_overlap_rule():
    assert metrics.overlaps(ent("x", 0, 4), ent("x", 2, 8)) == 2
    assert metrics.overlaps(ent("x", 0, 4), ent("x", 4, 8)) == 0  # touching is not overlapping
    gold = [ent("municipality", 11, 23)]
    assert metrics.match_entities(gold, [ent("municipality", 14, 30)], "municipality")
    assert not metrics.match_entities(gold, [ent("age", 11, 23)], "municipality")
    assert not metrics.match_entities(gold, [ent("municipality", 0, 10)], "municipality")


def test_one_prediction_matches_one_gold_span():
    gold = [ent("municipality", 0, 4), ent("municipality", 5, 10)]
    pairs = metrics.match_entities(gold, [ent("municipality", 0, 10)], "municipality")
    assert len(pairs) == 1
    messages = [("gent brugge", gold, [ent("municipality", 0, 10)])]
    score = metrics.entity_scores(messages, "municipality")
    assert (score.gold, score.predicted, score.matched) == (2, 1, 1)
    assert score.precision == 1.0 and score.recall == 0.5 and score.f1 == pytest.approx(2 / 3)


def test_entity_scores_with_values():
    text = "zwemmen in gent of brugge"
    gold = [ent("municipality", 11, 15, "gent"), ent("municipality", 19, 25, "brugge")]
    predicted = [ent("municipality", 11, 15, "44021"), ent("municipality", 19, 25, "99999"),
                 ent("age", 0, 3, 10)]
    values = {"gent": "44021", "brugge": "31005"}
    score = metrics.entity_scores(
        [(text, gold, predicted)], "municipality", lambda t, g: values[t[g["start"]:g["end"]]]
    )
    assert score.f1 == 1.0 and score.value_checked == 2 and score.value_accuracy == 0.5
    empty = metrics.entity_scores([(text, [], [])], "age")
    assert empty.f1 == 0.0 and empty.value_accuracy is None


def test_gold_values_from_the_project_place_lookup():
    text = "iets in Sint Niklaas of 9000"
    assert metrics.municipality_value(text, ent("municipality", 8, 20, "Sint Niklaas")) == "46021"
    assert metrics.municipality_value(text, ent("municipality", 24, 28, "9000")) == "44021"
    assert metrics.municipality_value("xyz", ent("municipality", 0, 3, "xyz")) is None
    assert metrics.municipality_value("gent", ent("municipality", 0, 4, "44021")) == "44021"
    assert metrics.age_value("mijn zoon van 10", ent("age", 14, 16, "10")) == 10
    assert metrics.age_value("75 jaar", ent("age", 0, 7, "75 jaar")) == 75
    assert metrics.age_value("tien", ent("age", 0, 4, "tien")) == 10
    assert metrics.age_value("zes maanden", ent("age", 0, 11, "zes maanden")) is None


# --- fallback --------------------------------------------------------------------------------


def test_decide_follows_rasa_rules():
    ranking = (("greet", 0.6), ("thank", 0.45))
    assert fallback.decide(ranking, 0.55, 0.1) == "greet"
    assert fallback.decide(ranking, 0.65, 0.1) == FB  # below the threshold
    assert fallback.decide(ranking, 0.55, 0.2) == FB  # top two closer than the ambiguity
    assert fallback.decide((("greet", 0.55), ("thank", 0.1)), 0.55, 0.1) == "greet"  # strict <
    # The FallbackClassifier's own entry is removed before deciding again.
    assert fallback.decide(((FB, 0.7),) + ranking, 0.55, 0.1) == "greet"
    # An override after the FallbackClassifier (distress, 1.0) holds at every setting.
    overridden = (("distress", 1.0), (FB, 0.55), ("greet", 0.5), ("thank", 0.45))
    assert fallback.decide(overridden, 0.8, 0.2) == "distress"
    assert fallback.decide((("distress", 1.0), ("greet", 0.9)), 0.8, 0.2) == "distress"


def test_decide_agrees_with_rasas_fallback_classifier():
    """Rasa's own component on the same rankings, over the whole sweep grid."""
    from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
    from rasa.shared.nlu.training_data.message import Message

    rankings = [
        (("greet", 0.9), ("thank", 0.05)),
        (("greet", 0.52), ("thank", 0.41)),
        (("greet", 0.47), ("thank", 0.46)),
        (("greet", 0.71), ("thank", 0.2)),
        (("greet", 0.33), ("thank", 0.1)),
        (("greet", 0.62), ("thank", 0.5)),
    ]
    for threshold in fallback.THRESHOLDS:
        for ambiguity in fallback.AMBIGUITIES:
            component = FallbackClassifier(
                {"threshold": threshold, "ambiguity_threshold": ambiguity}
            )
            for ranking in rankings:
                message = Message(data={"text": "x"})
                message.set("intent", {"name": ranking[0][0], "confidence": ranking[0][1]})
                message.set("intent_ranking", [{"name": n, "confidence": c} for n, c in ranking])
                component.process([message])
                live = message.get("intent")["name"]
                after = tuple((r["name"], r["confidence"]) for r in message.get("intent_ranking"))
                assert fallback.decide(ranking, threshold, ambiguity) == live
                # From the ranking as the model returns it (fallback entry included) too.
                assert fallback.decide(after, threshold, ambiguity) == live


def sweep_fixture():
    golds = ["out_of_scope", "nonsense", "greet", "greet", "search"]
    rankings = [
        (("greet", 0.62), ("search", 0.3)),  # out of scope, fairly sure it is a greeting
        (("search", 0.4), ("greet", 0.35)),
        (("greet", 0.97), ("search", 0.01)),
        (("greet", 0.58), ("search", 0.3)),
        (("search", 0.7), ("greet", 0.25)),
    ]
    return golds, rankings


def test_rates_at_one_pair():
    golds, rankings = sweep_fixture()
    r = fallback.rates(golds, rankings, 0.5, 0.1)
    assert (r.rejects, r.rejects_confident, r.in_scope, r.in_scope_fallback) == (2, 1, 3, 0)
    assert r.confident_share == 0.5 and not r.meets_target
    r = fallback.rates(golds, rankings, 0.6, 0.0)
    assert (r.rejects_confident, r.in_scope_fallback) == (1, 1)
    r = fallback.rates(golds, rankings, 0.65, 0.0)
    assert (r.rejects_confident, r.in_scope_fallback) == (0, 1) and r.meets_target


def test_sweep_and_recommendation():
    golds, rankings = sweep_fixture()
    results = fallback.sweep(golds, rankings)
    assert len(results) == len(fallback.THRESHOLDS) * len(fallback.AMBIGUITIES)
    best = fallback.recommend(results, (0.55, 0.1))
    # 0.65 is the lowest threshold that rejects the 0.62 greeting; it costs the 0.58 greeting.
    # An ambiguity of 0.34 or more would do it without that cost, but the sweep stops at 0.2.
    assert best.meets_target and best.in_scope_fallback == 1
    assert (best.threshold, best.ambiguity) == (0.65, 0.1)  # the tie nearest to (0.55, 0.1)


def test_recommendation_when_no_pair_meets_the_target():
    golds = ["out_of_scope", "greet"]
    rankings = [(("greet", 0.99), ("search", 0.0)), (("greet", 0.99), ("search", 0.0))]
    best = fallback.recommend(fallback.sweep(golds, rankings))
    assert not best.meets_target and best.confident_share == 1.0


def test_selfcheck_finds_an_override_that_breaks_the_rule():
    rankings = [(("greet", 0.9), ("thank", 0.05)), (("other_language", 0.8), ("greet", 0.75))]
    assert fallback.selfcheck(["greet", "other_language"], rankings, 0.55, 0.1) == [1]
    assert fallback.thresholds_of(None) == (0.0, 0.0)
    assert fallback.thresholds_of({"threshold": 0.6}) == (0.6, 0.1)


# --- the leak guard --------------------------------------------------------------------------


def write_nlu(path: Path, intents: dict[str, list[str]]) -> Path:
    lines = ['version: "3.1"', "nlu:"]
    for intent, examples in intents.items():
        lines += [f"  - intent: {intent}", "    examples: |"]
        lines += [f"      - {e}" for e in examples]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_normalise():
    assert data.normalise("  Is da GRATIS?!  ") == "is da gratis"
    assert data.normalise("k'zoek... iets, in   Gent") == "kzoek iets in gent"
    assert data.normalise("café") != data.normalise("cafe")  # accents are kept


def test_guard_fails_loudly_on_a_held_out_message_in_training(tmp_path):
    write_nlu(tmp_path / "train" / "a.yml", {"greet": ["hallo", "goeiedag"]})
    write_nlu(tmp_path / "train" / "b.yml", {"search_activity": ["Is da gratis?"]})
    write_nlu(tmp_path / "holdout" / "h.yml", {"search_activity": ["is da GRATIS", "kzoek iets"]})
    (tmp_path / "holdout" / "README.md").write_text("not data\n")
    training = data.load_examples(tmp_path / "train")
    holdout = data.load_examples(tmp_path / "holdout")
    assert len(training) == 3 and len(holdout) == 2
    with pytest.raises(EvaluationError, match="1 held-out message") as caught:
        data.check_no_leak(holdout, training)
    assert "is da GRATIS" in str(caught.value) and "b.yml" in str(caught.value)
    data.check_no_leak(holdout[1:], training)  # no error


def test_guard_compares_punctuation_only_messages_as_written():
    training = [data.Example("???", "nonsense")]
    assert data.leaked([data.Example("?!?!", "nonsense")], training) == []
    assert len(data.leaked([data.Example(" ??? ", "nonsense")], training)) == 1


def test_holdout_entities_and_conflicts(tmp_path):
    write_nlu(tmp_path / "h.yml", {
        "search_activity": ["wa kan mijn zoon van [10](age) doen in [gent](municipality)"],
        "greet": ["hallo!"],
        "thank": ["Hallo"],
    })
    examples = data.load_examples(tmp_path)
    first = examples[0]
    assert first.text == "wa kan mijn zoon van 10 doen in gent"
    assert first.entities == (
        {"entity": "age", "start": 21, "end": 23, "value": "10"},
        {"entity": "municipality", "start": 32, "end": 36, "value": "gent"},
    )
    assert data.conflicting_labels(examples) == {"hallo": {"greet", "thank"}}
    with pytest.raises(EvaluationError):
        data.load_examples(tmp_path / "missing")


# --- cross-validation ------------------------------------------------------------------------


def test_folds_are_stratified_and_test_each_example_once():
    intents = ["a"] * 10 + ["b"] * 15 + ["c"] * 5
    splits = crossval.folds(intents, 5)
    tested = sorted(i for _, test in splits for i in test)
    assert tested == list(range(30))
    for train, test in splits:
        assert not set(train) & set(test) and len(train) + len(test) == 30
        assert sorted(intents[i] for i in test) == ["a", "a", "b", "b", "b", "c"]
    assert crossval.folds(intents, 5) == splits  # seeded


def test_cross_validation_without_training(tmp_path, monkeypatch):
    """Folds, fold files and aggregation, with a stand-in model that is wrong on purpose."""
    nlu = write_nlu(tmp_path / "nlu" / "nlu.yml", {
        "greet": [f"hallo {i}" for i in range(6)],
        "out_of_scope": [f"het weer {i}" for i in range(6)],
    })
    trained = []

    def fake_train(config, fold_nlu, out_dir, name, cache=True):
        assert not cache
        texts = {e.text for e in data.load_examples(fold_nlu)}
        trained.append(texts)
        return Path(out_dir) / f"{name}.tar.gz"

    class FakeModel:
        def __init__(self, path):
            self.texts = trained[-1]

        def component_config(self, name):
            return {"threshold": 0.5, "ambiguity_threshold": 0.1}

        def parse_all(self, texts, progress=None):
            assert not set(texts) & self.texts  # never tested on what it trained on
            # "hallo 0" falls back (wrong), "het weer 0" gets a confident greeting (wrong).
            rows = []
            for t in texts:
                top = "out_of_scope" if t.startswith("het") else "greet"
                if t == "het weer 0":
                    top = "greet"
                ranking = ((top, 0.9), ("x", 0.05)) if t != "hallo 0" else ((FB, 0.5), (top, 0.4))
                rows.append(Parse(t, ranking[0][0], ranking[0][1], ranking, ()))
            return rows

    monkeypatch.setattr(crossval, "train_nlu_model", fake_train)
    monkeypatch.setattr(crossval, "Model", FakeModel)
    result = crossval.run("config.yml", nlu.parent, k=3, thresholds=(0.35, 0.1))
    assert len(trained) == 3 and all(len(t) == 8 for t in trained)
    assert [f["test"] for f in result["folds"]] == [4, 4, 4]
    f1s = [f["macro_f1"] for f in result["folds"]]
    assert result["macro_f1_mean"] == pytest.approx(statistics.fmean(f1s))
    assert result["macro_f1_std"] == pytest.approx(statistics.pstdev(f1s))
    assert result["pooled"]["greet"]["recall"] == pytest.approx(5 / 6)
    configured = result["fallback"]["configured"]
    assert (configured["rejects_confident"], configured["in_scope_fallback"]) == (1, 1)
    # At threshold 0.35 "hallo 0" (0.4 for greet under the fallback entry) no longer falls back.
    assert result["fallback"]["recommended"]["in_scope_fallback"] == 0
    files = report.write_cv(tmp_path / "out", result)
    assert "± " in (tmp_path / "out" / "README.md").read_text()
    assert all(f.exists() for f in files)


# --- reports from hand-made parses -----------------------------------------------------------


def test_summary_and_report_files(tmp_path):
    holdout = [
        data.Example("zwemmen in gent", "search", ({"entity": "municipality", "start": 11,
                                                    "end": 15, "value": "gent"},)),
        data.Example("hallo | daar", "greet"),
        data.Example("wat is het weer", "out_of_scope"),
        data.Example("qsdf", "nonsense"),
    ]
    parses = [
        Parse("zwemmen in gent", "search", 0.9, (("search", 0.9), ("greet", 0.05)),
              ({"entity": "municipality", "start": 11, "end": 15, "value": "44021"},)),
        Parse("hallo | daar", FB, 0.55, ((FB, 0.55), ("greet", 0.5), ("search", 0.45)), ()),
        Parse("wat is het weer", "search", 0.8, (("search", 0.8), ("greet", 0.1)), ()),
        Parse("qsdf", FB, 0.55, ((FB, 0.55), ("greet", 0.3)), ()),
    ]
    summary = summarise(holdout, parses, (0.55, 0.1))
    assert summary["intents"]["macro_f1"] == pytest.approx((2 / 3 + 0 + 0 + 1) / 4)
    assert summary["entities"]["municipality"]["f1"] == 1.0
    assert summary["entities"]["municipality"]["value_accuracy"] == 1.0
    assert summary["fallback"]["configured"]["rejects_confident"] == 1
    assert summary["fallback"]["selfcheck_mismatches"] == []
    assert [e["text"] for e in summary["errors"]] == ["wat is het weer", "hallo | daar"]
    assert summary["errors"][1]["classifier_top"] == ["greet", 0.5]
    assert summary["targets"] == {
        "macro_f1": False, "municipality_f1": True, "out_of_scope_confident": False
    }
    summary["model"] = {"path": "m.tar.gz", "sha256": "abc", "model_id": "id"}
    summary["data"] = {"training_sha256": "t", "holdout_sha256": "h"}
    summary["counts"].update(training_examples=10, training_intents=4)
    files = report.write_holdout(tmp_path, summary, prediction_rows(holdout, parses))
    assert {f.name for f in files} == {
        "README.md", "intent_report.json", "errors.md", "fallback.md", "confusion_matrix.png"
    }
    readme = (tmp_path / "README.md").read_text()
    assert "| Intent macro F1 | **0.417** | ≥ 0.92 | **NO** |" in readme
    assert "Not run yet" in readme
    assert "hallo \\| daar" in (tmp_path / "errors.md").read_text()
    assert (tmp_path / "confusion_matrix.png").read_bytes()[:4] == b"\x89PNG"
    assert json.loads((tmp_path / "intent_report.json").read_text())["greet"]["recall"] == 0.0
    assert len((tmp_path / "predictions.jsonl").read_text().splitlines()) == 4


# --- end to end: a tiny model ----------------------------------------------------------------

TINY_CONFIG = """\
recipe: default.v1
language: nl
assistant_id: klik-eval-test
pipeline:
  - name: SpacyNLP
    model: {spacy}
    case_sensitive: false
  - name: SpacyTokenizer
  - name: bot.nlp.rasa_component.MunicipalityEntityExtractor
  - name: bot.nlp.intent_classifier.KlikIntentClassifier
  - name: FallbackClassifier
    threshold: 0.55
    ambiguity_threshold: 0.1
  - name: bot.nlp.safety_override.DistressOverride
"""

TINY_TRAINING = {
    "greet": ["hallo", "hoi", "goeiedag", "dag klik", "hey daar", "goeiemorgen", "hallo klik"],
    "search_activity": [
        "ik zoek iets om te doen", "kzoek een activiteit", "wat kan ik doen in Gent",
        "iets voor kinderen in Antwerpen", "is er theater in Brugge", "ik wil sporten",
        "zwemmen in Leuven",
    ],
    "out_of_scope": [
        "wat is het weer morgen", "hoeveel kost een brood", "wie wint de match",
        "wat is de hoofdstad van frankrijk", "hoe laat is het", "vul mijn belastingbrief in",
        "wat is de beste auto",
    ],
}

TINY_HOLDOUT = {
    "greet": ["hallo daar", "goeiendag allemaal", "hey hey"],
    "search_activity": [
        "kzoek iets te doen in [gent](municipality)",
        "activiteit voor mijn zoon van [10](age) in [Sint-Niklaas](municipality)",
        "theater in [Brugge](municipality)",
    ],
    "out_of_scope": ["wat voor weer wordt het", "wie is de burgemeester van frankrijk"],
}


@pytest.mark.slow
def test_end_to_end_on_a_tiny_model(tmp_path, monkeypatch):
    from bot.evaluation import __main__ as cli
    from bot.nlp import PIPELINE_DIR
    from bot.nlp.build import build

    spacy_dir = PIPELINE_DIR if (PIPELINE_DIR / "meta.json").exists() else build(tmp_path / "nl")
    config = tmp_path / "config.yml"
    config.write_text(TINY_CONFIG.format(spacy=spacy_dir), encoding="utf-8")
    write_nlu(tmp_path / "nlu" / "nlu.yml", TINY_TRAINING)
    write_nlu(tmp_path / "holdout" / "holdout.yml", TINY_HOLDOUT)
    monkeypatch.setenv("RASA_MAX_CACHE_SIZE", "0")  # keep out of the project's .rasa/cache
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    monkeypatch.setattr("bot.evaluation.parsing.quiet_rasa", lambda: None)
    out, model = tmp_path / "reports", tmp_path / "eval" / "nlu.tar.gz"
    common = ["--config", str(config), "--nlu", str(tmp_path / "nlu"),
              "--holdout", str(tmp_path / "holdout"), "--model", str(model), "--out", str(out)]

    assert cli.main(["train", *common]) == 0
    assert model.exists()
    assert cli.main(["holdout", *common]) == 0

    summary = json.loads((out / "summary.json").read_text())
    assert summary["counts"]["holdout_messages"] == 8
    assert summary["model"]["sha256"] and summary["fallback"]["configured"]["threshold"] == 0.55
    assert summary["fallback"]["selfcheck_mismatches"] == []
    municipality = summary["entities"]["municipality"]
    assert (municipality["gold"], municipality["matched"], municipality["value_right"]) == (3, 3, 3)
    assert summary["entities"]["age"]["gold"] == 1  # no age extractor in this pipeline
    assert 0.0 <= summary["intents"]["macro_f1"] <= 1.0
    for name in ("README.md", "intent_report.json", "errors.md", "fallback.md",
                 "confusion_matrix.png", "predictions.jsonl"):
        assert (out / name).exists(), name
    assert "Municipality entity F1" in (out / "README.md").read_text()

    # A leak stops the evaluation before anything is parsed.
    write_nlu(tmp_path / "holdout" / "leak.yml", {"greet": ["Hallo!"]})
    assert cli.main(["holdout", *common]) == 2
