"""The site's settings that the sync needs too: one frozen record, read from ``mkdocs.yml``.

The sync and the build must agree on them (the brand whose ``only`` blocks are kept, the
addresses of the published wiki), so both read them from the one hand-written file: the
wikigdrive plugin's options (``ingest.mkdocs.config``), or, for one more release, ``extra:``.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Collection, Mapping

log = logging.getLogger(__name__)


class SettingsError(ValueError):
    """``mkdocs.yml`` cannot be read, or a setting has the wrong shape; the message says which and what to do."""


@dataclass(frozen=True)
class SiteSettings:
    """What a site says about itself that changes how its pages are made.

    Every field has a default that suits any export: no brand keeps every ``only`` block,
    no published URL leaves every absolute link as it is.
    """

    system_name: str = ""
    """What ``{{% system-name %}}`` shows (empty: the site's name)."""

    system_abbr: str = ""
    """What ``{{% sys-name %}}`` shows, the system's short name (empty: ``system_name``)."""

    system_url: str = ""
    """Where ``{{% syslink "Text" "query" %}}`` links (``<url>?<query>``); empty: the text in bold."""

    brand: str = ""
    """Keep only the ``{{% only sys="..." %}}`` blocks of this brand; empty: keep them all."""

    published_urls: tuple[str, ...] = field(default=())
    """Base URLs where this wiki is published (``https://docs.example.com/``): an absolute link to a
    page under one of them is a link to that page of the export, made internal."""

    @classmethod
    def from_mapping(cls, data: dict[str, Any], where: str = "mkdocs.yml") -> SiteSettings:
        """Settings from a mapping of the keys above; a wrong shape raises SettingsError naming the key.

        >>> SiteSettings.from_mapping({"brand": "wc", "published_urls": "https://docs.example.com"}).published_urls
        ('https://docs.example.com/',)
        """
        values: dict[str, Any] = {}
        for key in ("system_name", "system_abbr", "system_url", "brand"):
            value = data.get(key)
            if value is None:
                continue
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                raise SettingsError(f"{where}: '{key}' must be text, not {type(value).__name__} ({value!r}).")
            values[key] = str(value).strip()
        urls = data.get("published_urls")
        if urls is not None:
            if isinstance(urls, str):
                urls = [urls]
            if not isinstance(urls, list) or not all(isinstance(url, str) for url in urls):
                raise SettingsError(f"{where}: 'published_urls' must be a list of URLs, not {urls!r}.")
            bad = [url for url in urls if not url.strip().lower().startswith(("http://", "https://"))]
            if bad:
                raise SettingsError(f"{where}: published URL '{bad[0]}' must start with https:// or http://.")
            values["published_urls"] = tuple(url.strip().rstrip("/") + "/" for url in urls if url.strip())
        return cls(**values)


#: The settings a site gives, by their names in ``mkdocs.yml``.
SETTING_KEYS = ("system_name", "system_abbr", "system_url", "brand", "published_urls")


def resolve_settings(options: Mapping[str, Any], given: Collection[str], extra: Mapping[str, Any], site_name: str,
                     where: str = "mkdocs.yml") -> tuple[SiteSettings, tuple[str, ...]]:
    """The settings of a site, and a deprecation message for each one still read from ``extra:``.

    The plugin's options (``options``; ``given`` are the ones ``mkdocs.yml`` sets) come first; a
    setting the plugin is not given is read from ``extra:``, where sites kept them before the plugin,
    for one more release. ``system_name`` defaults to the site's name. A wrong shape raises
    SettingsError naming the key.

    >>> resolve_settings({"brand": ""}, set(), {"brand": "wc"}, "Help")[0].brand
    'wc'
    """
    values = {key: options[key] for key in SETTING_KEYS if key in given and key in options}
    deprecated = []
    for key in SETTING_KEYS:
        if key not in values and extra.get(key) not in (None, "", []):
            values[key] = extra[key]
            deprecated.append(f"{where}: 'extra: {key}' is deprecated: move it under the wikigdrive plugin "
                              f"(plugins: - wikigdrive: {key}: ...); 'extra:' is read for one more release.")
    settings = SiteSettings.from_mapping(values, where)
    if not settings.system_name and site_name.strip():
        settings = dataclasses.replace(settings, system_name=site_name.strip())
    return settings, tuple(deprecated)


@dataclass(frozen=True)
class SiteConfig:
    """What ``mkdocs.yml`` tells the sync: the settings, and where the docs_dir, export and URL history are."""

    settings: SiteSettings = SiteSettings()
    docs_dir: Path | None = None
    """The site's docs_dir (None without a ``mkdocs.yml``)."""

    export_dir: Path | None = None
    """The plugin's ``export_dir``, if set."""

    history_file: Path | None = None
    """The URL history beside ``mkdocs.yml`` (None without one)."""

    deprecations: tuple[str, ...] = ()
    """Messages for the settings still read from ``extra:``."""


def plugin_options(config: Mapping[str, Any], where: str) -> dict[str, Any] | None:
    """The wikigdrive plugin's options in a loaded ``mkdocs.yml`` (``{}`` for a bare name), None when it is not listed.

    >>> plugin_options({"plugins": ["search", {"wikigdrive": {"brand": "wc"}}]}, "mkdocs.yml")
    {'brand': 'wc'}
    """
    from ingest.mkdocs.config import PLUGIN_NAME

    plugins = config.get("plugins")
    entries = list(plugins.items()) if isinstance(plugins, dict) else [
        next(iter(item.items())) if isinstance(item, dict) and len(item) == 1 else (item, {})
        for item in plugins or ()]
    for name, options in entries:
        if name == PLUGIN_NAME:
            if options is None:
                return {}
            if not isinstance(options, dict):
                raise SettingsError(f"{where}: the {PLUGIN_NAME} plugin's options must be a mapping, not {options!r}.")
            return options
    return None


def read_site_config(config_file: Path) -> SiteConfig:
    """What ``config_file`` (``mkdocs.yml``) says: the wikigdrive plugin's options, checked as MkDocs does.

    A missing file gives the defaults (a sync needs no site to run); one that is not YAML, or
    an option of the wrong shape, raises SettingsError naming the file and the option.
    """
    return _read_site_config(config_file)[0]


#: Where the plugin's caches live by default, beside ``mkdocs.yml`` (with Material's own plugin caches).
DEFAULT_CACHE_DIR = ".cache/plugin/wikigdrive"

#: Where the command line keeps what it read of a ``mkdocs.yml``: in the plugin's default cache folder beside it.
REMEMBERED_CONFIG = DEFAULT_CACHE_DIR + "/site-config.pickle"


def remembered_site_config(config_file: Path) -> SiteConfig:
    """:func:`read_site_config`, kept from one run of the command line to the next.

    Checking the plugin's options as MkDocs does imports MkDocs' config options (Jinja, Markdown, Babel):
    a tenth of a second of every sync. So what was read is kept in the plugin's cache folder beside
    ``config_file`` (only where that is the plugin's default ``cache_dir`` and its ``cache`` is on), keyed by the
    file's path and bytes, the environment variables its ``!ENV`` tags may read, ingest itself and the MkDocs
    version, and used while the export folder it names is still there (the one option checked against the
    disk). A file with an ``!ENV`` tag this cannot read on one line, or with ``INHERIT``, depends on more
    than that and is read every time. The kept file is one of the sync's pickle caches (``utils.picklefile``),
    whose first line is the key: a missing, unreadable or other one costs only time.
    """
    try:
        data = config_file.read_bytes()
    except OSError:
        return read_site_config(config_file)  # missing: the defaults; unreadable: its error
    variables = _env_variables(data)
    if variables is None or b"INHERIT" in data:
        return read_site_config(config_file)
    import hashlib

    import mkdocs

    from ingest.output.manifest import code_stamp
    from ingest.utils.picklefile import PickleCache

    path = config_file.absolute()
    environment = [(name, os.environ.get(name)) for name in variables]
    key = hashlib.sha256(repr((str(path), data, environment, code_stamp(), mkdocs.__version__)).encode()).hexdigest()
    kept = PickleCache(path.parent / REMEMBERED_CONFIG, f"ingest-site-config {key}", log, "it is read",
                       "the next sync reads it")
    site = kept.read().get("site")
    if isinstance(site, SiteConfig) and (site.export_dir is None or site.export_dir.is_dir()):
        return site
    site, plugin = _read_site_config(config_file)
    if plugin is not None and plugin.cache and plugin.cache_dir == DEFAULT_CACHE_DIR:
        kept.write({"site": site})
    return site


_ENV_TAG = re.compile(rb"!ENV[ \t]+(\[[^\]\n]*\]|[A-Za-z_][A-Za-z0-9_]*)")


def _env_variables(data: bytes) -> list[str] | None:
    """Every name an ``!ENV`` tag of ``data`` may read (a superset: every word of its list); None where a tag
    is not on one line (``!ENV NAME`` or ``!ENV [NAME, ..., default]``), so what it reads is not known here.

    >>> _env_variables(b"site_url: !ENV [SITE_URL, 'http://x/']\\ndir: !ENV CACHE\\n")
    ['CACHE', 'SITE_URL', 'http', 'x']
    >>> _env_variables(b"names: !ENV\\n  - A\\n") is None
    True
    """
    found = list(_ENV_TAG.finditer(data))
    if len(found) != data.count(b"!ENV"):
        return None
    return sorted({word.decode() for match in found for word in re.findall(rb"[A-Za-z_][A-Za-z0-9_]*", match[1])})


def _read_site_config(config_file: Path) -> tuple[SiteConfig, Any]:
    """What ``config_file`` says, and the plugin's checked options (None without a file)."""
    if not config_file.is_file():
        return SiteConfig(), None
    from mkdocs.utils import yaml_load  # reads MkDocs' !ENV and !relative tags

    where = str(config_file)
    try:
        with open(config_file, encoding="utf-8") as stream:
            config = yaml_load(stream) or {}
    except Exception as exc:  # yaml's errors, a bad !ENV, an unreadable file
        raise SettingsError(f"Could not read '{config_file}': {exc}. Fix the file, or pass another with --config.")
    if not isinstance(config, dict):
        raise SettingsError(f"'{config_file}' is not a mapping of settings; fix it, or pass another with --config.")
    extra = config.get("extra") or {}
    if not isinstance(extra, dict):
        raise SettingsError(f"{config_file}: 'extra' must be a mapping.")
    options = plugin_options(config, where)
    from ingest.mkdocs.config import WikiGDriveConfig, history_path

    plugin = WikiGDriveConfig(config_file_path=str(config_file))
    plugin.load_dict(options or {})
    errors, _ = plugin.validate()
    if errors:
        key, error = errors[0]
        raise SettingsError(f"{config_file}: the wikigdrive plugin's option '{key}': {error}")
    site_name = config.get("site_name") if isinstance(config.get("site_name"), str) else ""
    settings, deprecations = resolve_settings(plugin, set(options or ()), extra, site_name, where)
    docs_dir = config.get("docs_dir") if isinstance(config.get("docs_dir"), str) else "docs"
    return SiteConfig(settings, (config_file.parent / docs_dir).absolute(),
                      Path(plugin.export_dir) if plugin.export_dir else None,
                      Path(history_path(plugin.history_file, str(config_file.absolute()))), deprecations), plugin
