"""``taskgraph-staging push``: start a staging release on Try from this checkout."""

NAME = "push"
HELP = "Push a staging release to Try: version files, migrations, locale limits and try_task_config.json in one commit."


def add_arguments(parser):
    from ..push.mach import add_arguments

    add_arguments(parser)


def run(args):
    from ..push.mach import push_release

    options = {k: v for k, v in vars(args).items() if k not in ("command", "_run")}
    push_release(**options)
    return 0
