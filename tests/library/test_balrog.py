import json

import pytest
import responses

from taskgraph_staging.interfaces.cli import main
from taskgraph_staging.interfaces.library import Registry, reservation_services
from taskgraph_staging.interfaces.library.errors import ProvisioningError

PRODUCTION = "https://aus-api.mozilla.org/api/v1/rules"
ADMIN = "https://balrog-admin.lib-one.example/api"


def production_rule(rule_id, alias, channel, product="Firefox", **extra):
    return {
        "rule_id": rule_id, "alias": alias, "channel": channel, "product": product, "priority": 90,
        "backgroundRate": 100, "update_type": "minor", "mapping": f"{product}-121.0-build1", "buildTarget": None,
        "osVersion": None, "locale": None, "data_version": 12, "fallbackMapping": None, **extra,
    }


PRODUCTION_RULES = [
    production_rule(32, "firefox-beta", "beta"),
    production_rule(50, "firefox-beta-localtest", "beta-localtest", priority=500),
    production_rule(51, "firefox-beta-cdntest", "beta-cdntest"),
    production_rule(145, "firefox-release", "release", osVersion="Windows_NT 10.0"),
    production_rule(9, None, "beta"),  # no alias: not a rule staging releases name
    production_rule(77, "thunderbird-beta", "beta", product="Thunderbird"),
    production_rule(78, "firefox-nightly", "nightly"),
    production_rule(18015, "esr140", "esr"),
    production_rule(18016, "firefox-esr140-localtest", "esr-localtest"),
    production_rule(18017, "firefox-esr-next", "esr"),  # not a rule production schedules
]


class FakeBalrog:
    """Balrog's documented admin API: GET/POST /rules (POST answers the new id), GET/PUT /releases/<name>."""

    def __init__(self, rsps):
        self.rules, self.releases, self.writes = [], {}, []
        rsps.add(responses.GET, PRODUCTION, json={"count": len(PRODUCTION_RULES), "rules": PRODUCTION_RULES})
        rsps.add_callback(responses.GET, f"{ADMIN}/rules", callback=lambda r: (200, {}, json.dumps({"count": len(self.rules), "rules": self.rules})))
        rsps.add_callback(responses.POST, f"{ADMIN}/rules", callback=self.post_rule)
        rsps.add_callback(responses.GET, f"{ADMIN}/releases/Firefox-staging-lib-one-seed", callback=self.get_release)
        rsps.add_callback(responses.PUT, f"{ADMIN}/releases/Firefox-staging-lib-one-seed", callback=self.put_release)

    def post_rule(self, request):
        rule = json.loads(request.body)
        if rule.get("mapping") not in self.releases:
            return 400, {}, json.dumps({"detail": "Invalid mapping value. No release name found in DB"})
        rule_id = 1000 + len(self.rules)
        self.rules.append({**rule, "rule_id": rule_id, "data_version": 1})
        self.writes.append(("POST rules", rule["alias"]))
        return 200, {}, str(rule_id)

    def get_release(self, request):
        name = request.url.rsplit("/", 1)[1]
        return (200, {}, json.dumps(self.releases[name])) if name in self.releases else (404, {}, "")

    def put_release(self, request):
        body = json.loads(request.body)
        self.releases[body["name"]] = body["blob"]
        self.writes.append(("PUT release", body["name"]))
        return 200, {}, json.dumps({"new_data_version": 1})


