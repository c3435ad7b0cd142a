"""A command-line `mkdocs build`: the garbage collector kept out of the way while it builds, and the
interpreter's last walk over everything it built spared at its end.

While it builds, a build that changes one page of a whole wiki makes millions of objects it keeps to the
end (MkDocs' files and pages, the nav, the synced export when the plugin syncs first), and every
collection of the oldest generation walks them all again: a tenth of such a build. So from the start of
a command-line `mkdocs build` (``on_startup``), what start-up made (modules, the config, the plugins,
alive to the end anyway) is moved out of the collector's reach, and the collector runs less often, as
the ``ingest`` command line does (``ingest.utils.collector``).

When the `mkdocs` command returns, Python tears the process down: it collects every reference cycle
left (MkDocs' files and pages, the nav, the config and its plugins, the caches) and frees it object
by object. On the whole 2023 export that is 0.15 s, a tenth of a build that changes one page, for
memory the operating system takes back at once anyway.

So at the very end of a command-line `mkdocs build` (``on_shutdown``), once the build's own garbage
is collected (its finalisers run as usual), what is still alive is moved out of the collector's
reach (``gc.freeze``), and the teardown leaves it alone. Python does not promise to finalise objects
that are alive at exit, so nothing that works correctly relies on it. Only where the process is
MkDocs' command line: in a process that goes on after the build (a test, a tool that builds through
MkDocs' API, `mkdocs serve`) objects frozen would never be collected, and nothing is done.
"""

from __future__ import annotations

import gc
import sys

from ingest.utils.collector import collect_less


def runs_as_mkdocs_command() -> bool:
    """Whether this process is MkDocs' command line (the ``mkdocs`` script, or ``python -m mkdocs``)."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name in ("mkdocs", "mkdocs.__main__"):
        return True
    command_line = sys.modules.get("mkdocs.__main__")
    return command_line is not None and getattr(main, "cli", None) is getattr(command_line, "cli", False)


def leave_the_rest_to_the_exit() -> bool:
    """Collect the garbage there is now, then keep the collector off what is left; returns whether it did
    (only in MkDocs' command line, whose process ends next)."""
    if not runs_as_mkdocs_command():
        return False
    gc.collect()
    gc.freeze()
    return True


def mkdocs_command() -> str | None:
    """The command of MkDocs' command line this process runs (``build``, ``serve``, ``gh-deploy``); None where
    the process is not MkDocs' command line. (``on_startup`` is told ``build`` by `mkdocs serve --clean` too.)"""
    if not runs_as_mkdocs_command():
        return None
    import click

    context = click.get_current_context(silent=True)
    return context.info_name if context is not None else None


def collect_less_while_building() -> bool:
    """At the start of a command-line `mkdocs build`, freeze what start-up made and collect less often from
    now on; returns whether it did (not under `mkdocs serve`, nor where the process is not MkDocs' command
    line: what such a process builds may be garbage before it ends). The little garbage start-up left is
    frozen with the rest, not collected first: a collection of everything imported is 20 ms of a build."""
    if mkdocs_command() != "build":
        return False
    gc.freeze()
    collect_less()
    return True
