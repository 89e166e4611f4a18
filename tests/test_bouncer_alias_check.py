"""Where bouncerscript checks the aliases it updated, and what a slot's task says of it.

bouncerscript's ``check_aliases_match`` asks the redirector that ``GO_BOUNCER_URL_TMPL``
fixes for the task's server scope, not the one beside the Bouncer its pool updates. On
a library slot's Bouncer the check therefore reads the shared staging redirector, and
the aliases task must say that it does not verify its own update.
"""

import os

from audit_plans import plan, slot
from release_graphs import BEHAVIOURS
from upstream_source import module_constant

from taskgraph_staging.model.workers import BOUNCER_ALIAS_CHECK_REDIRECTOR

ALIASES = "release-bouncer-aliases-firefox"


def upstream_templates(shared):
    """``GO_BOUNCER_URL_TMPL`` as bouncerscript's constants.py writes it."""
    path = os.path.join(shared, "upstream", "scriptworker-scripts", "bouncerscript", "src", "bouncerscript", "constants.py")
    return module_constant(path, "GO_BOUNCER_URL_TMPL")


def test_the_alias_check_redirector_is_bouncerscripts_own_for_the_staging_server(shared_dir):
    template = upstream_templates(shared_dir)["project:releng:bouncer:server:staging"]
    assert template.startswith(BOUNCER_ALIAS_CHECK_REDIRECTOR + "/?product=")


def aliases_task(services):
    behaviour = next(b for b in BEHAVIOURS if b[0] == "beta")
    tasks, _ = plan(behaviour, "alice", services)
    return tasks[ALIASES]["task"]


def test_on_a_slots_bouncer_the_aliases_task_says_its_check_reads_the_shared_redirector():
    task = aliases_task(slot(1))
    record = task["extra"]["staging"]["bouncer-aliases"]
    assert record["instance"] == "dedicated"
    assert record["checked_at"] == BOUNCER_ALIAS_CHECK_REDIRECTOR
    assert record["checks_this_instance"] is False
    description = task["metadata"]["description"]
    assert f"not on this Bouncer's {slot(1)['bouncer_redirector']}" in description
    assert "this task does not verify it" in description


def test_on_the_shared_bouncer_the_aliases_task_makes_no_such_claim():
    task = aliases_task(None)
    assert task["extra"]["staging"]["bouncer-aliases"]["instance"] == "shared"
    assert "does not verify" not in task["metadata"]["description"]
