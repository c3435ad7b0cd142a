"""The commands, as the CLI (``ingest/__main__.py``) and the MkDocs plugin call them.

- ``sync``: read the export, build the site in memory, write the docs_dir in one step, keep the URL history.
"""
