"""The tasks the suite collapses into one per shape differ only in locale."""

import pytest

import tasks

pytestmark = pytest.mark.workers


def _comparable(task, locales):
    deps = {name: label for name, label in task.dependencies.items()}
    return tasks.locale_free({"task": task.task, "dependencies": deps, "kind": task.kind}, locales)


def test_collapsed_tasks_differ_only_in_locale():
    _, groups = tasks.select([p for p in (pset.name for pset in tasks.diff.load_matrix(tasks.PARAMS)) if p not in tasks.FULL_SETS], ci=False)
    checked, differing = 0, []
    for (pset, key), members in sorted(groups.items(), key=lambda kv: (kv[0][0], repr(kv[0][1]))):
        if len(members) < 2:
            continue
        locales = set()
        for task, _ in members:
            locales |= tasks._locales(task)
            locales.update(part for part in task.label.split("-") if part in tasks._locales(task))
        first = _comparable(members[0][0], locales)
        for task, _ in members[1:]:
            checked += 1
            if _comparable(task, locales) != first:
                differing.append(f"{pset}: {members[0][0].label} vs {task.label}")
    assert checked > 0, "no collapsed group had two tasks: the collapse test checked nothing"
    assert differing == [], f"{len(differing)} collapsed tasks differ in more than locale, e.g. {differing[:5]}"


def test_locale_free_replaces_whole_locales_only():
    assert tasks.locale_free({"p": "a/de/b", "q": "dev", "r": "de-DE"}, {"de"}) == {"p": "a/<locale>/b", "q": "dev", "r": "<locale>-DE"}
