"""The MkDocs side: what runs inside ``mkdocs build`` and ``mkdocs serve``.

- ``commonmark``: the Markdown extension that renders the synced pages as CommonMark;
- ``hooks``: loads the synced nav and redirects, fills in site-specific text, cleans each page;
- ``searchindex``: makes the search index Material writes light;
- ``minify``: drops the templates' indentation from each page.
"""
