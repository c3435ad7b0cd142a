"""The MkDocs side: what runs inside ``mkdocs build`` and ``mkdocs serve`` (build time; the rest is sync time).

- ``plugin``: the ``wikigdrive`` plugin (entry point ``mkdocs.plugins``): the synced nav and redirects,
  the page work, the theme files it brings; ``config`` its options;
- ``autosync``: the sync it runs before a build when ``export_dir`` is set (debounced under serve);
- ``watch``: under serve, the export watched with inotify too, so an edit is heard at once;
- ``commonmark`` (with ``tree``): the Markdown extension that renders the synced pages as CommonMark;
- ``markers``: the site-specific text (system name, links, brand blocks) filled in at build time;
- ``rendercache``: each page's rendering kept between builds, and rendered ahead on every core;
- ``searchcache``: each page's search entries kept with it;
- ``staticfiles``: the docs_dir's images and attachments hard-linked into the site;
- ``listing``: MkDocs' listing of the docs_dir's and the theme's files, made quicker;
- ``searchindex``: makes the search index Material writes light;
- ``minify``: drops the templates' indentation from each page;
- ``templates/``: the partials, CSS and JavaScript the plugin adds to the theme.
"""
