"""A deterministic corpus of malformed inputs, one :class:`Case` per input, for every command.

Each case is an argv for ``taskgraph-staging`` (``{tmp}`` stands for the case's temporary
directory) plus the files it needs there, or an action input for ``validate_input``. Every
case must exit 2 with one line on stderr, no traceback, and write nothing.
"""

import itertools
import json
import sqlite3
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    id: str
    argv: tuple = ()
    files: dict = field(default_factory=dict)  # name -> bytes (or a callable(path) that makes it)
    action_input: object = None  # a case for the action input's validation


NOT_UTF8 = b"\xff\xfe\x00bad: \x80\x81\n"
DEEP = "[" * 100_000 + "]" * 100_000

BAD_VERSIONS = ["", "x", "121", "121.0b", "121.0b0", "121.0.0.0", "-1.0", "121.0a1", "121.0b3\n", "１２１.0", "121.0esr1",
                "121.0b3 ", "121.0rc1", "0.0", "9" * 40 + ".0", "121.0b3;rm", "121..0", "121.0b-1"]
BAD_BEHAVIORS = ["", "nightly", "BETA", "release\n", "rc", "esr\x00", "beta release"]
BAD_PHASES = ["", "deploy", "SHIP", "ship\n", "build,ship"]
BAD_PRODUCTS = ["", "thunderbird", "Firefox", "firefox\n", "fenix "]
BAD_BUILD_NUMBERS = ["", "0", "-1", "1.0", "x", "1e3", str(10**30), "1\n", " 1", "0x1", "٣"]
BAD_PARTIALS = ["", ":", "120.0b9", "120.0b9:", "120.0b9:x", "120.0b9:0", "x:1", "120.0b9:1:nowhere", "121.0b3:1",
                "121.0b4:1", "120.0b9:1:staging:extra", "120.0b9:10000000000000000000000000000", "120.0b9:1\n"]
BAD_NAMESPACES = ["", "Alice", "alice\n", "a" * 200, "al ice", "alice/../x", "-alice", "alice\x00", "production", "✓"]
BAD_OWNERS = ["", "bob", "bob\n@example.com", "bob@example.com\nx", "@", "a" * 300 + "@example.com"]
BAD_REGISTRIES = ["", "nosuch://x", "{tmp}", "/dev/null", "{tmp}/corrupt.sqlite", "{tmp}/truncated.sqlite",
                  "postgresql://staging:wrong@127.0.0.1:1/none", "sqlite:////nonexistent-dir-xyz/a/b.sqlite", "http://x"]

SERVICES_FILES = {
    "not-utf8": NOT_UTF8,
    "list": b"- a\n- b\n",
    "scalar": b"42\n",
    "integer-keys": b"1: 2\n3: {4: 5}\n",
    "dedicated-nested-list": b"dedicated: [[x]]\n",
    "dedicated-int": b"dedicated: 7\n",
    "pools-list": b"pools: [x]\n",
    "pools-int": b"pools: 3\n",
    "rule-ids-bool": b"rule_ids: {a: true}\n",
    "rule-ids-list": b"rule_ids: [1]\n",
    "rule-ids-str": b"rule_ids: {a: one}\n",
    "unknown-key": b"nosuch: 1\n",
    "broken-yaml": b"a: [1, 2\n",
    "tab-yaml": b"a:\n\t- b\n",
    "deep": DEEP.encode(),
    "deep-map": (b"{a: " * 50_000) + (b"}" * 50_000),
    "json-broken": b'{"a": ',
    "nul": b"\x00\x00\x00",
    "anchors-bomb": b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                    b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                    b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
    "huge": lambda path: path.write_bytes(b"# " + b"x" * (50 * 1024 * 1024) + b"\n"),
}

SLOT_FILES = {
    "not-utf8": NOT_UTF8,
    "empty": b"",
    "list": b"- a\n",
    "no-slots": b"other: 1\n",
    "slots-map": b"slots: {a: 1}\n",
    "slots-int": b"slots: [1, 2]\n",
    "integer-keys": b"slots: [{1: 2}]\n",
    "missing-id": b"slots: [{balrog: {admin: x}}]\n",
    "deep": DEEP.encode(),
    "trust-domain-zzz": b"slots:\n- id: s1\n  trust-domain: zzz\n  pools: {beetmover: scriptworker-k8s/gecko-3-beetmover-s1}\n",
    "broken-yaml": b"slots: [\n",
    "huge": lambda path: path.write_bytes(b"# " + b"x" * (50 * 1024 * 1024) + b"\n"),
}

