"""The staging release's Ship-it release, created through Ship-it's ``POST /releases``.

The answers follow real Ship-it (mozilla-releng/shipit ``admin/api.py``): 201 with the
release it named, a problem body (``detail``) for errors, a duplicate name or a
revision without an indexed decision task are 400s, a missing scope 401.
"""

import json

import mohawk
import pytest
import responses

from taskgraph_staging.interfaces.push import shipit
from taskgraph_staging.model.release import Behavior, Namespace, Partial, Services, StagingRelease

URL = "https://api.shipit.staging.mozilla-releng.net"
SLOT = "https://slot1.shipit.example.net"
REV = "a" * 40
CREDS = {"id": "project/releng/alice", "key": "secret", "algorithm": "sha256"}
NAME = "Firefox-121.0b3-build1"


def release(namespace="alice", services=None, partials=()):
    return StagingRelease(
        "firefox", "121.0b3", 1, Namespace(namespace), Behavior("beta"), partials=partials, services=Services.from_dict(services or {})
    )


def request(rel=None, revision=REV):
    return shipit.release_request(rel or release(), revision, "https://hg.mozilla.org/try")


def problem(status, detail, title="Bad Request"):
    return {"json": {"detail": detail, "status": status, "title": title, "type": "about:blank"}, "status": status}


def test_the_request_carries_ship_its_fields_and_the_name_it_gives():
    req = request(release(partials=(Partial("121.0b2", 1),)))
    assert (req.url, req.name) == (URL, NAME)
    assert req.body == {
        "product": "firefox",
        "branch": "try",
        "version": "121.0b3",
        "build_number": 1,
        "revision": REV,
        "repo_url": "https://hg.mozilla.org/try",
        "partial_updates": {"121.0b2": {"buildNumber": 1, "locales": []}},
        "release_eta": "",
    }
    assert req.scope == "project:releng:services/shipit_api/add_release/firefox"


def test_two_namespaces_of_one_version_ask_for_one_name_and_a_slot_has_its_own_url():
    assert request(release("alice")).name == request(release("bob")).name
    assert request(release(services={"shipit": SLOT, "dedicated": ["shipit"]})).url == SLOT


@responses.activate
def test_a_missing_release_is_created_with_a_hawk_signed_post():
    responses.get(f"{URL}/releases/{NAME}", **problem(404, f"Release {NAME} not found", "Not Found"))
    responses.post(f"{URL}/releases", json={"name": NAME, "status": "scheduled"}, status=201)

    line = shipit.ensure_release(request(), CREDS)

    assert line == f"Created Ship-it release {NAME} on {URL}"
    post = responses.calls[1].request
    assert json.loads(post.body)["revision"] == REV
    # The header is a valid Hawk signature of this very request with these credentials.
    mohawk.Receiver(lambda _id: CREDS, post.headers["Authorization"], post.url, "POST", content=post.body, content_type="application/json")


@responses.activate
def test_an_existing_release_is_not_created_again():
    responses.get(f"{URL}/releases/{NAME}", json={"name": NAME, "revision": REV, "status": "scheduled"})

    assert shipit.ensure_release(request(), CREDS) == f"Ship-it release {NAME} already exists on {URL}"
    assert [c.request.method for c in responses.calls] == ["GET"]


@responses.activate
def test_another_namespaces_release_of_this_version_is_named_shared():
    responses.get(f"{URL}/releases/{NAME}", json={"name": NAME, "revision": "b" * 40, "status": "scheduled"})

    line = shipit.ensure_release(request(), CREDS)

    assert "from revision bbbbbbbbbbbb, not this push's aaaaaaaaaaaa" in line
    assert "a dedicated Ship-it (a library slot)" in line


@responses.activate
def test_a_release_created_meanwhile_is_found_after_ship_its_duplicate_answer():
    responses.get(f"{URL}/releases/{NAME}", **problem(404, f"Release {NAME} not found", "Not Found"))
    responses.post(f"{URL}/releases", **problem(400, "(psycopg2.errors.UniqueViolation) duplicate key value violates unique constraint"))
    responses.get(f"{URL}/releases/{NAME}", json={"name": NAME, "revision": REV, "status": "scheduled"})

    assert shipit.ensure_release(request(), CREDS) == f"Ship-it release {NAME} already exists on {URL}"


