"""Maven uploads of the reference kinds: the artifact map from the kind's ``maven-destination``.

As android_taskgraph's beetmover transform: every upstream artifact goes to
``maven-destination`` filled with the task's ``component``, the maven ``version`` and the
artifact's file name; the payload comes from the ``scriptworker-beetmover`` builder.
"""

import posixpath

from taskgraph.transforms.base import TransformSequence
from taskgraph.util.schema import Schema

transforms = TransformSequence()


class MavenUploadSchema(Schema, forbid_unknown_fields=False, kw_only=True):
    # Bucket key of each artifact: {component}, {version} and {artifact_file_name} are filled in.
    maven_destination: str


transforms.add_validate(MavenUploadSchema)


@transforms.add
def build_artifact_map(config, tasks):
    for task in tasks:
        template = task.pop("maven-destination")
        worker = task["worker"]
        component = task.get("attributes", {}).get("component", "")
        worker["artifact-map"] = [
            {
                "taskId": upstream["taskId"],
                "paths": {
                    path: {
                        "destinations": [
                            template.format(
                                component=component, version=worker["version"], artifact_file_name=posixpath.basename(path)
                            )
                        ]
                    }
                    for path in upstream["paths"]
                },
            }
            for upstream in worker["upstream-artifacts"]
        ]
        yield task
