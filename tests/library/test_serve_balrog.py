"""``library serve-balrog``: a real Balrog (shared/upstream/balrog, v3.121) for a slot, on 127.0.0.1.

The instance is started by the real command, in a subprocess, seeded from a file of
real-shaped production rules (``data/production_rules.json``, in the rules API's
shape). Release blobs are what our graphs' balrog tasks make Balrog hold: the
top-level part is built by balrogscript's own ``ReleaseCreatorV9.generate_data`` (run
in balrogscript's environment, from the task's payload); the locale part is written
here in Balrog's v9 shape (balrogscript's submit-locale reads beetmover manifests this
test does not have). Both are submitted through Balrog's admin API, as balrogscript's
legacy backend does (``PUT /releases/<name>`` with the blob as a JSON string), and the
update is asked of the public API (``/update/6/.../update.xml``).
"""

import json
import os
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import pytest
import requests
from audit_plans import plan
from release_graphs import BEHAVIOURS

from taskgraph_staging.interfaces.library import Registry
from taskgraph_staging.interfaces.library.slots import load_slots

from .conftest import slot_dict, write_slots

HERE = os.path.dirname(os.path.abspath(__file__))
RULES = os.path.join(HERE, "data", "production_rules.json")
BETA = BEHAVIOURS[0]
TOPLEVEL = "release-balrog-submit-toplevel-firefox"
TARGET = "WINNT_x86_64-msvc-x64"
OS_VERSION = "Windows_NT 10.0.0.0 (x64)"
#: A client of 121.0b2: Firefox sends its app version (121.0 for every 121 beta) and build id.
OLD_BUILD_ID = "20231101000000"