def test_balrog_provisioning_creates_the_namespaced_rules_once(registry, capsys):
    with responses.RequestsMock() as rsps:
        balrog = FakeBalrog(rsps)
        command = ["library", "provision-balrog", "lib-one", "--product", "firefox", "--registry", registry, "--json"]
        assert main([*command, "--dry-run"]) == 0
        dry = json.loads(capsys.readouterr().out)
        assert balrog.writes == []
        assert (dry["dry_run"], dry["rule_ids"]) == (True, {})

        assert main(command) == 0
        first = json.loads(capsys.readouterr().out)
        assert first["steps"] == dry["steps"] == [
            "create release Firefox-staging-lib-one-seed",
            "create rule lib-one-esr140 (channel lib-one-esr)",
            "create rule lib-one-firefox-beta (channel lib-one-beta)",
            "create rule lib-one-firefox-beta-cdntest (channel lib-one-beta-cdntest)",
            "create rule lib-one-firefox-beta-localtest (channel lib-one-beta-localtest)",
            "create rule lib-one-firefox-esr140-localtest (channel lib-one-esr-localtest)",
            "create rule lib-one-firefox-release (channel lib-one-release)",
        ]
        assert balrog.releases == {"Firefox-staging-lib-one-seed": {
            "name": "Firefox-staging-lib-one-seed", "schema_version": 1, "hashFunction": "sha512", "platforms": {}}}
        by_alias = {rule["alias"]: rule for rule in balrog.rules}
        assert by_alias["lib-one-firefox-release"] == {
            "alias": "lib-one-firefox-release", "channel": "lib-one-release", "product": "Firefox", "priority": 90,
            "backgroundRate": 100, "update_type": "minor", "osVersion": "Windows_NT 10.0",
            "mapping": "Firefox-staging-lib-one-seed",
            "comment": "staging slot lib-one: from production rule 145 (firefox-release)",
            "rule_id": 1005, "data_version": 1,
        }
        assert first["rule_ids"] == {
            "lib-one-esr140": 1000,
            "lib-one-firefox-beta": 1001,
            "lib-one-firefox-beta-cdntest": 1002,
            "lib-one-firefox-beta-localtest": 1003,
            "lib-one-firefox-esr140-localtest": 1004,
            "lib-one-firefox-release": 1005,
        }
        writes = list(balrog.writes)

        assert main(command) == 0
        second = json.loads(capsys.readouterr().out)
        assert (second["steps"], second["rule_ids"]) == ([], first["rule_ids"])
        assert balrog.writes == writes
        assert [c.request.method for c in rsps.calls[-2:]] == ["GET", "GET"]

    reservation = Registry(registry).checkout("alice@example.com", "firefox", "rehearsal", 1)
    assert reservation_services(reservation.id, registry)["rule_ids"] == first["rule_ids"]
    fenix = Registry(registry)
    fenix.return_(reservation.id)
    other = fenix.checkout("bob@example.com", "fenix", "android", 1)
    assert "rule_ids" not in reservation_services(other.id, registry)


def test_balrog_provisioning_refuses_a_product_production_has_no_rules_for(registry):
    from taskgraph_staging.interfaces.library.balrog import BalrogAdmin, provision_balrog

    slot = Registry(registry).slot("lib-one").slot
    with pytest.raises(ProvisioningError, match="production has no Fenix rule aliased fenix-beta, .*nothing to seed"):
        provision_balrog(slot, "fenix", PRODUCTION_RULES, BalrogAdmin(ADMIN))


def test_a_refused_rule_is_one_line_exit_2(registry, capsys):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add(responses.GET, PRODUCTION, json={"count": 1, "rules": PRODUCTION_RULES[:1]})
        rsps.add(responses.GET, f"{ADMIN}/rules", json={"count": 0, "rules": []})
        rsps.add(responses.GET, f"{ADMIN}/releases/Firefox-staging-lib-one-seed", status=404)
        rsps.add(responses.PUT, f"{ADMIN}/releases/Firefox-staging-lib-one-seed", status=403, body="Forbidden")
        assert main(["library", "provision-balrog", "lib-one", "--product", "firefox", "--registry", registry]) == 2
    err = capsys.readouterr().err
    assert err == (
        "taskgraph-staging library: error: balrog: creating release Firefox-staging-lib-one-seed was refused: "
        "HTTP 403 Forbidden; check the account's Balrog permissions\n"
    )
