"""Transforming: each document's text, from the export's Markdown to the page's, one pure stage each.

In pipeline order (``ingest.site.build`` runs them): ``normalize`` (text fixes; ``lists`` repairs
wikiGDrive's lists), then per page ``sanitize`` (raw HTML against one ``policy``), ``shortcodes`` (Hugo
shortcodes to Material), ``links`` (every link and image re-pointed), ``pages`` (generated lists,
headings and the page file) and ``fragments`` (same-page links that lead nowhere). ``regions`` tells
code from prose for all of them.
"""
