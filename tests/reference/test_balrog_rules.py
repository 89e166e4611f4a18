"""The Balrog rules of the reference kinds are production's, and the schedule's Try form
publishes the rule that naming says the namespace's release rule is."""

import pytest

from taskgraph_staging.model import naming
from taskgraph_staging.model.parameters import staging_release

#: behaviour -> (version, production rules the top-level submission updates, production release rule alias)
PRODUCTION_RULES = {
    "beta": ("121.0b3", ["firefox-beta-cdntest", "firefox-beta-localtest"], "firefox-beta"),
    "release": ("121.0", ["firefox-release-cdntest", "firefox-release-localtest"], "firefox-release"),
    "esr": ("115.5.0esr", ["firefox-esr115-cdntest", "firefox-esr115-localtest"], "esr115"),
}


def try_graph(graph, behavior, **services):
    version = PRODUCTION_RULES[behavior][0]
    return graph(version=version, build_number=1, release_product="firefox",
                 staging={"namespace": "alice", "behavior": behavior, "services": services})


@pytest.mark.parametrize("behavior", sorted(PRODUCTION_RULES))
def test_production_rules(graph, behavior):
    version, rules, _ = PRODUCTION_RULES[behavior]
    release_type = "esr115" if behavior == "esr" else behavior
    full = graph(production=True, version=version, build_number=1, release_type=release_type, release_product="firefox")
    assert full.tasks["release-balrog-submit-toplevel-firefox"].task["payload"]["rules_to_update"] == rules


@pytest.mark.parametrize("behavior", sorted(PRODUCTION_RULES))
def test_try_rules_are_the_namespaced_production_rules(graph, behavior):
    _, rules, release_rule = PRODUCTION_RULES[behavior]
    full = try_graph(graph, behavior, rule_ids={f"alice-{release_rule}": 4242})
    toplevel = full.tasks["release-balrog-submit-toplevel-firefox"].task["payload"]
    assert toplevel["rules_to_update"] == [f"alice-{rule}" for rule in rules]
    schedule = full.tasks["release-balrog-scheduling-firefox"].task
    assert schedule["payload"]["publish_rules"] == [4242]
    assert schedule["extra"]["staging"]["balrog-publish-rules"] == {"rule_alias": f"alice-{release_rule}", "rule_ids": [4242]}


@pytest.mark.parametrize("behavior", sorted(PRODUCTION_RULES))
def test_naming_release_rule_alias_is_the_production_alias_namespaced(graph, behavior):
    version, _, release_rule = PRODUCTION_RULES[behavior]
    params = dict(version=version, build_number=1, release_product="firefox", staging={"namespace": "alice", "behavior": behavior})
    rel = staging_release(params)
    assert naming.production_release_rule_alias(rel) == release_rule
    assert naming.balrog_release_rule_alias(rel) == f"alice-{release_rule}"
