"""The apt import: the ``.deb`` packages the candidates beetmover uploaded, by their bucket keys.

As the real tree's ``beetmover_apt`` transforms: a product's ``beetmover-apt`` task
imports, from the bucket, every ``.deb`` the product's ``beetmover-repackage`` tasks
upload (``target.deb`` of each Linux platform, ``target.langpack.deb`` of linux64's
locales, langpacks being architecture independent), read from those tasks'
``artifactMap`` destinations (``generate_artifact_registry_gcs_sources``). Upstream
tasks that upload none are dropped from its dependencies. Runs after the fan-out, which
made every ``beetmover-repackage`` task of the product an upstream (``mode: all``).
"""

from taskgraph.transforms.base import TransformSequence

transforms = TransformSequence()

#: The package artifacts the import reads (source paths' file names, as the real tree's).
DEB_ARTIFACTS = ("target.deb", "target.langpack.deb")


def deb_destinations(upstream):
    """The bucket keys an upstream beetmover task uploads ``.deb`` packages to."""
    found = []
    for entry in upstream.task.get("payload", {}).get("artifactMap", []):
        for path, info in sorted(entry.get("paths", {}).items()):
            if path.rsplit("/", 1)[-1] in DEB_ARTIFACTS:
                found.append(info["destinations"][0])
    return found


@transforms.add
def set_gcs_sources(config, tasks):
    for task in tasks:
        sources = []
        for name, label in sorted(task["dependencies"].items()):
            found = deb_destinations(config.kind_dependencies_tasks[label])
            if found:
                sources.extend(found)
            else:
                del task["dependencies"][name]
        task["worker"]["gcs-sources"] = sorted(sources)
        yield task
