"""Seed a slot's Balrog with the rules a staging release of a product needs.

The rules come from production's public rules API (read-only): every rule whose alias
is ``<product>-<channel>[-localtest|-cdntest]`` for the beta and release channels, and
production's per-major ESR rules (``esr<NN>``, ``<product>-esr<NN>-localtest|-cdntest``).
On the slot's instance each becomes the same rule under the slot's names
(:func:`naming.balrog_rule_alias`, :func:`naming.balrog_channel`), mapped to an empty
seed release until a staging release's schedule points it at its own blob. The rule ids
are recorded in the registry: :func:`reservation_services` returns them as ``rule_ids``
for ``publish_rules``. A second run finds every rule by its alias and changes nothing.
"""

import json
import os
import re

import requests

from taskgraph_staging.model import naming
from taskgraph_staging.model.parameters import product_family
from taskgraph_staging.model.release import Behavior, StagingRelease
from .errors import ProvisioningError

PRODUCTION_RULES_API = "https://aus-api.mozilla.org/api/v1/rules"
#: Channel families a slot is seeded for, and the test channels beside each.
CHANNELS = ("beta", "release", "esr")
CHANNEL_SUFFIXES = ("", "-localtest", "-cdntest")
#: Rule fields copied from production as they are (the rest are named for the slot).
COPIED_FIELDS = (
    "priority",
    "backgroundRate",
    "update_type",
    "product",
    "version",
    "buildID",
    "locale",
    "distribution",
    "buildTarget",
    "osVersion",
    "instructionSet",
    "memory",
    "distVersion",
    "headerArchitecture",
)
TOKEN_ENV = "BALROG_ADMIN_TOKEN"
TIMEOUT = 60


def slot_release(slot, product):
    """The names a slot holds for ``product``: only the namespace and product matter here."""
    return StagingRelease(
        product=product,
        version="",
        build_number=0,
        namespace=slot.namespace,
        behavior=Behavior("beta"),
        services=slot.services,
        family=product_family(product),
    )


#: Products whose production test-channel rules are named apart from the channel families:
#: Devedition (beta only) updates on aurora, through rules devedition-localtest and
#: devedition-cdntest (the real tree's release-balrog-submit-toplevel rules-to-update).
PRODUCT_RULE_ALIASES = {"devedition": ("devedition-localtest", "devedition-cdntest")}


def production_aliases(product):
    """Production rule aliases a slot seeds for ``product`` (ESR ones per major version:
    production names them ``esr<NN>`` and ``<product>-esr<NN>-localtest|-cdntest``)."""
    if product in PRODUCT_RULE_ALIASES:
        return list(PRODUCT_RULE_ALIASES[product])
    return [f"{product}-{channel}{suffix}" for channel in CHANNELS for suffix in CHANNEL_SUFFIXES] + [
        f"{'' if product == 'firefox' else product + '-'}esr<NN>",
        f"{product}-esr<NN>-localtest",
        f"{product}-esr<NN>-cdntest",
    ]


def _seeded(alias, product):
    """Whether a production rule alias is one a slot seeds for ``product``."""
    if alias in production_aliases(product):
        return True
    esr = "" if product == "firefox" else f"{re.escape(product)}-"
    return bool(re.fullmatch(rf"{esr}esr\d+|{re.escape(product)}-esr\d+-(localtest|cdntest)", alias or ""))


def read_rules_file(path):
    """Rules from a file in the rules API's shape (``{"rules": [...]}``, or the bare list)."""
    try:
        with open(path) as fh:
            data = json.load(fh)
        rules = data["rules"] if isinstance(data, dict) else data
        if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
            raise TypeError("not a list of rules")
    except OSError as e:
        raise ProvisioningError(f"cannot read {path} ({e.strerror})", where="--production-rules")
    except (ValueError, KeyError, TypeError):
        raise ProvisioningError(f"{path} is not Balrog's rules JSON ({{\"rules\": [...]}} as the rules API answers)", where="--production-rules")
    return rules


def fetch_production_rules(url=PRODUCTION_RULES_API, session=None):
    """Production's rules, from its public API (a GET, nothing else), or from a file
    (a path instead of an http(s) URL) holding what that API answers."""
    if not url.startswith(("http://", "https://")):
        return read_rules_file(url)
    session = session or requests.Session()
    try:
        response = session.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        rules = response.json()["rules"]
    except (requests.RequestException, ValueError, KeyError, TypeError) as e:
        raise ProvisioningError(
            f"cannot read production's rules from {url} ({type(e).__name__}: {e}); retry, or pass --production-rules",
            where="library provision-balrog",
        )
    return rules


