"""The Artifact Registry imports: the packages the candidates uploads wrote, by their bucket keys.

As the real tree's ``beetmover_apt`` and ``beetmover_rpm`` transforms: a product's
``beetmover-apt`` task imports, from the bucket, every ``.deb`` the product's
``beetmover-repackage`` tasks upload (``target.deb`` of each Linux platform,
``target.langpack.deb`` of linux64's locales, langpacks being architecture independent;
``generate_artifact_registry_gcs_sources``), and its ``beetmover-rpm`` task every
``.rpm`` the product's ``beetmover-repackage-rpm`` tasks upload (each platform's
``target.rpm``, linux64's ``langpack-<locale>.noarch.rpm``;
``generate_artifact_registry_gcs_sources_rpm``), read from those tasks' ``artifactMap``
destinations. Which packages a task imports follows its ``worker.repo-type``
(:data:`~taskgraph_staging.model.workers.ARTIFACT_REGISTRIES`: ``apt-repo`` the
``.deb`` files, ``yum-repo`` the ``.rpm`` ones). Upstream tasks that upload none are
dropped from its dependencies. Runs after the fan-out, which made every upload task of
the product an upstream (``mode: all``).
"""

from taskgraph.transforms.base import TransformSequence

from taskgraph_staging.model.workers import ARTIFACT_REGISTRIES

transforms = TransformSequence()


def package_destinations(upstream, package):
    """The bucket keys an upstream beetmover task uploads ``package`` files (``.deb``) to."""
    found = []
    for entry in upstream.task.get("payload", {}).get("artifactMap", []):
        for path, info in sorted(entry.get("paths", {}).items()):
            if path.endswith(package):
                found.append(info["destinations"][0])
    return found


@transforms.add
def set_gcs_sources(config, tasks):
    for task in tasks:
        package = ARTIFACT_REGISTRIES[task["worker"]["repo-type"]].package
        sources = []
        for name, label in sorted(task["dependencies"].items()):
            found = package_destinations(config.kind_dependencies_tasks[label], package)
            if found:
                sources.extend(found)
            else:
                del task["dependencies"][name]
        task["worker"]["gcs-sources"] = sorted(sources)
        yield task
