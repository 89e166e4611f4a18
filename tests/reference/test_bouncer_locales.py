"""Bouncer submission follows the locales file."""

import os

from taskgraph_staging.analysis.graphs import REFERENCE_ROOT, generator
from taskgraph_staging.staging.reference.platforms import read_locales
from taskgraph_staging.analysis.scale import SHIPPED_LOCALES, make_scaled_root

RELEASE = dict(version="121.0b3", build_number=1, release_product="firefox", staging={"namespace": "alice"})


def submitted_locales(graph):
    return graph.tasks["release-bouncer-sub-firefox"].task["payload"]["locales"]


def test_reference_submits_every_shipped_locale(production_graph):
    assert submitted_locales(production_graph) == ["en-US"] + read_locales(os.path.join(REFERENCE_ROOT, SHIPPED_LOCALES))


def test_a_scaled_locales_file_scales_the_submission(tmp_path):
    root = make_scaled_root(str(tmp_path / "root"), 3)
    tgg, _ = generator(root, RELEASE)
    assert submitted_locales(tgg.full_task_graph) == ["en-US", "ach", "af", "an"]
