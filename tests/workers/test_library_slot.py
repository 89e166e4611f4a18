"""A release on a library slot: push-to-releases copies this release's files, and only into the slot.

The ``*-lib-one`` parameter sets are a beta on slot lib-one (``library_slot.py``): its
beetmover tasks run on the slot's pool, which writes to the slot's own archive (what
``library serve-archive`` runs: real S3 calls on an embedded S3). After the suite has
run them, push-to-releases must have completed, and the slot's
``pub/firefox/releases/<version>/`` must hold exactly the release's candidates that
beetmoverscript's own ``RELEASE_EXCLUDE`` lets through (read from its constants.py),
under production's layout; nothing of the release may be in the shared dev bucket.
"""

import os
import re

import pytest

import library_slot
import tasks
from services import DEP_BUCKET
from upstream_source import module_constant

pytestmark = pytest.mark.workers

PUSH = "firefox-beta-push-lib-one"
LABEL = "release-beetmover-push-to-release-firefox"
CANDIDATES = "pub/firefox/candidates/121.0b3-candidates/build1/"
RELEASES = "pub/firefox/releases/121.0b3/"


def release_exclude(upstream):
    return module_constant(os.path.join(upstream, "beetmoverscript", "src", "beetmoverscript", "constants.py"), "RELEASE_EXCLUDE")


@pytest.mark.parametrize("pset", [PUSH])
def test_push_to_releases_on_a_library_slot_copies_this_releases_candidates_only(suite, outcomes, pset):
    selected = next(s for s in tasks.select([pset], ci=False)[0] if s.label == LABEL)
    outcome, error = outcomes.get((pset, selected.task_id), (None, "push-to-releases was not run (select the lib-one sets)"))
    assert not error and outcome and outcome.completed, error or f"push-to-releases did not complete: {outcome.message}"
    library = suite.slots[library_slot.slot_name(selected.parameters["staging"])]
    candidates = library.keys(CANDIDATES)
    excluded = release_exclude(suite.upstream)
    wanted = {key.replace(CANDIDATES, RELEASES) for key in candidates if not any(re.match(p, key) for p in excluded)}
    assert wanted, f"the slot's candidates {candidates} hold nothing push-to-releases copies"
    assert set(library.keys(RELEASES)) == wanted
    assert all(key.startswith("pub/") for key in library.keys()), "the slot's archive uses production's layout at its root"
    shared = suite.services.gcs.objects(DEP_BUCKET)
    assert not [key for key in shared if "lib-one" in key], "a slot release wrote to the shared dev bucket"
