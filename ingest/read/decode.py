"""Stage 1a: a document's bytes as text, whatever the bytes are.

UTF-8 with or without BOM, UTF-16/32 with a BOM, a legacy encoding (cp1252 first,
then whatever charset-normalizer finds), UTF-8 with a few bad bytes, control
characters, or not text at all: each is decoded or recognised, and ``Decoded``
says what it took so the read stage can report it with a line.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from ingest.chardata import BINARY_BYTES, CONTROL_RE, NON_ASCII_BYTES, UTF8_SEQUENCE_RE


@dataclass(frozen=True)
class Decoded:
    """A document's bytes as text, and what it took to get there."""

    text: str
    """The text with LF line endings and without control characters."""

    encoding: str
    """The encoding it was decoded from."""

    bad_bytes_line: int | None = None
    """Line of the first byte that is not UTF-8, in a file that is otherwise UTF-8 (replaced by U+FFFD)."""

    control_line: int | None = None
    """Line of the first control character (NUL and the like), which were removed."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a document: UTF-8 with or without BOM first, then a detected encoding.

    Returns the text with LF line endings and the name of the encoding used.

    >>> decode_bytes(b'\\xef\\xbb\\xbfcaf\\xc3\\xa9\\r\\n')
    ('café\\n', 'utf-8-sig')
    >>> decode_bytes('It\\u2019s caf\\u00e9'.encode('cp1252'))
    ('It’s café', 'cp1252')
    >>> decode_bytes('caf\\u00e9'.encode('utf-16'))
    ('café', 'utf-16')
    """
    decoded = decode_document(data)
    return decoded.text, decoded.encoding


def decode_document(data: bytes) -> Decoded:
    """Decode a document's bytes, repairing what can be repaired and saying where.

    UTF-8 with a few bad bytes stays UTF-8 (the bad bytes become U+FFFD): decoding
    it all as cp1252 would garble every other accented letter. Control characters
    (NUL, escape, ...) are removed: YAML refuses them and no page needs them.

    >>> decode_document("caf\\u00e9 \\u2013 ".encode() + b"\\xff\\nok")
    Decoded(text='café – �\\nok', encoding='utf-8', bad_bytes_line=1, control_line=None)
    >>> decode_document(b"a\\nb\\x00c")
    Decoded(text='a\\nbc', encoding='utf-8', bad_bytes_line=None, control_line=2)
    """
    bad_bytes_line = None
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        text, encoding = data.decode("utf-32", errors="replace"), "utf-32"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            if _mostly_utf8(data):
                text, encoding = data.decode("utf-8", errors="replace"), "utf-8"
                bad_bytes_line = data.count(b"\n", 0, exc.start) + 1
            else:
                text, encoding = _decode_legacy(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = CONTROL_RE.search(text)
    if control is not None:
        control_line = text.count("\n", 0, control.start()) + 1
        import ftfy.fixes  # here only: most exports never need it, and it takes ~0.1 s to import

        text = ftfy.fixes.remove_control_chars(text)
        return Decoded(text, encoding, bad_bytes_line, control_line)
    return Decoded(text, encoding, bad_bytes_line)


def _mostly_utf8(data: bytes) -> bool:
    """Whether most non-ASCII bytes form UTF-8 sequences: a UTF-8 file with a few bad bytes.

    >>> _mostly_utf8("café".encode() + b"\\xff"), _mostly_utf8("café".encode("cp1252"))
    (True, False)
    """
    in_sequences = sum(len(match) for match in UTF8_SEQUENCE_RE.findall(data))
    non_ascii = len(data) - len(data.translate(None, NON_ASCII_BYTES))
    return in_sequences > 0 and in_sequences >= non_ascii - in_sequences


def looks_binary(data: bytes) -> bool:
    """Whether a file is not text at all: its first 8 KB have control bytes (NUL and the like) and
    either more than 1 in 10 are, or charset-normalizer finds no text encoding for them.

    A few NUL bytes in a text file are repaired instead; UTF-16 and UTF-32 with a BOM are text.

    >>> looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR"), looks_binary(b"Hello\\x00 world, and more text")
    (True, False)
    """
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    head = data[:8192]
    controls = len(head) - len(head.translate(None, BINARY_BYTES))
    if not controls:
        return False
    if controls * 10 > len(head):
        return True
    import charset_normalizer  # imported for the odd file only (~25 ms)

    return charset_normalizer.from_bytes(head).best() is None


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Google and Windows tools write cp1252; trust it when it decodes cleanly."""
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    return data.decode("latin-1"), "latin-1"
