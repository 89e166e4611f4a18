"""The Linux RPM chain as in Firefox's tree (issue 15): repackage-rpm (mozilla-firefox/firefox
taskcluster/kinds/repackage-rpm, gecko_taskgraph/transforms/repackage.py PACKAGE_FORMATS
"rpm" and its langpack fetches, read in SAP/project-foxhound at a561d1116fac / 3093648f4551),
repackage-rpm-signing (kinds/repackage-rpm-signing, transforms/repackage_rpm_signing.py, at
9dcb850a2774 / 271a916111ae), beetmover-repackage-rpm (kinds/beetmover-repackage-rpm,
transforms/beetmover_repackage_rpm.py, manifests/firefox_candidates.yml ``target.rpm`` and
``langpack-${locale}.noarch.rpm``, at 8770be4151c7 / 9dcb850a2774 / 3fbc8b57fc7a) and
beetmover-rpm (kinds/beetmover-rpm, transforms/beetmover_rpm.py, util/scriptworker.py
``BEETMOVER_YUM_REPO_SCOPES``, ``generate_artifact_registry_gcs_sources_rpm``, at 9dcb850a2774
/ 3fbc8b57fc7a / 13bb51c93d0f)."""

import json

import pytest
from registry_imports import import_payload

CANDIDATES = "pub/{product}/candidates/{version}-candidates/build1/"
#: (version, release type) of a production release of each behaviour (as test_balrog_rules has them).
RELEASES = {"beta": ("121.0b3", "beta"), "release": ("121.0", "release"), "esr": ("115.5.0esr", "esr115")}


def tasks_of(graph, kind, product=None):
    return sorted(
        (t for t in graph.tasks.values() if t.kind == kind and product in (None, t.attributes["shipping_product"])),
        key=lambda t: t.label,
    )


def l10n_locales(graph, product):
    """The locales of the product's linux64 langpacks (shippable-l10n-signing)."""
    return sorted(
        t.attributes["locale"] for t in tasks_of(graph, "shippable-l10n-signing", product) if t.attributes["build_platform"] == "linux64"
    )


def test_repackage_rpm_packages_each_signed_linux_build_with_linux64_s_langpacks(production_graph):
    tasks = tasks_of(production_graph, "repackage-rpm")
    assert [(t.attributes["shipping_product"], t.attributes["build_platform"], t.attributes["shipping_phase"]) for t in tasks] == [
        ("devedition", "linux64", "promote"), ("devedition", "linux64-aarch64", "promote"),
        ("firefox", "linux64", "promote"), ("firefox", "linux64-aarch64", "promote"),
    ]
    locales = l10n_locales(production_graph, "firefox")
    assert locales
    task = production_graph.tasks["repackage-rpm-firefox-linux64-aarch64"]
    # the build of its platform, and (langpacks being platform independent) every linux64 langpack
    assert task.dependencies == {
        "build-signing": "build-signing-firefox-linux64-aarch64",
        **{f"shippable-l10n-signing-firefox-linux64-{loc}": f"shippable-l10n-signing-firefox-linux64-{loc}" for loc in locales},
    }
    payload = task.task["payload"]
    command = payload["command"][-1]
    # PACKAGE_FORMATS["rpm"]: rpm --arch {architecture} --templates {rpm-templates} --version {version_display}
    # --build-number {build_number} --product {shipping_product} --release-type {release_type}
    # --input-xpi-dir {fetch-dir}/extensions; input target{archive_format}; output target.rpm
    for arg in ('./mach repackage rpm --input "$MOZ_FETCHES_DIR/target.tar.xz" --arch "$RPM_ARCH"',
                "--templates browser/installer/linux/app/rpm", '--version "$VERSION" --build-number "$BUILD_NUMBER"',
                "--product firefox --release-type beta", '--input-xpi-dir "$MOZ_FETCHES_DIR/extensions"',
                "--output /builds/worker/artifacts/target.rpm"):
        assert arg in command
    assert payload["env"]["RPM_ARCH"] == "aarch64"
    assert production_graph.tasks["repackage-rpm-firefox-linux64"].task["payload"]["env"]["RPM_ARCH"] == "x86_64"
    # _generate_download_config (target.tar.xz, not extracted) and the langpacks in extensions/<locale>
    fetches = json.loads(payload["env"]["MOZ_FETCHES"]["task-reference"])
    assert fetches[0] == {"artifact": "public/build/target.tar.xz", "extract": False, "task": "<build-signing>"}
    assert fetches[1:] == [
        {"artifact": f"public/build/{loc}/target.langpack.xpi", "dest": f"extensions/{loc}", "extract": False,
         "task": f"<shippable-l10n-signing-firefox-linux64-{loc}>"}
        for loc in locales
    ]
    # release_artifacts: target.rpm and one langpack-<locale>.noarch.rpm per langpack
    assert task.attributes["release_artifacts"] == ["public/build/target.rpm"] + [f"public/build/langpack-{loc}.noarch.rpm" for loc in locales]
    assert task.task["workerType"] == "b-linux-gcp" and task.task["tags"]["worker-implementation"] == "docker-worker"
    assert task.task["extra"]["treeherder"]["symbol"] == "Rpk-rpm"
    # Devedition's packages hold Devedition's langpacks
    devedition = production_graph.tasks["repackage-rpm-devedition-linux64"]
    assert {label for label in devedition.dependencies.values() if "l10n" in label} == {
        f"shippable-l10n-signing-devedition-linux64-{loc}" for loc in l10n_locales(production_graph, "devedition")
    }


