"""Stage 1b: one exported file as a ``Document``: its bytes decoded, its front matter split, read and checked.

Never raises: whatever the bytes are, the result is a Document or an error saying why not.
"""

from __future__ import annotations

from typing import Any

from ingest.model import Document, Problem, Severity
from ingest.read.decode import Decoded, decode_document, looks_binary
from ingest.read.frontmatter import YAML_HANDLER, FrontMatterError, front_matter_lines, split_front_matter
from ingest.read.meta import check_front_matter


def parse_document(source: str, data: bytes, directory: dict[str, Any] | None = None) -> tuple[Document | None, list[Problem]]:
    """Turn one exported file into a Document, or report why it cannot be read.

    ``directory`` is the parsed ``.wgd-directory.yaml`` entry for this file, used
    for a title and an id when the document has no front matter. Never raises:
    whatever the bytes are, the result is a Document or an error saying why not.
    """
    if looks_binary(data):
        return None, [Problem(source, None, "binary-file",
                              f"Doc '{source}' is not text (it looks like a binary file named like a doc); it is left "
                              "out of the site. Remove it from the export, or export the doc again.", Severity.ERROR)]
    decoded = decode_document(data)
    problems = _decoding_problems(source, decoded)
    text = decoded.text
    try:
        meta, body, body_line = split_front_matter(text)
    except FrontMatterError as exc:
        problems.append(Problem(source, exc.line, "invalid-yaml",
                                f"Doc '{source}': {exc.message}. The doc is left out of the site; "
                                "fix the front matter (or re-export the doc) and sync again.",
                                Severity.ERROR))
        return None, problems
    lines = front_matter_lines(text)
    meta, found = check_front_matter(source, meta, lines, body, bool(YAML_HANDLER.detect(text)),
                                     directory if isinstance(directory, dict) else None)
    problems += found
    if not body.strip() and not meta.get("redirectTo"):
        problems.append(Problem(source, None, "empty-doc",
                                f"Doc '{source}' has no text; it is shown as an empty page titled '{meta['title']}'. "
                                "Write the doc in Drive, or delete it."))
    return Document(source=source, meta=meta, body=body, body_line=body_line, encoding=decoded.encoding,
                    meta_lines=lines), problems


def _decoding_problems(source: str, decoded: Decoded) -> list[Problem]:
    problems = []
    if decoded.encoding not in ("utf-8", "utf-8-sig"):
        problems.append(Problem(source, None, "encoding",
                                f"Doc '{source}' is not UTF-8; decoded it as {decoded.encoding}. "
                                "Re-export it from Drive, or save it as UTF-8, to be sure of every character."))
    if decoded.bad_bytes_line is not None:
        problems.append(Problem(source, decoded.bad_bytes_line, "invalid-utf8",
                                f"Doc '{source}' is UTF-8 with bytes that are not; they are shown as '\ufffd'. "
                                "Fix the characters on this line in the Google Doc, or re-export it."))
    if decoded.control_line is not None:
        problems.append(Problem(source, decoded.control_line, "control-characters",
                                f"Doc '{source}' has control characters (such as NUL) from this line on; they were "
                                "removed. Re-export the doc if text is missing."))
    return problems
