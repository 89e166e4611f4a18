"""Every selected scriptworker task is accepted and completed by its real worker.

A task the worker refuses, or that fails on it, fails here with the worker's own
message (never a skip, never an xfail). The honest exceptions pass only when what
``taskgraph-staging explain`` (or the task's own page) tells a release engineer names
them: a worker retired upstream (the page), a worker whose code is not in
shared/upstream (iscript: the explain row), and a task that the worker accepted and ran
to one of ``harness.LIMITS``, a step nobody can take on this machine (the explain row
names it). See conftest.py for the summary table.
"""

import pytest

import tasks
from report import RESULTS, verdict

pytestmark = pytest.mark.workers

SELECTED, GROUPS = tasks.select()


def _release(pset):
    """The release a parameter set belongs to (its name without the phase):
    upstream outputs carry over between its phases."""
    parts = pset.split("-")
    return "-".join(p for p in parts if p not in ("build", "promote", "push", "ship"))


def _ordered(selected):
    """Phase order within a release, and upstream tasks before the tasks that use them."""
    phase_rank = {"build": 0, "promote": 1, "push": 2, "ship": 3}
    rank = lambda s: next((phase_rank[p] for p in s.pset.split("-") if p in phase_rank), 0)  # noqa: E731
    by_id = {}
    for s in selected:
        by_id.setdefault((s.pset, s.task_id), s)
    done, ordered = set(), []

    def visit(s):
        if (s.pset, s.task_id) in done:
            return
        done.add((s.pset, s.task_id))
        for _, task_id, _ in s.dependencies.values():
            if (s.pset, task_id) in by_id:
                visit(by_id[(s.pset, task_id)])
        ordered.append(s)

    for s in sorted(selected, key=lambda s: (_release(s.pset), rank(s), s.pset, s.label)):
        visit(s)
    return ordered


ORDERED = _ordered(SELECTED)


@pytest.mark.parametrize("selected", ORDERED, ids=[s.id for s in ORDERED])
def test_worker_accepts_and_completes(outcomes, selected):
    outcome, error = outcomes[(selected.pset, selected.task_id)]
    RESULTS.append((selected, outcome, error))
    failure = verdict(selected, outcome, error)
    if failure:
        pytest.fail(failure, pytrace=False)
