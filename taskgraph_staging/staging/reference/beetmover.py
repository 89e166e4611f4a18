"""Candidates beetmover tasks: turn ``{path: destination}`` upstream artifacts into an artifactMap.

A kind lists, per upstream artifact, where it goes in the production bucket (keys
under ``pub/<product>/candidates/<version>-candidates/build<N>/``): the key itself, or
``{destination: <key>, update-balrog-manifest: true}`` for a complete MAR, which
beetmoverscript then describes in its ``public/manifest.json`` (URL, hash, size) for
the balrog kind. These transforms build beetmoverscript's ``artifactMap`` from them and
add the bucket and action scopes; the payload itself comes from taskgraph's
``beetmover`` builder.
"""

import os
from typing import Optional

from taskgraph.transforms.base import TransformSequence
from taskgraph.util.schema import Schema

from ..payloads.common import release_build_number, release_version, set_scopes
from .platforms import DEFAULT_LOCALE

transforms = TransformSequence()


class CandidatesSchema(Schema, forbid_unknown_fields=False, kw_only=True):
    # Beetmover bucket scope (release in production).
    bucket: str
    # Beetmover action scope.
    beetmover_action: Optional[str] = "push-to-candidates"


transforms.add_validate(CandidatesSchema)


def map_entry(value):
    """One ``artifactMap`` path entry from a kind's destination (a key, or a mapping
    with ``destination`` and ``update-balrog-manifest``)."""
    if isinstance(value, str):
        value = {"destination": value}
    entry = {"destinations": [value["destination"]], "checksums_path": os.path.basename(value["destination"])}
    if value.get("update-balrog-manifest"):
        entry["update_balrog_manifest"] = True
    return entry


@transforms.add
def build_artifact_map(config, tasks):
    for task in tasks:
        worker = task["worker"]
        default_locale = task.get("attributes", {}).get("locale", DEFAULT_LOCALE)
        artifact_map = []
        upstream = []
        for entry in worker["upstream-artifacts"]:
            locale = entry.get("locale", default_locale)
            paths = entry["paths"]
            if isinstance(paths, dict):
                artifact_map.append(
                    {
                        "locale": locale,
                        "taskId": entry["taskId"],
                        "paths": {path: map_entry(value) for path, value in sorted(paths.items())},
                    }
                )
                paths = sorted(paths)
            upstream.append(dict(entry, paths=paths, locale=locale))
        worker["upstream-artifacts"] = upstream
        worker["artifact-map"] = artifact_map
        yield task


@transforms.add
def add_scopes(config, tasks):
    for task in tasks:
        bucket = task.pop("bucket")
        action = task.pop("beetmover-action", "push-to-candidates")
        set_scopes(config, task, f"beetmover:bucket:{bucket}", f"beetmover:action:{action}")
        yield task


#: After taskgraph's task transforms: the release fields of a candidates payload.
payload_transforms = TransformSequence()


@payload_transforms.add
def add_release_fields(config, tasks):
    """``version`` and ``build_number`` in a candidates payload, as production's
    beetmover payloads of a release carry them: beetmoverscript's balrog manifest
    names the release blob with them (a ``KeyError`` without). taskgraph's
    ``beetmover`` builder has no field for them, so they are added to what it built."""
    for task in tasks:
        payload = task["task"]["payload"]
        payload.setdefault("version", release_version(config))
        payload.setdefault("build_number", release_build_number(config))
        yield task