#: balrogscript's own blob builder, run in its environment with the task's payload: the
#: blob without a suffix, with that suffix's update line (balrogscript makes one blob per
#: key of ``update_line``; the ``-No-WNP`` one is not served to these tests' clients).
GENERATE = """
import json, sys
from balrogscript.submitter.cli import ReleaseCreatorV9
payload = json.load(sys.stdin)
creator = ReleaseCreatorV9(api_root="http://unused", complete_mar_filename_pattern=payload.get("complete_mar_filename_pattern"),
                           complete_mar_bouncer_product_pattern=payload.get("complete_mar_bouncer_product_pattern"))
partials = {}
for v in filter(None, (p.strip() for p in payload.get("partial_versions", "").split(","))):
    version, build = v.split("build")
    partials[version] = {"buildNumber": build}
data = creator.generate_data(payload["app_version"], payload["product"].capitalize(), payload["version"], payload["build_number"],
                             payload["channel_names"], payload["archive_domain"], payload["download_domain"], payload["platforms"],
                             (payload.get("update_line") or {}).get(""), partialUpdates=partials, requiresMirrors=payload["require_mirrors"])
print(json.dumps(data))
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def balrogscript_python(shared_dir):
    from taskgraph_staging.interfaces.library.upstream_env import script_python

    return script_python(os.path.join(shared_dir, "upstream", "scriptworker-scripts"), "balrogscript")


@pytest.fixture(scope="module")
def served(shared_dir, tmp_path_factory):
    """``(registry, line)`` of a slot's Balrog started by ``library serve-balrog``."""
    base = tmp_path_factory.mktemp("serve-balrog")
    admin, public = free_port(), free_port()
    slot = slot_dict("lib-one")
    slot["balrog"] = {"admin": f"http://127.0.0.1:{admin}/api", "public": f"http://127.0.0.1:{public}"}
    registry = str(base / "library.sqlite")
    Registry(registry).add(load_slots(write_slots(base / "slots.yml", [slot])))
    cmd = [
        sys.executable, "-m", "taskgraph_staging", "library", "serve-balrog", "lib-one", "--registry", registry, "--json",
        "--balrog", os.path.join(shared_dir, "upstream", "balrog"), "--state-dir", str(base / "balrog"), "--production-rules", RULES,
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line:
        proc.kill()
        pytest.fail(f"serve-balrog did not start: {proc.stderr.read()[-2000:]}")
    yield registry, json.loads(line)
    proc.terminate()
    proc.wait(30)


def admin_session(line):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {line['token']}"
    return session


def toplevel_payload(tasks):
    """The submit-toplevel payload, with the app_version ``plan`` and ``push`` give
    (model.versions.app_version: ``121.0`` for 121.0b3; the test graphs' parameters
    leave it unset, and Balrog refuses to compare ``121.0b3`` as an appVersion)."""
    from taskgraph_staging.model.versions import app_version

    payload = dict(tasks[TOPLEVEL]["task"]["payload"])
    payload["app_version"] = app_version(payload["version"])
    return payload


def release_blob(python, payload, build_id, partial_from=()):
    """The release blob our submit-toplevel and submit-locale tasks make, for win64 en-US."""
    out = subprocess.run([python, "-c", GENERATE], input=json.dumps(payload), capture_output=True, text=True, check=True)
    blob = json.loads(out.stdout)
    name = f"{payload['product'].capitalize()}-{payload['version']}-build{payload['build_number']}{payload.get('blob_suffix', '')}"
    blob.update(name=name, schema_version=9, hashFunction="sha512")
    locale = {
        "buildID": build_id,
        "appVersion": payload["app_version"],
        "displayVersion": payload["version"],
        "completes": [{"from": "*", "filesize": 51234567, "hashValue": "a" * 128}],
    }
    if partial_from:
        locale["partials"] = [{"from": source, "filesize": 1234567, "hashValue": "b" * 128} for source in partial_from]
    blob["platforms"][TARGET] = {"OS_BOUNCER": "win64", "OS_FTP": "win64", "locales": {"en-US": locale}}
    return blob


def put_release(session, admin, blob):
    body = {"name": blob["name"], "product": "Firefox", "blob": json.dumps(blob)}
    current = session.get(f"{admin}/releases/{blob['name']}")
    if current.status_code == 200:  # a blob submitted again replaces this version of it
        body["data_version"] = int(current.headers["X-Data-Version"])
    response = session.put(f"{admin}/releases/{blob['name']}", json=body)
    assert response.status_code < 300, response.text
    return blob["name"]


def point_rule(session, admin, channel, mapping):
    """The rule of ``channel`` maps to ``mapping`` (created if the instance has none), as the schedule would."""
    rules = session.get(f"{admin}/rules").json()["rules"]
    rule = next((r for r in rules if r["channel"] == channel and r["product"] == "Firefox"), None)
    if rule is None:
        body = {"channel": channel, "product": "Firefox", "mapping": mapping, "priority": 100, "backgroundRate": 100, "update_type": "minor"}
        response = session.post(f"{admin}/rules", json=body)
    else:
        body = {"mapping": mapping, "data_version": rule["data_version"]}
        response = session.put(f"{admin}/rules/{rule['rule_id']}", json=body)
    assert response.status_code < 300, response.text


#: Balrog's public app caches a product's rules for 30 s (uwsgi/public.wsgi), as in production.
RULES_CACHE = 30


def served_update(public, version, build_id, channel):
    """:func:`update` once the public app sees the rules just written (its cache expires)."""
    deadline = time.monotonic() + RULES_CACHE + 15
    while True:
        patches, found = update(public, version, build_id, channel)
        if found is not None or time.monotonic() > deadline:
            return patches, found
        time.sleep(2)


def update(public, version, build_id, channel):
    url = f"{public}/update/6/Firefox/{version}/{build_id}/{TARGET}/en-US/{channel}/{OS_VERSION}/ISET:SSE4_2,MEM:16384/default/default/update.xml"
    response = requests.get(url, timeout=30)
    assert response.status_code == 200, response.text
    root = ET.fromstring(response.text)
    found = root.find("update")
    return ({p.get("type"): p.get("URL") for p in root.iter("patch")} if found is not None else response.text), found


def test_serve_balrog_starts_seeded_with_the_slot_rules_and_library_check_probes_it(served, capsys):
    from taskgraph_staging.interfaces.cli import main

    registry, line = served
    rules = admin_session(line).get(f"{line['admin']}/rules").json()["rules"]
    aliases = sorted(r["alias"] for r in rules)
    assert aliases == sorted(line["rule_ids"]["firefox"]) and "lib-one-firefox-beta" in aliases
    assert {r["mapping"] for r in rules} == {"Firefox-staging-lib-one-seed"}
    assert Registry(registry).slot("lib-one")  # the ids are the registry's: a reservation passes them as rule_ids
    # The slot's other instances are example hosts nothing serves: the check exits 1 for them.
    assert main(["library", "check", "lib-one", "--registry", registry, "--json", "--timeout", "5"]) == 1
    results = {(r["family"], r["role"]): r for r in json.loads(capsys.readouterr().out)}
    assert results[("balrog", "admin")]["answers"] and results[("balrog", "public")]["answers"]
    assert not results[("shipit", "api")]["answers"]


def test_a_slot_plan_blob_on_the_slot_domains_is_accepted_and_served(served, balrogscript_python):
    _, line = served
    session = admin_session(line)
    from audit_plans import slot

    services = dict(slot(1), archive_domain="archive.lib-one.example", bouncer_redirector="https://bouncer.lib-one.example")
    tasks, _ = plan(BETA, "lib-one", services)
    payload = toplevel_payload(tasks)
    blob = release_blob(balrogscript_python, payload, "20231201000000")
    name = put_release(session, line["admin"], blob)
    point_rule(session, line["admin"], "lib-one-beta", name)
    patches, found = served_update(line["public"], "121.0", OLD_BUILD_ID, "lib-one-beta")
    assert found.get("displayVersion") == "121.0b3"
    assert patches["complete"].startswith("https://bouncer.lib-one.example/?product=firefox-121.0b3-complete&")


def test_two_namespaces_of_one_version_get_their_own_download_urls_on_every_channel(served, balrogscript_python):
    _, line = served
    session = admin_session(line)
    seen = {}
    for namespace in ("alice", "bob"):
        tasks, _ = plan(BETA, namespace)
        payload = toplevel_payload(tasks)
        name = put_release(session, line["admin"], release_blob(balrogscript_python, payload, "20231201000000"))
        for channel in payload["channel_names"]:
            point_rule(session, line["admin"], channel, name)
            seen[(namespace, channel)] = None
    for namespace, channel in list(seen):
        patches, found = served_update(line["public"], "121.0", OLD_BUILD_ID, channel)
        assert found is not None, (namespace, channel, patches)
        seen[(namespace, channel[len(namespace) + 1:])] = patches["complete"]
        del seen[(namespace, channel)]
    channels = sorted({c for _, c in seen})
    assert channels == ["beta", "beta-cdntest", "beta-localtest"]
    for channel in channels:
        alice, bob = seen[("alice", channel)], seen[("bob", channel)]
        assert alice != bob, channel
        if channel.endswith("localtest"):
            assert "/staging/alice/pub/firefox/candidates/121.0b3-candidates/build1/" in alice
        else:
            assert "?product=firefox-121.0b3-staging-alice-complete&" in alice
            assert "?product=firefox-121.0b3-staging-bob-complete&" in bob


def test_two_releases_in_a_row_on_the_slot_the_second_update_verify_is_served_the_update_from_the_first(served, balrogscript_python):
    """The first release (121.0b2, the same slot plan's payload at that version) is on the
    slot's Balrog; the second (121.0b3) updates the seeded rules of its channels, as its
    rules_to_update do. Update verify of the second asks the localtest channel it reads
    (naming.update_verify_channel) as the first release's build: it is offered the second,
    complete from the slot's archive."""
    from audit_plans import slot

    from taskgraph_staging.model import naming
    from taskgraph_staging.model.parameters import staging_release

    _, line = served
    session = admin_session(line)
    services = dict(slot(1), archive_domain="archive.lib-one.example", bouncer_redirector="https://bouncer.lib-one.example")
    tasks, params = plan(BETA, "lib-one", services)
    second = toplevel_payload(tasks)
    first = dict(second, version="121.0b2", partial_versions="")
    first_build = "20231115000000"
    put_release(session, line["admin"], release_blob(balrogscript_python, first, first_build))
    name = put_release(session, line["admin"], release_blob(balrogscript_python, second, "20231201000000"))
    channel = naming.update_verify_channel(staging_release(params, None), "beta")
    assert channel == "lib-one-beta-localtest"
    point_rule(session, line["admin"], channel, name)
    patches, found = served_update(line["public"], "121.0", first_build, channel)
    assert found is not None, patches
    assert (found.get("displayVersion"), found.get("buildID")) == ("121.0b3", "20231201000000")
    assert patches["complete"] == (
        "https://archive.lib-one.example/pub/firefox/candidates/121.0b3-candidates/build1/update/win64/en-US/firefox-121.0b3.complete.mar"
    )
