from bot.web.rasa_client import worker_order


def test_a_sender_always_goes_to_the_same_worker_first():
    workers = ["http://a", "http://b", "http://c"]
    first = worker_order("0b6c1f5e-9a51-4d5e-8f0e-3f1c2a7d9b10", workers)
    assert first == worker_order("0b6c1f5e-9a51-4d5e-8f0e-3f1c2a7d9b10", workers)
    assert sorted(first) == sorted(workers)  # every worker is a fallback


def test_senders_spread_over_workers():
    workers = ["http://a", "http://b"]
    firsts = {worker_order(f"{i:08d}-0000-4000-8000-000000000000", workers)[0] for i in range(50)}
    assert firsts == set(workers)
