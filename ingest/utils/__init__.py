"""Helpers with no knowledge of wikis: ``parallel`` (a map over processes), ``progress`` (stage reports)
and ``atomicfile`` (a file written whole or not at all)."""
