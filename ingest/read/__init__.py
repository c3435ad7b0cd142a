"""Reading: the export folder as typed documents, before any change is made to them.

- ``export``: walks the export and reads every document, asset and sidecar (nothing outside it);
- ``document``: one file as a ``Document``: ``decode`` (bytes to text: UTF-8, BOM, other encodings),
  ``frontmatter`` (the YAML block split off and read; ``flatyaml`` reads wikiGDrive's plain YAML fast),
  ``meta`` (each key the theme or the sync reads, checked and repaired);
- ``navigation``: the navigation document and its entries (the nav editors laid out);
- ``svg``: whether an SVG image is safe to copy.

With ``output``, the only part of the sync that touches the disk.
"""
