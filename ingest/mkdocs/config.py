"""The ``wikigdrive`` plugin's settings in ``mkdocs.yml``: names, types and defaults.

The plugin reads them (MkDocs validates them as it loads the site), and so does
``python -m ingest sync`` (``ingest.settings.read_site_config``), so both agree on the brand,
the published URLs and where the export and the URL history are::

    plugins:
      - search
      - redirects
      - wikigdrive:
          export_dir: export          # `mkdocs build` syncs it first; `mkdocs serve` watches it
          system_name: Acme EHR
          brand: acme
          published_urls: [https://docs.acme.example/]
"""

from __future__ import annotations

import os

from mkdocs.config import base
from mkdocs.config import config_options as c

from ingest.settings import DEFAULT_CACHE_DIR  # where the plugin's caches live by default (the sync's too)

#: The plugin's name in ``mkdocs.yml`` and its entry point.
PLUGIN_NAME = "wikigdrive"

#: Where the URL history lives by default: beside ``mkdocs.yml``.
DEFAULT_HISTORY_FILE = "wikigdrive-history.json"


class WikiGDriveConfig(base.Config):
    """The options of ``plugins: - wikigdrive:``; the docs of each say what it changes."""

    enabled = c.Type(bool, default=True)
    """Set to false to build the docs_dir as it is, without the plugin's nav, redirects and page work."""

    export_dir = c.Optional(c.Dir(exists=True))
    """The folder wikiGDrive exports to (relative to ``mkdocs.yml``). With it, `mkdocs build` syncs the
    export into ``docs_dir`` first when it changed, and `mkdocs serve` also watches it and re-syncs."""

    history_file = c.Type(str, default=DEFAULT_HISTORY_FILE)
    """The URL history (relative to ``mkdocs.yml``): every doc's page and every old URL that redirects.
    Commit it; the sync keeps it up to date."""

    system_name = c.Type(str, default="")
    """What ``{{% system-name %}}`` shows (empty: ``site_name``)."""

    system_abbr = c.Type(str, default="")
    """What ``{{% sys-name %}}`` shows, the short name (empty: ``system_name``)."""

    system_url = c.Type(str, default="")
    """Where ``{{% syslink "Text" "query" %}}`` links (``<url>?<query>``); empty: the text in bold."""

    brand = c.Type(str, default="")
    """Keep only the ``{{% only sys="..." %}}`` blocks of this brand; empty: keep them all."""

    published_urls = c.ListOfItems(c.Type(str), default=[])
    """Where this wiki is published: absolute links to its pages become links within the site."""

    sync_problems = c.Choice(("warn", "info"), default="warn")
    """How the problems a sync finds in the docs are logged: ``warn`` (so `mkdocs build --strict`
    fails on them, like MkDocs' own link checks) or ``info``."""

    cache = c.Type(bool, default=True)
    """Keep each page's rendering, search entries and themed HTML between builds (``cache_dir``), so a page
    that did not change is not converted, indexed or themed again. See ``ingest.mkdocs.rendercache`` and
    ``ingest.mkdocs.themecache``."""

    cache_dir = c.Type(str, default=DEFAULT_CACHE_DIR)
    """Where the caches are kept (relative to ``mkdocs.yml``). Deleting it only makes the next build slower."""

    workers = c.Type(int, default=0)
    """Processes that render pages ahead on a `mkdocs build` with pages to render: 0 for one per CPU,
    1 to render them all in the build process."""

    debounce = c.Type((int, float), default=0.5)
    """Under `mkdocs serve`, how long (seconds) the export must stay unchanged before a re-sync writes the
    docs_dir (it reads the export meanwhile, and again if it changed): wikiGDrive writes a doc and its images
    file by file, within milliseconds of each other. Longer waits a pull's pauses out (docs are downloaded
    one by one), at the cost of every edit's wait; MkDocs waits 0.1 s after a change to the docs_dir."""


def history_path(history_file: str, config_file_path: str | None) -> str:
    """The history file's path: as given when absolute, else beside ``mkdocs.yml`` (the working
    folder for a config without a file)."""
    return beside_config(history_file, config_file_path)


def beside_config(path: str, config_file_path: str | None) -> str:
    """``path`` as given when absolute, else relative to ``mkdocs.yml``'s folder (the working folder
    for a config without a file); always absolute, so it is the same path however MkDocs was given the
    config (`mkdocs serve` loads it first as ``mkdocs.yml``, then by its full path)."""
    base_dir = os.path.dirname(config_file_path) if config_file_path else os.getcwd()
    return os.path.abspath(os.path.join(base_dir, os.path.expanduser(path)))