@pytest.mark.parametrize("product, cert", [("firefox", "release-signing"), ("devedition", "nightly-signing")])
def test_repackage_rpm_signing_signs_every_package_with_autograph_rpmsign(production_graph, product, cert):
    for platform in ("linux64", "linux64-aarch64"):
        task = production_graph.tasks[f"repackage-rpm-signing-{product}-{platform}"]
        package = production_graph.tasks[f"repackage-rpm-{product}-{platform}"]
        assert task.attributes["shipping_phase"] == "promote"
        # dependencies = {dep_job.kind: dep_job.label} updated with dep_job.dependencies
        assert task.dependencies == {"repackage-rpm": package.label, **package.dependencies}
        assert task.task["payload"]["upstreamArtifacts"] == [
            {"taskId": {"task-reference": "<repackage-rpm>"}, "taskType": "repackage", "paths": [path], "formats": ["autograph_rpmsign"]}
            for path in package.attributes["release_artifacts"]
        ]
        # get_signing_type_per_platform: Devedition's on mozilla-beta, the release branches' otherwise
        assert task.task["scopes"] == [f"project:releng:signing:cert:{cert}"]
        assert task.task["workerType"] == "gecko-3-signing"
        treeherder = task.task["extra"]["treeherder"]
        assert (treeherder["groupSymbol"], treeherder["symbol"]) == ("rs", "rpm")


