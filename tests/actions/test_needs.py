"""The consent flow's actions, on a real database."""
import pytest
from sqlalchemy import create_engine, text

from actions.needs import ActionAskNeedConsent, ActionNeedStatus, ActionStoreNeed
from bot.chat.needs import draft_need
from bot.db import migrate
from tests.actions.conftest import make_tracker


@pytest.fixture
def db(klik_env):
    migrate.upgrade()


def test_a_bare_announcement_is_not_a_need_yet():
    assert draft_need("report_need", "ik wil iets melden", {}) is None
    assert draft_need("report_need", "ik heb een idee: een repair café", {}).kind == "idee"
    assert draft_need("report_need", "er is niks voor jongeren in ons dorp", {}).kind == "nood"


def test_a_yes_after_a_failed_save_asks_again_for_the_same_need():
    slots = {"need_text": "geen zwembad in ons dorp", "need_kind": "nood"}
    draft = draft_need("affirm", "ja", slots)
    assert (draft.kind, draft.text) == ("nood", "geen zwembad in ons dorp")
    assert draft_need("affirm", "ja", {}) is None


def test_after_an_unanswered_question_or_an_empty_search():
    assert draft_need("note_need", "", {"unanswered_question": "waar kan ik schaken"}).kind == "vraag_zonder_antwoord"
    draft = draft_need("note_need", "", {"search_text": "zwemles voor vrouwen in Turnhout"})
    assert draft.kind == "nood" and "Turnhout" in draft.text


async def test_consent_is_asked_before_anything_is_stored(dispatcher, domain, db, klik_env):
    tracker = make_tracker("er is niks te doen voor jongeren in mijn dorp", "report_need")
    events = await ActionAskNeedConsent().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_ask_need_consent"
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/affirm", "/deny"]
    assert any(e["name"] == "need_text" for e in events)
    engine = create_engine(f"sqlite:///{klik_env / 'klik.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM need")).scalar() == 0


async def test_store_gives_a_code_the_status_action_finds(dispatcher, domain, db):
    slots = {"need_text": "zwemles voor vrouwen in Turnhout, bel 0470 12 34 56", "need_kind": "nood",
             "municipality": "13040", "category": "zwemmen"}
    await ActionStoreNeed().run(dispatcher, make_tracker("/affirm", "affirm", slots=slots), domain)
    saved = dispatcher.messages[0]
    assert saved["response"] == "utter_need_saved"
    status = type(dispatcher)()
    await ActionNeedStatus().run(status, make_tracker(f"wat is er met {saved['code']}", "ask_need_status"), domain)
    assert saved["code"] in status.messages[0]["text"]


async def test_store_says_so_when_the_database_is_down(dispatcher, domain, monkeypatch):
    monkeypatch.setenv("KLIK_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    slots = {"need_text": "een speelplein in de wijk", "need_kind": "idee"}
    await ActionStoreNeed().run(dispatcher, make_tracker("/affirm", "affirm", slots=slots), domain)
    assert dispatcher.messages[0]["response"] == "utter_need_not_saved"