def seed_rules(production_rules, rel):
    """The rules to create on the slot's Balrog, by namespaced alias, from production's."""
    seed = naming.balrog_seed_release(rel)
    rules = {}
    for rule in production_rules:
        alias = rule.get("alias")
        if not _seeded(alias, rel.product) or rule.get("product") != rel.display_product:
            continue
        new = {field: rule[field] for field in COPIED_FIELDS if rule.get(field) is not None}
        new["alias"] = naming.balrog_rule_alias(rel, alias)
        new["channel"] = naming.balrog_channel(rel, rule["channel"])
        new["mapping"] = seed
        new["comment"] = f"staging slot {rel.namespace}: from production rule {rule.get('rule_id')} ({alias})"
        rules[new["alias"]] = new
    return rules


class BalrogAdmin:
    """The few calls of Balrog's admin API provisioning makes."""

    def __init__(self, api_root, token=None, session=None):
        self.api_root = api_root.rstrip("/")
        self.session = session or requests.Session()
        token = token or os.environ.get(TOKEN_ENV)
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def _call(self, method, path, **kwargs):
        url = f"{self.api_root}/{path}"
        try:
            response = self.session.request(method, url, timeout=TIMEOUT, **kwargs)
        except requests.RequestException as e:
            raise ProvisioningError(f"{method} {url} failed ({type(e).__name__}); check the slot's balrog.admin", where="balrog")
        return response

    def _ok(self, response, what):
        if response.status_code >= 400:
            detail = " ".join(response.text.split())[:200]
            if response.status_code in (401, 403):
                hint = f"check {TOKEN_ENV} and the account's Balrog permissions"
            else:
                hint = "Balrog refused the request itself (its answer above says why)"
            raise ProvisioningError(f"{what} was refused: HTTP {response.status_code} {detail}; {hint}", where="balrog")
        return response

    def rules(self):
        return self._ok(self._call("GET", "rules"), "listing the rules").json()["rules"]

    def release_exists(self, name):
        response = self._call("GET", f"releases/{name}")
        if response.status_code == 404:
            return False
        self._ok(response, f"reading release {name}")
        return True

    def put_release(self, name, product, blob):
        """Create release ``name`` (Balrog's admin API takes the blob as a JSON string)."""
        body = {"name": name, "product": product, "blob": json.dumps(blob)}
        self._ok(self._call("PUT", f"releases/{name}", json=body), f"creating release {name}")

    def create_rule(self, rule):
        response = self._ok(self._call("POST", "rules", json=rule), f"creating rule {rule['alias']}")
        try:
            return int(response.text.strip())
        except ValueError:
            raise ProvisioningError(f"creating rule {rule['alias']} answered {response.text[:80]!r}, not a rule id", where="balrog")


def provision_balrog(slot, product, production_rules, admin, dry_run=False):
    """Create the slot's rules for ``product`` that are missing. Returns ``(steps, rule_ids)``.

    ``rule_ids`` maps every namespaced alias to its id on the instance (in a dry run,
    only those that exist already).
    """
    rel = slot_release(slot, product)
    wanted = seed_rules(production_rules, rel)
    if not wanted:
        raise ProvisioningError(
            f"production has no {rel.display_product} rule aliased {', '.join(production_aliases(product))}; "
            "nothing to seed (is the product right?)",
            where="library provision-balrog",
        )
    existing = {rule["alias"]: rule for rule in admin.rules() if rule.get("alias")}
    missing = [alias for alias in sorted(wanted) if alias not in existing]
    steps = []
    seed = naming.balrog_seed_release(rel)
    if missing and not admin.release_exists(seed):
        steps.append(f"create release {seed}")
        if not dry_run:
            admin.put_release(seed, rel.display_product, {"name": seed, "schema_version": 1, "hashFunction": "sha512", "platforms": {}})
    rule_ids = {alias: int(existing[alias]["rule_id"]) for alias in wanted if alias in existing}
    for alias in missing:
        steps.append(f"create rule {alias} (channel {wanted[alias]['channel']})")
        if not dry_run:
            rule_ids[alias] = admin.create_rule(wanted[alias])
    return steps, rule_ids
