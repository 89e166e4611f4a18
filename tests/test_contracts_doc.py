"""docs/contracts.rst follows the code: every payload builder of the extension with its
worker fields and whether each is required, the family tables and update verify's
environment (issue 17: the contracts were documented nowhere)."""

import os
import re

import msgspec
import pytest
from taskgraph.transforms.task import payload_builders

import taskgraph_staging.staging.payloads  # noqa: F401  (registers the builders)
from taskgraph_staging.model.families import DEFAULT_KIND_FAMILIES, SCOPE_FAMILIES
from taskgraph_staging.staging.transforms.update_verify import CONFIG_ARGS, CONFIG_ENV, VERIFY_ENV

PAGE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "contracts.rst")
OURS = sorted(name for name, b in payload_builders.items() if b.schema.__module__.startswith("taskgraph_staging"))


def page():
    with open(PAGE) as fh:
        return fh.read()


def documented_fields(builder):
    """``{field: required?}`` of the builder's table on the page."""
    text = page()
    section = text.split(f"\n``{builder}``\n", 1)[1].split("\n``", 1)[0]
    rows = re.findall(r"   \* - ``([a-z-]+)``\n     - (required|optional)", section)
    return {field: kind == "required" for field, kind in rows}


def test_the_page_documents_the_builders_the_hosts_use():
    assert {"balrog", "bouncer-submission", "treescript", "beetmover-push-to-release", "push-apk", "push-snap"} <= set(OURS)


@pytest.mark.parametrize("builder", OURS)
def test_every_worker_field_is_documented_with_whether_it_is_required(builder):
    schema = payload_builders[builder].schema
    expected = {f.name.replace("_", "-"): f.required for f in msgspec.structs.fields(schema)}
    assert documented_fields(builder) == expected


def test_the_family_tables_and_update_verify_inputs_are_documented():
    text = page()
    for word, family in list(SCOPE_FAMILIES.items()) + list(DEFAULT_KIND_FAMILIES.items()):
        assert f"   * - ``{word}``\n     - ``{family}``" in text
    for name in CONFIG_ENV + VERIFY_ENV:
        assert f"``{name}``" in text
    for name in list(CONFIG_ARGS) + ["partial-version"]:
        assert f"``--{name}``" in text
