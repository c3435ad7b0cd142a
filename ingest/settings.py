"""The site's settings that the sync needs too: one frozen record, read from ``mkdocs.yml``.

The sync and the build must agree on them (the brand whose ``only`` blocks are kept, the
addresses of the published wiki), so both read them from the one hand-written file.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


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


def read_settings(config_file: Path) -> SiteSettings:
    """The settings in ``config_file`` (``mkdocs.yml``): its ``extra:`` section.

    A missing file gives the defaults (a sync needs no site to run); one that is not YAML, or
    a setting of the wrong shape, raises SettingsError.
    """
    if not config_file.is_file():
        return SiteSettings()
    from mkdocs.utils import yaml_load  # reads MkDocs' !ENV and !relative tags

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
    settings = SiteSettings.from_mapping(extra, str(config_file))
    if not settings.system_name and isinstance(config.get("site_name"), str):
        settings = dataclasses.replace(settings, system_name=config["site_name"].strip())
    return settings