@pytest.mark.parametrize(
    "status, detail",
    [
        (400, "IndexNotFound: Indexed task not found\nmore text"),
        (401, "required permission: project:releng:services/shipit_api/add_release/firefox, user permissions: "),
    ],
)
@responses.activate
def test_a_refusal_is_one_line_with_ship_its_own_text(status, detail):
    responses.get(f"{URL}/releases/{NAME}", **problem(404, f"Release {NAME} not found", "Not Found"))
    responses.post(f"{URL}/releases", **problem(status, detail))
    if status == 400:
        responses.get(f"{URL}/releases/{NAME}", **problem(404, f"Release {NAME} not found", "Not Found"))

    with pytest.raises(shipit.ShipitError) as e:
        shipit.ensure_release(request(), CREDS)

    line = e.value.one_line()
    assert "\n" not in line
    assert line.startswith(f"Ship-it {URL} refused to create release {NAME} ({status}): {detail.splitlines()[0].strip()}")


@responses.activate
def test_an_unreachable_ship_it_is_one_line():
    with pytest.raises(shipit.ShipitError, match=f"Ship-it at {URL} cannot be reached"):
        shipit.ensure_release(request(), CREDS)


def test_missing_credentials_name_what_to_set():
    with pytest.raises(shipit.ShipitError) as e:
        shipit.credentials({"TASKCLUSTER_CLIENT_ID": "x"})
    assert e.value.one_line().endswith("set TASKCLUSTER_ACCESS_TOKEN")
    assert shipit.credentials({"TASKCLUSTER_CLIENT_ID": "x", "TASKCLUSTER_ACCESS_TOKEN": "y"})["id"] == "x"


PUSH_PARAMETERS = """\
head_repository: https://github.com/mozilla-releng/staging-reference
head_rev: "%s"
version: 121.0b3
build_number: 1
release_product: firefox
staging: {namespace: alice, behavior: beta}
""" % REV


def cli(tmp_path, capsys, *extra, text=PUSH_PARAMETERS):
    from taskgraph_staging.interfaces.cli import main

    path = tmp_path / "parameters.yml"
    path.write_text(text)
    code = main(["shipit-release", "--parameters", str(path), *extra])
    out, err = capsys.readouterr()
    return code, out, err


@responses.activate
def test_the_command_creates_the_release_from_the_push_parameters(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TASKCLUSTER_CLIENT_ID", CREDS["id"])
    monkeypatch.setenv("TASKCLUSTER_ACCESS_TOKEN", CREDS["key"])
    responses.get(f"{URL}/releases/{NAME}", **problem(404, f"Release {NAME} not found", "Not Found"))
    responses.post(f"{URL}/releases", json={"name": NAME, "status": "scheduled"}, status=201)

    assert cli(tmp_path, capsys) == (0, f"Created Ship-it release {NAME} on {URL}\n", "")
    body = json.loads(responses.calls[1].request.body)
    assert (body["revision"], body["repo_url"], body["branch"]) == (REV, "https://github.com/mozilla-releng/staging-reference", "try")


@responses.activate
def test_the_command_dry_run_sends_nothing(tmp_path, capsys):
    code, out, _ = cli(tmp_path, capsys, "--dry-run")
    assert code == 0 and not responses.calls
    assert out.startswith(f"Would create Ship-it release {NAME} on {URL} (POST /releases, scope project:releng:services/shipit_api/add_release/firefox):")


@pytest.mark.parametrize("text, message", [
    ("- 1\n", "holds no parameters mapping"),
    ("version: 121.0b3\nhead_rev: x\nhead_repository: y\n", "has no staging block: not the parameters of a staging release's push"),
    ("a: [\n", "is not YAML"),
])
def test_the_command_refuses_other_files_in_one_line(tmp_path, capsys, text, message):
    code, out, err = cli(tmp_path, capsys, "--dry-run", text=text)
    assert (code, out) == (2, "")
    assert err.startswith("taskgraph-staging shipit-release: error: --parameters: ") and message in err and err.count("\n") == 1
