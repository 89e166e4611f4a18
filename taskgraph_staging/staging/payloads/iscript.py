"""iscript payload: macOS signing on Apple hardware (gecko's ``iscript`` implementation).

As gecko_taskgraph's signing transforms shape it (``transforms/signing.py``: a macOS
task's implementation becomes ``iscript`` with ``mac-behavior: mac_sign_and_pkg`` on the
``mac-signing`` workers, read in mozilla-firefox/firefox at 06816e114b92): the payload is
signingscript's (``upstreamArtifacts``, ``maxRunTime``) plus ``behavior``, and the task
asks for ``signing:cert:<signing-type>``. iscript signs the ``.app`` inside a ``.dmg``
and writes ``target.tar.gz`` and ``target.pkg`` in its place
(``gecko_taskgraph/util/signed_artifacts.py``: ``get_signed_artifacts``).
"""

from typing import Literal, Optional

from mozilla_taskgraph.worker_types import SigningUpstreamArtifact
from taskgraph.transforms.task import payload_builder
from taskgraph.util.schema import Schema

from .common import set_payload

#: The behaviour that signs a build's ``.dmg`` and packages it (what the reference kinds ask for).
SIGN_AND_PKG = "mac_sign_and_pkg"
#: The behaviours gecko's iscript payload builder accepts.
MacBehavior = Literal["mac_notarize_part_1", "mac_notarize_part_3", "mac_sign_and_pkg", "mac_sign_and_pkg_hardened", "mac_geckodriver", "mac_single_file"]


class IscriptSchema(Schema, forbid_unknown_fields=False, kw_only=True):
    implementation: Literal["iscript"]
    # The signing cert the task asks for (signing:cert:<signing-type>).
    signing_type: str
    # What to sign and in which formats (macapp, autograph_widevine, autograph_omnija).
    upstream_artifacts: list[SigningUpstreamArtifact]
    # iscript's behaviour (the payload's behavior): mac_sign_and_pkg for a build's .dmg.
    mac_behavior: MacBehavior
    max_run_time: Optional[int] = None
    entitlements_url: Optional[str] = None
    requirements_plist_url: Optional[str] = None


def signed_paths(path, behavior):
    """What iscript writes for an input ``path`` under ``behavior`` (gecko's
    ``get_signed_artifacts``): a ``.dmg`` becomes ``.tar.gz``, and ``.pkg`` unless the
    behaviour is ``mac_sign``; any other file is signed in place."""
    if path.endswith(".dmg"):
        stem = path[: -len(".dmg")]
        return [f"{stem}.tar.gz"] + ([f"{stem}.pkg"] if behavior != "mac_sign" else [])
    return [path]


@payload_builder("iscript", schema=IscriptSchema)
def build_iscript_payload(config, task, task_def):
    worker = task["worker"]
    behavior = worker["mac-behavior"]
    payload = {"upstreamArtifacts": worker["upstream-artifacts"], "behavior": behavior}
    if worker.get("max-run-time"):
        payload["maxRunTime"] = worker["max-run-time"]
    for field in ("entitlements-url", "requirements-plist-url"):
        if worker.get(field):
            payload[field] = worker[field]
    set_payload(config, task_def, payload, f"signing:cert:{worker['signing-type']}")
    artifacts = set(task.setdefault("attributes", {}).get("release_artifacts", []))
    for upstream in worker["upstream-artifacts"]:
        for path in upstream["paths"]:
            artifacts.update(signed_paths(path, behavior))
    task["attributes"]["release_artifacts"] = sorted(artifacts)
