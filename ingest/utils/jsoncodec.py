"""The JSON of the records the sync and the build keep (the manifest, the caches, the search index): through
orjson, and through the standard library's json where orjson cannot take the data.

A sync and a build that change one page of a whole wiki each read and write megabytes of such JSON; json
spent a tenth of them on it (encoding the 3.4 MB manifest alone took 55 ms, orjson takes 3 ms). For the
data these records hold (strings, numbers, booleans, None, lists and string-keyed dicts) orjson writes
what ``json.dumps(data, ensure_ascii=False, separators=(",", ":"))`` writes, byte for byte, but for a float's
exponent (``1e-7`` for ``1e-07``: the same number to any reader) and for NaN and infinities, which JSON has
no form for: null, as JavaScript writes them (json writes ``NaN``, which browsers do not read). What it
refuses (a number beyond 64 bits, a key that is not a string, a string with a lone surrogate from an
undecodable file name, written as its escape) goes through json instead. Text that orjson will
not read (``NaN``, a lone surrogate's escape) is read by json, which reads what it wrote.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_compact_sorted = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def dumps(data: Any, sort_keys: bool = False) -> bytes:
    """``data`` as compact JSON in UTF-8, keys sorted if ``sort_keys``.

    >>> dumps({"b": [1, "é"], "a": None}, sort_keys=True)
    b'{"a":null,"b":[1,"\\xc3\\xa9"]}'
    >>> dumps({"name": "caf\\udce9"})  # a file name that was not UTF-8: json writes its escape
    b'{"name":"caf\\\\udce9"}'
    """
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS if sort_keys else 0)
    except TypeError:  # orjson.JSONEncodeError is one
        pass
    text = (_compact_sorted if sort_keys else _compact).encode(data)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: written as its escape, which json reads back the same
        return json.dumps(data, sort_keys=sort_keys, separators=(",", ":")).encode("ascii")


def loads(text: bytes | str) -> Any:
    """The data of JSON ``text``; raises ValueError (json.JSONDecodeError) where it is not JSON.

    >>> loads(b'{"a": [1, 2.5, "\\xc3\\xa9"]}')
    {'a': [1, 2.5, 'é']}
    >>> loads('{"name": "caf\\\\udce9", "n": NaN}')  # orjson reads neither: json does
    {'name': 'caf\\udce9', 'n': nan}
    """
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        if isinstance(text, bytes):
            text = text.decode("utf-8", "surrogatepass")
        return json.loads(text)
