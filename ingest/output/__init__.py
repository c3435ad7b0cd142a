"""Writing: the docs_dir, its manifest, the URL history and the sync's report.

- ``write``: plan what changes, stage the new docs_dir beside the old one, swap it in at once;
- ``precopy``: a first sync's images copied into the staging folder while its pages are made;
- ``manifest``: the manifest's file, and the fingerprint that tells whether anything changed;
- ``historyfile``: the URL history's file beside ``mkdocs.yml`` (committed; one doc a line);
- ``report``: the console summary of a sync;
- ``normalcache``, ``readcache``: what the last syncs normalised and read, kept beside the docs_dir.
"""
