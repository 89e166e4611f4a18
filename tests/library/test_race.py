"""20 processes race to check out 5 free slots: exactly 5 win, 15 exit 2 with "no free slot"."""

import json
import subprocess
import sys
from collections import Counter

from taskgraph_staging.interfaces.library import Registry
from taskgraph_staging.interfaces.library.slots import parse_slot

RACERS, SLOTS = 20, 5


def test_twenty_processes_race_for_five_slots(registry_url, slot_dict):
    names = [f"race-{i}" for i in range(SLOTS)]
    Registry(registry_url).add([parse_slot(slot_dict(name)) for name in names])
    command = [sys.executable, "-m", "taskgraph_staging", "library", "checkout", "--json", "--registry", registry_url]
    racers = [
        subprocess.Popen(
            [*command, "--owner", f"racer{i}@example.com", "--product", "firefox", "--purpose", "race", "--days", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(RACERS)
    ]
    outcomes = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in racers]
    for p in racers:
        p.stdout.close()
        p.stderr.close()

    assert Counter(code for code, _, _ in outcomes) == {0: SLOTS, 2: RACERS - SLOTS}, outcomes
    won = [json.loads(out) for code, out, _ in outcomes if code == 0]
    assert sorted(w["slot"] for w in won) == names
    for code, out, err in outcomes:
        if code == 2:
            assert out == ""
            assert err.startswith("taskgraph-staging library: error: library checkout: no free slot:"), err
            assert err.count("\n") == 1
    records = Registry(registry_url).slots()
    assert sorted((r.slot.id, r.state, r.reservation.id) for r in records) == sorted(
        (w["slot"], "out", w["id"]) for w in won
    )
