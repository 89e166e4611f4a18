"""Bouncer submission: the locales come from the product's locales file.

Production submits every shipped locale; reading them from
``staging-release.locales-file`` (as the locale fan-out does) keeps the submission in
step when that file is trimmed (``push --limit-locales``) or scaled. A kind that lists
``worker.locales`` itself keeps its list.
"""

from taskgraph.transforms.base import TransformSequence

from .platforms import shipped_locales

transforms = TransformSequence()


@transforms.add
def shipped_locales_of_the_release(config, tasks):
    locales = None
    for task in tasks:
        worker = task["worker"]
        if "locales" not in worker:
            if locales is None:
                locales = shipped_locales(config.graph_config)
            worker["locales"] = list(locales)
        yield task