ROOT_CONFIGS = {"broken": b"trust-domain: [\n", "empty": b"", "list": b"- 1\n", "not-utf8": NOT_UTF8, "int-keys": b"1: 2\n"}

GRAPH_FILES = {
    "not-utf8": NOT_UTF8,
    "empty": b"",
    "list": b"[1, 2]",
    "scalar": b"42",
    "task-not-object": b'{"a": 1}',
    "task-no-task": b'{"a": {"label": "a"}}',
    "label-int": b'{"a": {"label": 7, "task": {}}}',
    "task-list": b'{"a": {"label": "a", "task": []}}',
    "routes-str": b'{"a": {"label": "a", "task": {"routes": "index.x"}}}',
    "payload-int": b'{"a": {"label": "a", "task": {"payload": 1}}}',
    "destinations-str": b'{"a": {"label": "a", "task": {"payload": {"upstreamArtifacts": [], "destinations": "x"}}}}',
    "deep": DEEP.encode(),
    "broken-json": b'{"a": ',
}

PARAMETER_FILES = {
    "not-utf8": NOT_UTF8,
    "list": b"- 1\n",
    "level-list": b"level: [1]\nproject: try\n",
    "project-int": b"level: '1'\nproject: 5\n",
    "staging-list": b"level: '1'\nproject: try\nstaging: [1]\n",
    "staging-ns-int": b"level: '1'\nproject: try\nstaging: {namespace: 5}\n",
    "int-keys": b"1: 2\n",
    "deep": DEEP.encode(),
}

LIVE_FILES = {"not-utf8": NOT_UTF8, "scalar": b"42\n", "int-list": b"[1, 2]\n", "broken": b"[\n", "deep": DEEP.encode()}


def _corrupt(path):
    path.write_bytes(b"SQLite format 3\x00" + b"\xde\xad" * 200)


