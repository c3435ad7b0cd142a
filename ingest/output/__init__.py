"""Writing: the docs_dir, its manifest and the sync's report.

- ``write``: plan what changes, stage the new docs_dir beside the old one, swap it in at once;
- ``manifest``: the manifest's file, and the fingerprint that tells whether anything changed;
- ``report``: the console summary of a sync.
"""
