"""Try form of release-source: the source tarball of the Try push's own revision.

The task runs mozharness's ``package-source`` action on the revision it was pushed
with and writes ``public/build/source.tar.xz``; ``release-source-signing`` signs it
(the signing family: dep cert), ``beetmover-source`` uploads it with its signature to
``source/`` in candidates and writes ``target-source.checksums``, which
``release-source-checksums-signing`` signs and ``release-beetmover-source-checksums``
uploads to ``beetmover-checksums/source/`` (the beetmover family: dep bucket, under
the namespace). ``release-generate-checksums`` then covers those files too.

The tarball itself writes nothing outside the task, so its Try form changes no
field: the rewrite checks that the task names the revision and repository it packs
(``MOZ_SOURCE_CHANGESET``, ``MOZ_SOURCE_REPO``, which mozharness writes into the
tarball's ``sourcestamp.txt``) and says on the task what it packs: the Try push's
tree, whose version files ``mach try release`` edited, not a release branch.
"""

from .docker_env import task_env
from .explain import explains
from .registry import rewriter
from .staging import explain, record

ENV = ("MOZ_SOURCE_CHANGESET", "MOZ_SOURCE_REPO")


@rewriter("source", summary="packs the Try push's revision; says which tree the tarball holds")
def rewrite_source(ctx, task):
    env = task_env(task, "source", ENV)
    facts = {"revision": env["MOZ_SOURCE_CHANGESET"], "repository": env["MOZ_SOURCE_REPO"]}
    record(task, "source_tarball", facts)
    explain(
        task,
        f"the tarball packs {facts['repository']} at {facts['revision']}: the Try push's tree, with the version "
        "files this staging release set, not the release branch production packs.",
    )


explains(
    "source",
    task_types="release-source (+ release-source-signing, beetmover-source, release-source-checksums-signing, "
    "release-beetmover-source-checksums)",
    production="mozharness package-source packs the release branch's revision into source.tar.xz; signingscript "
    "GPG-signs it with the release key; beetmover uploads tarball and .asc to candidates/source/, and its "
    "target-source.checksums, GPG-signed, to beetmover-checksums/source/",
    try_form="the same task on the Try push's revision (MOZ_SOURCE_CHANGESET/MOZ_SOURCE_REPO name it); signing "
    "with the dep cert; beetmover to the dep bucket under staging/<namespace>/",
    verifies="the tree packs, the tarball and its checksums sign in gcp_prod_autograph_gpg, beetmoverscript "
    "accepts the source upload and names its checksums file after the kind, and release-generate-checksums "
    "covers the source files",
    cannot="the release branch's tree (the Try push's tree differs by the version files) and the release GPG key "
    "(dep key on Try)",
)