def _truncated(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (a)")
    conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
    conn.commit()
    conn.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


REGISTRY_FILES = {"corrupt.sqlite": _corrupt, "truncated.sqlite": _truncated}

PLAN = ("plan", "--version", "121.0b3")


def _plan_cases():
    for i, v in enumerate(BAD_VERSIONS):
        yield Case(f"plan-version-{i}", ("plan", "--version", v))
    for opt, values in (("--behavior", BAD_BEHAVIORS), ("--phase", BAD_PHASES), ("--product", BAD_PRODUCTS),
                        ("--build-number", BAD_BUILD_NUMBERS), ("--partial", BAD_PARTIALS),
                        ("--namespace", BAD_NAMESPACES), ("--owner", BAD_OWNERS)):
        for i, v in enumerate(values):
            yield Case(f"plan{opt}-{i}", (*PLAN, opt, v))
    for i, v in enumerate(BAD_REGISTRIES):
        yield Case(f"plan-registry-{i}", (*PLAN, "--reservation", "r123", "--registry", v), REGISTRY_FILES)
    yield Case("plan-registry-empty", (*PLAN, "--registry", ""))
    yield Case("plan-reservation-empty", (*PLAN, "--reservation", ""))
    yield Case("plan-reservation-unknown", (*PLAN, "--reservation", "rnosuch", "--registry", "{tmp}/reg.sqlite"))
    for name, content in SERVICES_FILES.items():
        yield Case(f"plan-services-{name}", (*PLAN, "--services", "{tmp}/services.yml"), {"services.yml": content})
    yield Case("plan-services-missing", (*PLAN, "--services", "{tmp}/nosuch.yml"))
    yield Case("plan-services-directory", (*PLAN, "--services", "{tmp}"))
    yield Case("plan-services-empty-name", (*PLAN, "--services", ""))
    for name, content in ROOT_CONFIGS.items():
        yield Case(f"plan-root-{name}", (*PLAN, "--root", "{tmp}/root"), {"root/config.yml": content})
    yield Case("plan-root-missing", (*PLAN, "--root", "{tmp}/nosuch"))
    yield Case("plan-root-empty-name", (*PLAN, "--root", ""))
    yield Case("plan-output-empty", (*PLAN, "--output", ""))
    yield Case("plan-output-file", (*PLAN, "--output", "{tmp}/file"), {"file": b"x"})
    yield Case("plan-output-under-file", (*PLAN, "--output", "{tmp}/file/out"), {"file": b"x"})
    yield Case("plan-esr-on-beta", (*PLAN, "--behavior", "esr"))
    yield Case("plan-rc-on-release", ("plan", "--version", "121.0", "--rc", "--phase", "push"))
    yield Case("plan-rc-contradicts", (*PLAN, "--rc", "--behavior", "beta"))
    yield Case("plan-unknown-option", (*PLAN, "--nosuch"))
    for (a, va), (b, vb) in itertools.islice(itertools.combinations(
            [("--phase", "deploy"), ("--product", "x"), ("--build-number", "0"), ("--namespace", "A"), ("--owner", "bob")], 2), 10):
        yield Case(f"plan-combo{a}{b}", (*PLAN, a, va, b, vb))


def _audit_cases():
    for name, content in GRAPH_FILES.items():
        yield Case(f"audit-graph-{name}", ("audit", "{tmp}/task-graph.json"), {"task-graph.json": content})
    for name, content in PARAMETER_FILES.items():
        yield Case(f"audit-params-{name}", ("audit", "{tmp}/plan"),
                   {"plan/parameters.yml": content, "plan/task-graph.json": b"{}"})
    for name, content in LIVE_FILES.items():
        yield Case(f"audit-live-{name}", ("audit", "{tmp}/task-graph.json", "--live-file", "{tmp}/live.yml"),
                   {"task-graph.json": b"{}", "live.yml": content})
    for name, content in ROOT_CONFIGS.items():
        yield Case(f"audit-root-{name}", ("audit", "{tmp}/task-graph.json", "--root", "{tmp}/root"),
                   {"task-graph.json": b"{}", "root/config.yml": content})
    yield Case("audit-missing", ("audit", "{tmp}/nosuch.json"))
    yield Case("audit-empty-dir", ("audit", "{tmp}/emptydir"), {"emptydir/.keep": b""})
    yield Case("audit-empty-name", ("audit", ""))


LIBRARY_ACTIONS = {
    "list": (), "show": ("x",), "checkout": ("--owner", "a@example.com", "--product", "firefox", "--purpose", "p"),
    "renew": ("r1",), "return": ("r1",), "retire": ("s1",), "check": ("s1",), "provision-archive": ("s1", "--dry-run"),
}


def _library_cases():
    for action, rest in LIBRARY_ACTIONS.items():
        for i, v in enumerate(BAD_REGISTRIES):
            yield Case(f"library-{action}-registry-{i}", ("library", action, *rest, "--registry", v), REGISTRY_FILES)
    reg = ("--registry", "{tmp}/reg.sqlite")
    for name, content in SLOT_FILES.items():
        yield Case(f"library-add-{name}", ("library", "add", "{tmp}/slots.yml", *reg), {"slots.yml": content})
    yield Case("library-add-missing", ("library", "add", "{tmp}/nosuch.yml", *reg))
    for i, days in enumerate(["0", "-1", "61", "nan", "inf", "x", ""]):
        yield Case(f"library-checkout-days-{i}", ("library", "checkout", "--owner", "a@example.com", "--product", "firefox",
                                                   "--purpose", "p", "--days", days, *reg))
        yield Case(f"library-renew-days-{i}", ("library", "renew", "r1", "--days", days, *reg))
    for i, owner in enumerate(["", " ", "a\nb@example.com", "a" * 300 + "@example.com"]):
        yield Case(f"library-checkout-owner-{i}", ("library", "checkout", "--owner", owner, "--product", "firefox",
                                                    "--purpose", "p", *reg))
    for i, product in enumerate(["", "thunderbird"]):
        yield Case(f"library-checkout-product-{i}", ("library", "checkout", "--owner", "a@example.com", "--product", product,
                                                      "--purpose", "p", *reg))
    yield Case("library-checkout-empty-registry", ("library", "checkout", "--owner", "a@example.com", "--product", "firefox",
                                                   "--purpose", "p", *reg))
    for action in ("show", "renew", "return", "retire", "check", "provision-archive", "provision-bouncer"):
        extra = ("--product", "firefox") if action == "provision-bouncer" else ()
        yield Case(f"library-{action}-unknown", ("library", action, "nosuch", *extra, *reg))
    for i, port in enumerate(["-1", "70000", "x"]):
        yield Case(f"library-serve-archive-port-{i}", ("library", "serve-archive", "--port", port))
    for i, bucket in enumerate(["", "A_B", "x" * 70, "a..b"]):
        yield Case(f"library-serve-archive-bucket-{i}", ("library", "serve-archive", "--port", "0", "--s3-port", "0", "--bucket", bucket))
    for i, endpoint in enumerate(["", "nosuch", "ftp://x", "http://127.0.0.1:1"]):
        yield Case(f"library-serve-archive-endpoint-{i}", ("library", "serve-archive", "--port", "0", "--endpoint", endpoint))


def _push_cases():
    push = ("push", "--dry-run", "--repository", "{tmp}/repo", "--root", "{tmp}/repo")
    for i, v in enumerate(BAD_VERSIONS[:8]):
        yield Case(f"push-version-{i}", ("push", "--dry-run", "--version", v, "--repository", "{tmp}"))
    for opt, values in (("--namespace", BAD_NAMESPACES[:6]), ("--partial", BAD_PARTIALS[:6]), ("--build-number", ["x", "1.0"]),
                        ("--behavior", ["nightly", ""])):
        for i, v in enumerate(values):
            yield Case(f"push{opt}-{i}", (*push, "--version", "121.0b3", opt, v))
    for name, content in SERVICES_FILES.items():
        if name != "huge":
            yield Case(f"push-services-{name}", (*push, "--version", "121.0b3", "--services", "{tmp}/services.yml"),
                       {"services.yml": content})
    for name, content in ROOT_CONFIGS.items():
        yield Case(f"push-root-{name}", ("push", "--dry-run", "--version", "121.0b3", "--repository", "{tmp}",
                                         "--root", "{tmp}/root"), {"root/config.yml": content})
    yield Case("push-repository-missing", ("push", "--dry-run", "--version", "121.0b3", "--repository", "{tmp}/nosuch"))


def _other_cases():
    for i, families in enumerate([("nosuch",), ("",), ("balrog", "nosuch")]):
        yield Case(f"explain-family-{i}", ("explain", *families))
    yield Case("explain-format", ("explain", "--format", "html"))
    yield Case("diff-root-missing", ("diff", "--root", "{tmp}/nosuch"))
    for name, content in ROOT_CONFIGS.items():
        yield Case(f"diff-root-{name}", ("diff", "--root", "{tmp}/root"), {"root/config.yml": content})
    yield Case("diff-params-missing", ("diff", "--params", "{tmp}/nosuch"))
    yield Case("diff-params-not-utf8", ("diff", "--params", "{tmp}/params"), {"params/a.yml": NOT_UTF8})
    yield Case("no-command", ())
    yield Case("unknown-command", ("nosuch",))


GOOD_INPUT = {"release_promotion_flavor": "promote_firefox", "build_number": 1}
BAD_ACTION_INPUTS = [
    [], "x", 1, None, {}, {"build_number": 1},
    {**GOOD_INPUT, "build_number": 1.0}, {**GOOD_INPUT, "build_number": 10**30}, {**GOOD_INPUT, "build_number": 0},
    {**GOOD_INPUT, "build_number": "1"}, {**GOOD_INPUT, "build_number": True}, {**GOOD_INPUT, "build_number": -1},
    {**GOOD_INPUT, "release_promotion_flavor": "nosuch"}, {**GOOD_INPUT, "release_promotion_flavor": 1},
    {**GOOD_INPUT, "version": "x"}, {**GOOD_INPUT, "version": 121}, {**GOOD_INPUT, "namespace": ""},
    {**GOOD_INPUT, "namespace": "alice\n"}, {**GOOD_INPUT, "behavior": "nightly"},
    {**GOOD_INPUT, "partial_updates": "x"}, {**GOOD_INPUT, "partial_updates": {"x": {"buildNumber": 1}}},
    {**GOOD_INPUT, "partial_updates": {"120.0b9": {"buildNumber": "x"}}}, {**GOOD_INPUT, "release_eta": "tomorrow"},
    {**GOOD_INPUT, "nosuch": 1}, {**GOOD_INPUT, 1: 2}, {**GOOD_INPUT, "release_partners": "x"},
]


def _action_cases():
    for i, data in enumerate(BAD_ACTION_INPUTS):
        yield Case(f"action-input-{i}", action_input=data)


def cases():
    """Every case, in a stable order, with unique ids."""
    all_cases = [*_plan_cases(), *_audit_cases(), *_library_cases(), *_push_cases(), *_other_cases(), *_action_cases()]
    ids = [c.id for c in all_cases]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    return all_cases


def describe(case):
    return json.dumps(case.argv or case.action_input, default=repr)[:200]
