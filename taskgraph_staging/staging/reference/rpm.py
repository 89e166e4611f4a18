"""The Linux RPM chain: one ``.rpm`` per platform, with the product's langpacks as noarch packages.

As the real tree's ``repackage`` transforms make ``repackage-rpm`` (``PACKAGE_FORMATS["rpm"]``)
and its ``repackage_rpm_signing`` and ``beetmover_repackage_rpm`` transforms the tasks after it:

* ``repackage-rpm`` (:data:`repackage_transforms`, after the fan-out): each platform's task
  also depends on, and fetches, the signed langpack of every locale of the product's
  linux64 repacks (``shippable-l10n-signing``; langpacks are platform independent, so
  linux64's serve every platform) into ``extensions/<locale>/``, where ``mach repackage
  rpm --input-xpi-dir`` reads them, and the signed build's ``target.tar.xz``. Its
  ``release_artifacts`` attribute lists what the task makes: ``target.rpm`` and one
  ``langpack-<locale>.noarch.rpm`` per langpack.
* ``repackage-rpm-signing`` (:data:`signing_transforms`): signs every release artifact
  of its ``repackage-rpm`` upstream, one upstream artifact each, with
  ``autograph_rpmsign``, and depends on that upstream's dependencies too.
* ``beetmover-repackage-rpm`` (:data:`beetmover_transforms`, before the candidates
  beetmover transforms): an upstream-artifacts entry marked ``per-langpack: true`` is
  repeated for each langpack its signing upstream signed, ``{langpack}`` in its paths
  filled with the locale and the entry's ``locale`` set to it (the real tree's
  ``langpack-${locale}.noarch.rpm`` mapping, ``all_locales``, not en-US).
"""

import re

from taskgraph.transforms.base import TransformSequence

from .fanout import fill

#: The kind whose signed langpacks the package holds.
LANGPACK_KIND = "shippable-l10n-signing"
#: The platform whose langpacks are fetched (they serve every platform).
LANGPACK_PLATFORM = "linux64"
#: Where the fetched langpacks go (``--input-xpi-dir "$MOZ_FETCHES_DIR/extensions"``).
EXTENSIONS_DIR = "extensions"
#: The package the task makes, and each langpack's (``release_artifacts``).
PACKAGE = "public/build/target.rpm"
LANGPACK_PACKAGE = "public/build/langpack-{locale}.noarch.rpm"
#: The signing format of every package (signingscript's ``sign_rpm_pkg``).
RPM_FORMAT = "autograph_rpmsign"

_LANGPACK = re.compile(r"langpack-(.+)\.noarch\.rpm$")

repackage_transforms = TransformSequence()


@repackage_transforms.add
def fetch_langpacks(config, tasks):
    for task in tasks:
        product = task["attributes"]["shipping_product"]
        langpacks = sorted(
            (t for t in config.kind_dependencies_tasks.values()
             if t.kind == LANGPACK_KIND and t.attributes.get("shipping_product") == product
             and t.attributes.get("build_platform") == LANGPACK_PLATFORM),
            key=lambda t: t.attributes["locale"],
        )
        fetches = task.setdefault("fetches", {})
        for langpack in langpacks:
            locale = langpack.attributes["locale"]
            task["dependencies"][langpack.label] = langpack.label
            fetches[langpack.label] = [
                {"artifact": f"{locale}/target.langpack.xpi", "extract": False, "dest": f"{EXTENSIONS_DIR}/{locale}"}
            ]
        task["attributes"]["release_artifacts"] = [PACKAGE] + [
            LANGPACK_PACKAGE.format(locale=t.attributes["locale"]) for t in langpacks
        ]
        yield task


signing_transforms = TransformSequence()


@signing_transforms.add
def sign_release_artifacts(config, tasks):
    for task in tasks:
        (name, label), = task["dependencies"].items()
        package = config.kind_dependencies_tasks[label]
        task["dependencies"].update(package.dependencies)
        task["worker"]["upstream-artifacts"] = [
            {"taskId": {"task-reference": f"<{name}>"}, "taskType": "repackage", "paths": [path], "formats": [RPM_FORMAT]}
            for path in package.attributes["release_artifacts"]
        ]
        yield task


beetmover_transforms = TransformSequence()


def signed_langpacks(signing):
    """The locales of the langpack packages a signing task signed."""
    return sorted(
        match.group(1)
        for artifact in signing.task["payload"]["upstreamArtifacts"]
        for path in artifact["paths"]
        for match in [_LANGPACK.search(path)] if match
    )


@beetmover_transforms.add
def upload_langpacks(config, tasks):
    for task in tasks:
        entries = []
        for entry in task["worker"]["upstream-artifacts"]:
            if not entry.pop("per-langpack", False):
                entries.append(entry)
                continue
            name = entry["taskId"]["task-reference"].strip("<>")
            for locale in signed_langpacks(config.kind_dependencies_tasks[task["dependencies"][name]]):
                entries.append(dict(entry, locale=locale, paths=fill(entry["paths"], {"langpack": locale})))
        task["worker"]["upstream-artifacts"] = entries
        yield task
