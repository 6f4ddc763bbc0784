"""bot.rasa_worker: Rasa's check of action server answers, with the validator built once."""
import pytest
from jsonschema import ValidationError

import bot.rasa_worker  # noqa: F401  (patches RemoteAction)
from rasa.core.actions.action import RemoteAction


def _action() -> RemoteAction:
    return RemoteAction("action_greet", None)


def test_a_valid_answer_passes():
    answer = {"events": [{"event": "slot", "name": "municipality", "value": "44021"}],
              "responses": [{"text": "Hallo!", "buttons": [{"title": "Ja", "payload": "/affirm"}]}]}
    assert _action()._validate_action_result(answer) is True


@pytest.mark.parametrize("answer", [
    {"events": "not a list"},
    {"events": [{"no_event_key": 1}]},
    {"responses": [{"text": "x"}], "events": [{"event": 5}]},
])
def test_an_invalid_answer_is_refused_with_rasas_message(answer):
    with pytest.raises(ValidationError) as err:
        _action()._validate_action_result(answer)
    assert "Failed to validate Action server response" in err.value.message


def test_the_patch_is_the_one_rasa_calls():
    assert RemoteAction._validate_action_result is bot.rasa_worker._validate_action_result


def test_a_sqlite_tracker_store_gets_a_pool_and_wal(tmp_path):
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from sqlalchemy.pool import QueuePool

    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    assert isinstance(store.engine.pool, QueuePool)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_postgresql_keeps_rasas_own_engine_settings():
    from rasa.core.tracker_store import create_engine_kwargs

    kwargs = create_engine_kwargs("postgresql://klik@db.example/tracker")
    assert "poolclass" not in kwargs and "pool_size" in kwargs


async def test_action_calls_share_one_connection(aiohttp_server):
    """Rasa's EndpointConfig.request, patched: two calls, one TCP connection, session open."""
    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    peers = []

    async def webhook(request):
        peers.append(request.transport.get_extra_info("peername"))  # new connection, new port
        return web.json_response({"events": [], "responses": []})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    server = await aiohttp_server(app)
    endpoint = EndpointConfig(url=str(server.make_url("/webhook")))
    first = await endpoint.request(json={"next_action": "action_greet"})
    second = await endpoint.request(json={"next_action": "action_greet"})
    assert first == second == {"events": [], "responses": []}
    assert len(peers) == 2 and peers[0] == peers[1]
    async with endpoint.session() as session:
        assert not session.closed
    await bot.rasa_worker.close_sessions()
    assert session.closed


def test_rasa_closes_the_pooled_sessions_when_it_stops():
    import rasa.core.run

    assert rasa.core.run.close_resources is bot.rasa_worker._close_resources