def test_beetmover_repackage_rpm_uploads_where_firefox_candidates_yml_puts_them(production_graph):
    def rpm_paths(label):
        task = production_graph.tasks[label]
        return {p: (e["locale"], i["destinations"]) for e in task.task["payload"]["artifactMap"] for p, i in e["paths"].items()}

    base = CANDIDATES.format(product="firefox", version="121.0b3")
    locales = l10n_locales(production_graph, "firefox")
    # target.rpm (locale_prefix ''), and linux64's langpack-${locale}.noarch.rpm (only_for_platforms, not en-US)
    assert rpm_paths("beetmover-repackage-rpm-firefox-linux64") == {
        "public/build/target.rpm": ("en-US", [f"{base}linux-x86_64/rpm/firefox-121.0b3.rpm"]),
        **{f"public/build/langpack-{loc}.noarch.rpm": (loc, [f"{base}linux-x86_64/rpm/firefox-l10n-{loc}-121.0b3.noarch.rpm"]) for loc in locales},
    }
    assert rpm_paths("beetmover-repackage-rpm-firefox-linux64-aarch64") == {
        "public/build/target.rpm": ("en-US", [f"{base}linux-aarch64/rpm/firefox-121.0b3.rpm"]),
    }
    devedition = CANDIDATES.format(product="devedition", version="121.0b3")
    assert rpm_paths("beetmover-repackage-rpm-devedition-linux64-aarch64") == {
        "public/build/target.rpm": ("en-US", [f"{devedition}linux-aarch64/rpm/firefox-121.0b3.rpm"]),
    }
    task = production_graph.tasks["beetmover-repackage-rpm-firefox-linux64"]
    assert task.dependencies == {"repackage-rpm-signing": "repackage-rpm-signing-firefox-linux64"}
    assert task.attributes["shipping_phase"] == "promote"
    assert task.task["scopes"] == ["project:releng:beetmover:action:push-to-candidates", "project:releng:beetmover:bucket:release"]
    # tasktype_map: repackage-rpm-signing: signing
    assert {a["taskType"] for a in task.task["payload"]["upstreamArtifacts"]} == {"signing"}
    assert task.task["metadata"]["description"].startswith("Publish RPM packages for linux64")
    treeherder = task.task["extra"]["treeherder"]
    # replace_group(rs(rpm), "BMR")
    assert (treeherder["groupSymbol"], treeherder["symbol"]) == ("BMR", "rpm")


def test_beetmover_rpm_imports_each_product_s_rpms_into_the_release_yum_repository(production_graph):
    firefox = production_graph.tasks["beetmover-rpm-firefox"]
    payload = import_payload(firefox, "yum-repo", "firefox")
    uploads = tasks_of(production_graph, "beetmover-repackage-rpm", "firefox")
    # generate_artifact_registry_gcs_sources_rpm: every destination of the <repackage-rpm-signing> entries
    assert payload["gcs_sources"] == sorted(
        i["destinations"][0] for t in uploads for e in t.task["payload"]["artifactMap"] for i in e["paths"].values()
    )
    assert len(payload["gcs_sources"]) == 2 + len(l10n_locales(production_graph, "firefox"))
    assert sorted(firefox.dependencies.values()) == [t.label for t in uploads]
    devedition = production_graph.tasks["beetmover-rpm-devedition"]
    assert devedition.task["payload"]["product"] == "devedition"
    assert all(s.startswith(CANDIDATES.format(product="devedition", version="121.0b3")) for s in devedition.task["payload"]["gcs_sources"])
    treeherder = firefox.task["extra"]["treeherder"]
    assert (treeherder["symbol"], treeherder["jobKind"], firefox.task["extra"]["treeherder-platform"]) == ("BM-rpm", "other", "firefox-release/opt")
    assert firefox.task["metadata"]["description"].startswith("Beetmover YUM submission for the beta firefox .rpm packages")


@pytest.mark.parametrize("behaviour", sorted(RELEASES))
def test_the_chain_runs_on_every_release_type_devedition_s_on_betas_only(graph, behaviour):
    """The newest real kinds have no run-on-releases (an earlier beetmover-repackage-rpm ran
    on nightly and beta only); Devedition, built from the beta repository, ships betas only."""
    version, release_type = RELEASES[behaviour]
    full = graph(production=True, version=version, build_number=1, release_type=release_type, release_product="firefox")
    kinds = ("repackage-rpm", "repackage-rpm-signing", "beetmover-repackage-rpm", "beetmover-rpm")
    products = {kind: {t.attributes["shipping_product"] for t in tasks_of(full, kind)} for kind in kinds}
    expected = {"firefox", "devedition"} if behaviour == "beta" else {"firefox"}
    assert products == {kind: expected for kind in kinds}
    base = CANDIDATES.format(product="firefox", version=version)
    assert f"{base}linux-x86_64/rpm/firefox-{version}.rpm" in full.tasks["beetmover-rpm-firefox"].task["payload"]["gcs_sources"]
