"""Candidates beetmover tasks: turn ``{path: destination}`` upstream artifacts into an artifactMap.

A kind lists, per upstream artifact, where it goes in the production bucket (keys
under ``pub/<product>/candidates/<version>-candidates/build<N>/``). These transforms
build beetmoverscript's ``artifactMap`` from them and add the bucket and action scopes;
the payload itself comes from taskgraph's ``beetmover`` builder.
"""

import os
from typing import Optional

from taskgraph.transforms.base import TransformSequence
from taskgraph.util.schema import Schema

from ..payloads.common import set_scopes
from .platforms import DEFAULT_LOCALE

transforms = TransformSequence()


class CandidatesSchema(Schema, forbid_unknown_fields=False, kw_only=True):
    # Beetmover bucket scope (release in production).
    bucket: str
    # Beetmover action scope.
    beetmover_action: Optional[str] = "push-to-candidates"


transforms.add_validate(CandidatesSchema)


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
                        "paths": {
                            path: {"destinations": [dest], "checksums_path": os.path.basename(dest)}
                            for path, dest in sorted(paths.items())
                        },
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
