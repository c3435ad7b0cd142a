"""Helpers with no knowledge of wikis: ``parallel`` (a map over processes) and ``progress`` (stage reports)."""
