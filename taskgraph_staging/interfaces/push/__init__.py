"""``taskgraph-staging push`` and ``mach try release``: start a staging release on Try.

* :mod:`.settings` - what ``config.yml staging-release:`` says about pushing;
* :mod:`.versions` - version files, migrations and locale limits (pure);
* :mod:`.try_config` - the validated choices and ``try_task_config.json`` (pure);
* :mod:`.vcs` - git and Mercurial: read the checkout, push one commit, leave it as it was;
* :mod:`.push` - orchestration: prepare, describe (dry run), push;
* :mod:`.mach` - the arguments and the function a mach selector calls.
"""
