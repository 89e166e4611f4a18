"""Simultaneous returns and renews of one reservation: one return wins, a renew never outlives it;
and on SQLite a read does not wait behind an open write transaction."""

import sqlite3
import threading

import pytest

from taskgraph_staging.interfaces.library import Registry
from taskgraph_staging.interfaces.library.errors import ReservationEnded
from taskgraph_staging.interfaces.library.slots import parse_slot

WORKERS = 10


def _race(calls):
    """Run every call at once (behind a barrier); ``[("ok", value) | ("ended", message)]``."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            outcomes[i] = ("ok", call())
        except ReservationEnded as e:
            outcomes[i] = ("ended", e.one_line())

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert all(o is not None for o in outcomes), outcomes
    return outcomes


def _checked_out(url, slot_dict):
    registry = Registry(url)
    registry.add([parse_slot(slot_dict("race-one"))])
    return registry, registry.checkout("a@example.com", "firefox", "race", 1)


@pytest.mark.parametrize("round_", range(3))
def test_simultaneous_returns_have_one_winner(registry_url, slot_dict, round_):
    registry, reservation = _checked_out(registry_url, slot_dict)
    outcomes = _race([lambda: Registry(registry_url).return_(reservation.id)] * WORKERS)
    assert [kind for kind, _ in outcomes].count("ok") == 1, outcomes
    for kind, message in outcomes:
        if kind == "ended":
            assert f"reservation {reservation.id} has already returned" in message
    assert registry.slot("race-one").state == "free"


def test_renews_and_returns_mixed_never_renew_a_returned_reservation(registry_url, slot_dict):
    registry, reservation = _checked_out(registry_url, slot_dict)
    calls = [(lambda: Registry(registry_url).return_(reservation.id)) if i % 2 else
             (lambda: Registry(registry_url).renew(reservation.id, 2)) for i in range(WORKERS)]
    outcomes = _race(calls)
    returns = [outcomes[i] for i in range(WORKERS) if i % 2]
    assert [kind for kind, _ in returns].count("ok") == 1, outcomes
    final = registry.reservation(reservation.id)
    assert final.end_reason == "returned"
    # Every renew that succeeded committed before the return: it saw an active reservation.
    for i in range(0, WORKERS, 2):
        kind, value = outcomes[i]
        if kind == "ok":
            assert value.ended_at is None
    with pytest.raises(ReservationEnded, match="has returned; check out a slot again"):
        registry.renew(reservation.id, 1)


def test_renew_without_days_never_shortens(sqlite_registry, slot_dict):
    registry = Registry(sqlite_registry)
    registry.add([parse_slot(slot_dict("long-one"))])
    reservation = registry.checkout("a@example.com", "firefox", "long", 5)
    assert registry.renew(reservation.id).expires_at == reservation.expires_at
    assert registry.renew(reservation.id, 1).expires_at < reservation.expires_at  # --days given: as asked
    renewed = registry.renew(reservation.id)  # 1 day left: the default moves it to 3 days from now
    assert 2.9 * 86400 < renewed.expires_at - renewed.created_at < 3.1 * 86400


def test_sqlite_list_does_not_wait_behind_a_write_transaction(sqlite_registry, slot_dict):
    registry = Registry(sqlite_registry)
    registry.add([parse_slot(slot_dict("busy-one"))])
    writer = sqlite3.connect(sqlite_registry, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE library_slots SET added_at = added_at + 1")
    done = []
    reader = threading.Thread(target=lambda: done.append([r.slot.id for r in Registry(sqlite_registry).slots()]))
    try:
        reader.start()
        reader.join(timeout=10)
        assert done == [["busy-one"]], "library list waited behind an open write transaction"
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        reader.join()
