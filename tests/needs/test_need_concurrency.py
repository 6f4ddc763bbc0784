"""1,000 needs written from 20 concurrent conversations, each with its own session:
1,000 rows, 1,000 distinct codes, every one committed with its history row."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from bot.db import session_factory, session_scope
from bot.needs import record_need
from bot.needs.model import Need, NeedStatusChange

THREADS = 20
PER_THREAD = 50


def test_thousand_needs_from_twenty_threads(db_url):
    def conversation(n: int) -> list[str]:
        session = session_factory(db_url)()  # one session per conversation
        try:
            return [
                record_need(
                    session,
                    kind="idee",
                    source="inwoner",
                    text=f"Idee {i} uit gesprek {n}: bel 0470 12 34 {n:02d}",
                    sender_id=f"sender-{n}",
                ).code
                for i in range(PER_THREAD)
            ]
        finally:
            session.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        returned = [code for codes in pool.map(conversation, range(THREADS)) for code in codes]

    assert len(returned) == THREADS * PER_THREAD
    assert len(set(returned)) == THREADS * PER_THREAD
    with session_scope(db_url) as session:
        assert session.execute(select(func.count()).select_from(Need)).scalar_one() == 1000
        stored = set(session.execute(select(Need.code)).scalars())
        assert stored == set(returned)
        assert session.execute(
            select(func.count()).select_from(NeedStatusChange)
        ).scalar_one() == 1000
        per_sender = session.execute(
            select(Need.sender_id, func.count()).group_by(Need.sender_id)
        ).all()
        assert sorted(n for _, n in per_sender) == [PER_THREAD] * THREADS
        assert session.execute(
            select(func.count()).select_from(Need).where(Need.text.contains("0470"))
        ).scalar_one() == 0


def test_concurrent_collisions_are_retried(db_url):
    # Every first attempt in every thread offers the same code: one wins, the rest collide on
    # the unique constraint and must retry with a fresh code.
    from bot.needs.codes import new_code

    hot = "K7Q4M2XF"

    def conversation(n: int) -> list[str]:
        session = session_factory(db_url)()
        try:
            codes = []
            for i in range(10):
                offered = iter([hot])
                codes.append(record_need(
                    session, kind="nood", source="inwoner", text=f"nood {n}/{i}",
                    code_factory=lambda: next(offered, None) or new_code(),
                ).code)
            return codes
        finally:
            session.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        returned = [code for codes in pool.map(conversation, range(THREADS)) for code in codes]

    assert len(set(returned)) == THREADS * 10
    assert returned.count(hot) == 1
    with session_scope(db_url) as session:
        assert session.execute(select(func.count()).select_from(Need)).scalar_one() == 200
