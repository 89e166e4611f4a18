"""release-beetmover-signed-langpacks: linux64's signed langpack, in every other platform's xpi directory."""

from taskgraph_staging.staging.reference.langpacks import COPIED_TO
from taskgraph_staging.staging.reference.platforms import PLATFORMS


def test_each_other_platform_gets_linux64s_signed_langpack(production_graph):
    tasks = [t for t in production_graph.tasks.values() if t.kind == "release-beetmover-signed-langpacks"]
    locales = {t.attributes["locale"] for t in production_graph.tasks.values() if t.kind == "shippable-l10n-signing"}
    assert {(t.attributes["build_platform"], t.attributes["locale"]) for t in tasks} == {
        (p, loc) for p in COPIED_TO for loc in locales | {"en-US"}
    }
    for task in tasks:
        platform, locale = task.attributes["build_platform"], task.attributes["locale"]
        (upstream,) = task.dependencies.values()
        assert production_graph.tasks[upstream].attributes["build_platform"] == "linux64"
        assert production_graph.tasks[upstream].attributes["locale"] == locale
        (entry,) = task.task["payload"]["artifactMap"]
        (path, info), = entry["paths"].items()
        assert path == ("public/build/target.langpack.xpi" if locale == "en-US" else f"public/build/{locale}/target.langpack.xpi")
        (destination,) = info["destinations"]
        assert destination.endswith(f"-candidates/build1/{PLATFORMS[platform].archive}/xpi/{locale}.xpi"), destination
        assert task.task["payload"]["releaseProperties"]["platform"] == platform
