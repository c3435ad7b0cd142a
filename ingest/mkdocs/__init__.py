"""The MkDocs side: what runs inside ``mkdocs build`` and ``mkdocs serve``.

- ``commonmark``: the Markdown extension that renders the synced pages as CommonMark.
"""
