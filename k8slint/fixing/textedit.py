"""Apply one finding's edits to a file's text, changing nothing else.

Two ways, tried in order:

* splice: a scalar value or key replaced in place (quote style kept), or a
  block mapping entry / sequence item removed with exactly its own lines;
* round trip: ruamel loads the stream, the edit changes its tree, ruamel
  dumps it with the file's indentation, and only the changed lines that fall
  inside the edited node are taken (ruamel also drops trailing spaces, head
  comments and the like, which must not leak into the file).

Whatever produced the text, it is accepted only if parsing it gives exactly
the data before plus the edits; otherwise the fix is refused.
"""

from __future__ import annotations

import copy
import difflib
import re

from k8slint import yamlio
from k8slint.findings import Edit
from k8slint.fixing.pathops import EditError, apply_edit


class FixRefused(Exception):
    """A fix that cannot be applied without changing more than it should; the message says why."""


def apply_finding_edits(text: str, document: int, edits, yaml12: bool) -> str:
    """``text`` with ``edits`` applied to document ``document``; FixRefused if that cannot be done exactly."""
    before = _data(text, yaml12)
    if document >= len(before):
        raise FixRefused(f"the file has no document {document + 1}")
    expected = copy.deepcopy(before)
    try:
        for edit in edits:
            apply_edit(expected[document], edit.op, edit.path, edit.value)
    except EditError as exc:
        raise FixRefused(f"edit does not apply: {exc}") from None
    if expected == before:
        return text
    for splice_allowed in (True, False):
        candidate = text
        try:
            for edit in edits:
                candidate = _apply_one(candidate, document, edit, yaml12, splice_allowed)
        except (EditError, yamlio.YamlError):
            continue
        if _data(candidate, yaml12, strict=False) == expected:
            return candidate
    raise FixRefused("the rewritten file would not read back as the intended change")


def _data(text: str, yaml12: bool, strict: bool = True):
    documents, error = yamlio.parse_stream(text, yaml12=yaml12)
    if error is not None or any(issue.rule != "yaml-non-string-key" for item in documents for issue in item.issues):
        if strict:
            raise FixRefused("the file does not parse cleanly")
        return None
    return [item.data for item in documents]


def _apply_one(text: str, document: int, edit: Edit, yaml12: bool, splice_allowed: bool) -> str:
    roots = yamlio.document_roots(text)
    parts = yamlio.split_path(edit.path)
    entry = yamlio.locate_entry(roots[document], parts)
    if splice_allowed:
        spliced = _splice(text, entry, edit, yaml12)
        if spliced is not None:
            return spliced
    return _round_trip(text, roots, document, entry, edit, yaml12)


# --- splices ---------------------------------------------------------------

_OWN_LINE = re.compile(r"[ \t]*$")
_ITEM_LINE = re.compile(r"[ \t]*-[ \t]+$")
_REST_OF_LINE = re.compile(r"[ \t]*(#.*)?$")
_SPLICE_STYLES = ("", "'", '"')


def _splice(text: str, entry: yamlio.Entry, edit: Edit, yaml12: bool) -> str | None:
    if not entry.found:
        return None
    if edit.op == "set" and entry.value.kind == "scalar":
        return _replace_scalar(text, entry.value, edit.value, entry.parent.flow, yaml12)
    if edit.op == "rename" and entry.key is not None and isinstance(edit.value, str):
        return _replace_scalar(text, entry.key, edit.value, entry.parent.flow, yaml12)
    if edit.op == "delete" and not entry.parent.flow and entry.parent.size > 1:
        return _delete_lines(text, entry)
    return None


def _replace_scalar(text: str, extent: yamlio.Extent, value, in_flow: bool, yaml12: bool) -> str | None:
    if extent.line != extent.end_line or extent.style not in _SPLICE_STYLES or text[extent.start] in "&!*":
        return None
    written = yamlio.scalar_text(value, extent.style, yaml12)
    if written is not None and in_flow and not written.startswith(("'", '"')) and any(ch in written for ch in ",[]{}"):
        written = yamlio.scalar_text(value, '"', yaml12)
    if written is None:
        return None
    return text[: extent.start] + written + text[extent.end:]


def _delete_lines(text: str, entry: yamlio.Entry) -> str | None:
    lines = text.splitlines(keepends=True)
    first = entry.key if entry.key is not None else entry.value
    lead = lines[first.line][: first.column]
    if not (_OWN_LINE.fullmatch(lead) or (entry.key is None and _ITEM_LINE.fullmatch(lead))):
        return None
    last = entry.value.last_line
    if entry.value.end_line == last and not _REST_OF_LINE.fullmatch(lines[last][entry.value.end_column:].rstrip("\r\n")):
        return None
    while last > first.line and _is_blank_or_comment(lines[last]):
        last -= 1
    return "".join(lines[: first.line] + lines[last + 1:])


def _is_blank_or_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


# --- round trip ------------------------------------------------------------


def _round_trip(text: str, roots, document: int, entry: yamlio.Entry, edit: Edit, yaml12: bool) -> str:
    newline = "\r\n" if "\r\n" in text else "\n"
    documents = yamlio.load_round_trip(text.replace("\r\n", "\n"))
    if len(documents) != len(roots):
        raise yamlio.YamlError("the round-trip loader sees a different number of documents")
    apply_edit(documents[document], edit.op, edit.path, edit.value, make=lambda value: yamlio.round_trip_value(value, yaml12))
    dumped = yamlio.dump_round_trip(documents, yamlio.detect_indent(roots), _explicit_start(text))
    if newline != "\n":
        dumped = dumped.replace("\n", newline)
    if not text.endswith(("\n", "\r")):
        dumped = dumped.rstrip("\r\n")
    return merge_changed_lines(text, dumped, _edited_lines(entry))


def _explicit_start(text: str) -> bool:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return stripped.startswith(("---", "%"))
    return False


def _edited_lines(entry: yamlio.Entry) -> tuple[int, int]:
    """The original lines (0-based, inclusive) an edit may change: the node, or the parent it is added to."""
    node = entry.value if entry.found else entry.parent
    first = entry.key.line if entry.key is not None else node.line
    return min(first, node.line), node.last_line


def merge_changed_lines(original: str, rewritten: str, lines: tuple[int, int]) -> str:
    """``original`` with only those changes of ``rewritten`` that touch ``lines`` (0-based, inclusive).

    Lines that differ only in trailing blanks count as unchanged (the original is kept).
    """
    low, high = lines
    old, new = original.splitlines(keepends=True), rewritten.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, [line.rstrip() for line in old], [line.rstrip() for line in new], autojunk=False)
    merged: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            merged.extend(old[i1:i2])
        elif tag == "insert":
            merged.extend(new[j1:j2] if low <= i1 <= high + 1 else ())
        elif tag == "delete":
            merged.extend(line for number, line in enumerate(old[i1:i2], i1) if not low <= number <= high)
        else:
            merged.extend(new[j1:j2] if i1 <= high and i2 - 1 >= low else old[i1:i2])
    return "".join(merged)
