"""The site as a whole: every page, where it is, and what it was.

- ``build``: the pure pipeline from a read export to the pages, nav and redirects (``build_site``);
- ``nav``: where each doc goes in the navigation, and its page path; ``navdoc`` finds the doc each navigation entry links to;
- ``redirects``: wikiGDrive's redirect stubs, followed to the live page;
- ``history``: what the last sync made (``Manifest``, ``UrlHistory``): changes, old URLs, pages to keep.
"""
