"""The signing formats the Try graph asks for are the ones the dev signing pool offers.

:data:`~taskgraph_staging.model.workers.DEP_SIGNING_FORMATS` is a worker fact: it is
checked against signingscript's real ``passwords.yml`` rendered for the dev pool.
"""

import os
import re

import jsone
import pytest
import yaml

from taskgraph_staging.model.workers import DEP_SIGNING_FORMATS, NO_SIGNINGSCRIPT_FORMAT, runs_on_iscript

DEP_CERT = "cert:dep-signing"  # after the product's scope prefix


def dev_pool_formats(shared_dir, product):
    path = os.path.join(shared_dir, "upstream", "scriptworker-scripts", "signingscript", "docker.d", "passwords.yml")
    with open(path) as fh:
        text = fh.read()
    # every secret the template names, as a test value (what init.sh would set)
    context = {name: f"test-{name.lower()}" for name in re.findall(r"\b[A-Z][A-Z0-9_]+\b", text)}
    context.update(ENV="dev", COT_PRODUCT=product)
    rendered = jsone.render(yaml.safe_load(text), context)
    (entries,) = [v for k, v in rendered.items() if k.endswith(DEP_CERT)]
    return {fmt for entry in entries for fmt in entry[3]}


@pytest.mark.parametrize("product", ["firefox", "thunderbird"])
def test_model_names_the_dev_pools_formats(shared_dir, product):
    assert dev_pool_formats(shared_dir, product) == DEP_SIGNING_FORMATS


def test_try_graph_asks_only_for_dev_pool_formats_or_named_exceptions(try_graph, tasks_of):
    """What a signingscript task asks for, the dev pool offers (macOS signs on iscript,
    whose ``macapp`` format is its own)."""
    _, full = try_graph
    signingscript = [task for task in tasks_of(full, "signing") if not runs_on_iscript(task.task)]
    asked = {fmt for task in signingscript for artifact in task.task["payload"].get("upstreamArtifacts", []) for fmt in artifact["formats"]}
    assert asked, "the reference graph signs something"
    assert asked - DEP_SIGNING_FORMATS <= set(NO_SIGNINGSCRIPT_FORMAT)
    assert asked & DEP_SIGNING_FORMATS
