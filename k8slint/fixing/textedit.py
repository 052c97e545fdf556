"""Apply one finding's edits to a file's text, changing nothing else.

Two ways, tried in order:

* splice: a scalar value or key replaced in place (quote style kept); a block
  mapping entry or sequence item removed with exactly its own lines; a new
  key, or a new collection value, written as block lines indented like its
  siblings (ruamel renders just those lines, with the file's indentation);
* round trip, for the rest (flow collections, block scalars, odd layouts):
  ruamel loads the document, the edit changes its tree, ruamel dumps it, and
  only the changed lines that fall inside the edited node are taken (ruamel
  also drops trailing spaces, head comments and the like, which must not leak
  into the file).

Whatever produced the text, it is accepted only if parsing it gives exactly
the data before plus the edits; otherwise the fix is refused.
"""

from __future__ import annotations

import copy
import difflib
import re
from functools import lru_cache

from k8slint import yamlio
from k8slint.findings import Edit
from k8slint.fixing.pathops import PLACEMENT, EditError, apply_edit


class FixRefused(Exception):
    """A fix that cannot be applied without changing more than it should; the message says why."""


def apply_finding_edits(text: str, document: int, edits, yaml12: bool) -> str:
    """``text`` with ``edits`` applied to document ``document``; FixRefused if that cannot be done exactly."""
    before = _data(text, yaml12)
    if document >= len(before):
        raise FixRefused(f"the file has no document {document + 1}")
    expected = list(before)
    expected[document] = copy.deepcopy(before[document])
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
        except Exception:  # ruamel has its own ideas about odd layouts; the check below is the judge
            continue
        if _data(candidate, yaml12, strict=False) == expected:
            return candidate
    raise FixRefused("the rewritten file would not read back as the intended change")


@lru_cache(maxsize=8)
def _parse(text: str, yaml12: bool):
    """Parsed documents of a text; the verified result of one fix is the starting point of the next."""
    return yamlio.parse_stream(text, yaml12=yaml12)


def _roots(text: str, yaml12: bool) -> list:
    documents, error = _parse(text, yaml12)
    if error is not None:
        raise error
    return [item.node for item in documents]


def _data(text: str, yaml12: bool, strict: bool = True):
    documents, error = _parse(text, yaml12)
    problems = sorted(
        {issue.rule for item in documents for issue in item.issues if issue.rule != "yaml-non-string-key"}
    )
    if error is not None or problems:
        if strict:
            raise FixRefused(f"the file does not parse cleanly ({', '.join(problems) or 'yaml-syntax'})")
        return None
    return [item.data for item in documents]


def _apply_one(text: str, document: int, edit: Edit, yaml12: bool, splice_allowed: bool) -> str:
    roots = _roots(text, yaml12)
    parts = yamlio.split_path(edit.path)
    entry = yamlio.locate_entry(roots[document], parts)
    if splice_allowed:
        if edit.op == "delete" and entry.found and entry.parent.size == 1 and not entry.parent.flow:
            spliced = _replace_inline(
                text, yamlio.locate_entry(roots[document], parts[:-1]), "{}" if entry.parent.kind == "mapping" else "[]"
            )
        else:
            spliced = _splice(text, entry, edit, yaml12)
        if spliced is not None:
            return spliced if text.endswith(_BREAKS) else spliced.rstrip("".join(_BREAKS))
    return _round_trip(text, roots, document, entry, edit, yaml12)


def _lines(text: str) -> list[str]:
    """Lines with their endings, split where YAML breaks lines (not at form feeds, as str.splitlines does)."""
    return [line for line in _LINE.findall(text) if line]


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


# --- splices ---------------------------------------------------------------

_BREAKS = ("\r\n", "\r", "\n", "\x85", "\u2028", "\u2029")
_LINE = re.compile(r"[^\r\n\x85\u2028\u2029]*(?:\r\n|[\r\n\x85\u2028\u2029]|$)")
_OWN_LINE = re.compile(r"[ \t]*$")
_ITEM_LINE = re.compile(r"[ \t]*-[ \t]+$")
_REST_OF_LINE = re.compile(r"[ \t]*(#.*)?$")
_SPLICE_STYLES = ("", "'", '"')


def _splice(text: str, entry: yamlio.NodeEntry, edit: Edit, yaml12: bool) -> str | None:
    if not entry.found:
        return _insert_key(text, entry, edit, yaml12) if edit.op == "set" else None
    if edit.op == "set" and isinstance(edit.value, (dict, list)) and edit.value:
        return _replace_with_block(text, entry, edit.value, yaml12)
    if edit.op == "set" and entry.value.kind == "scalar":
        return _replace_scalar(text, entry.value, edit.value, entry.parent.flow, yaml12)
    if edit.op == "set" and not entry.parent.flow:
        written = yamlio.scalar_text(edit.value, "", yaml12)
        return _replace_inline(text, entry, written) if written is not None else None
    if edit.op == "rename" and entry.key is not None and isinstance(edit.value, str):
        return _replace_scalar(text, entry.key, edit.value, entry.parent.flow, yaml12)
    if edit.op == "delete" and not entry.parent.flow and entry.parent.size > 1:
        return _delete_lines(text, entry)
    return None


def _replace_scalar(text: str, extent: yamlio.Extent, value, in_flow: bool, yaml12: bool) -> str | None:
    if (
        extent.line != extent.end_line
        or extent.style not in _SPLICE_STYLES
        or text[extent.start : extent.start + 1] in ("&", "!", "*")
    ):
        return None
    if extent.start == extent.end:  # an empty (null) value: nothing to replace, a value to add
        return _replace_inline_at(text, extent.start, extent.end, yamlio.scalar_text(value, "", yaml12))
    written = yamlio.scalar_text(value, extent.style, yaml12)
    if written is not None and in_flow and not written.startswith(("'", '"')) and any(ch in written for ch in ",[]{}"):
        written = yamlio.scalar_text(value, '"', yaml12)
    if written is None:
        return None
    return text[: extent.start] + written + text[extent.end :]


def _delete_lines(text: str, entry: yamlio.NodeEntry) -> str | None:
    lines = _lines(text)
    first = entry.key if entry.key is not None else entry.value
    lead = lines[first.line][: first.column]
    opens_item = entry.key is not None and _ITEM_LINE.fullmatch(lead)  # `- key: v` then the item's other keys
    if not (_OWN_LINE.fullmatch(lead) or opens_item or (entry.key is None and _ITEM_LINE.fullmatch(lead))):
        return None
    last = entry.value.last_line
    if entry.value.end_line == last and not _REST_OF_LINE.fullmatch(
        lines[last][entry.value.end_column :].rstrip("\r\n")
    ):
        return None
    if opens_item:
        return _pull_up_next_key(lines, first.line, last, lead)
    while last > first.line and _is_blank_or_comment(lines[last]):
        last -= 1
    return "".join(lines[: first.line] + lines[last + 1 :])


def _pull_up_next_key(lines: list[str], first: int, last: int, lead: str) -> str | None:
    """Delete the first key of a block sequence item: the item's next key moves up onto the dash line."""
    if last + 1 >= len(lines):
        return None
    following = lines[last + 1]
    if following[: len(lead)].strip() or following[len(lead) : len(lead) + 1] in ("", " ", "\t", "#", "\n", "\r"):
        return None  # not the item's next key at the item's indentation (a comment, a blank, a deeper line)
    return "".join(lines[:first] + [lead + following[len(lead) :]] + lines[last + 2 :])


def _insert_key(text: str, entry: yamlio.NodeEntry, edit: Edit, yaml12: bool) -> str | None:
    """Add a key (and any missing parent mappings) to a block mapping as new lines, indented like its siblings."""
    parent, missing = entry.parent, yamlio.split_path(edit.path)[entry.depth :]
    if (
        parent.kind != "mapping"
        or parent.flow
        or not entry.siblings
        or not all(isinstance(part, str) for part in missing)
    ):
        return None
    value = edit.value
    for part in reversed(missing[1:]):
        value = {part: value}
    lines = _lines(text)
    new_lines = _entry_lines(text, missing[0], value, entry.siblings[0][1].column, yaml12)
    at = _insertion_line(lines, entry.siblings, missing[0])
    return _join(lines[:at], new_lines, lines[at:])


def _replace_with_block(text: str, entry: yamlio.NodeEntry, value, yaml12: bool) -> str | None:
    """Write a new collection value as a block under its key; the old value's lines go."""
    key, old = entry.key, entry.value
    if key is None or entry.parent.flow or old.style in ("|", ">"):
        return None
    lines = _lines(text)
    body = _entry_lines(text, "k", value, key.column, yaml12)[1:]
    if old.line == key.line:
        if old.end_line != old.line:
            return None
        rest = lines[key.line][old.end - _line_start(lines, key.line) :]
        head = lines[key.line][: old.start - _line_start(lines, key.line)].rstrip(" \t") + rest
        return _join(lines[: key.line] + [head], body, lines[key.line + 1 :])
    last = old.last_line
    while last > old.line and _is_blank_or_comment(lines[last]):
        last -= 1
    return _join(lines[: old.line], body, lines[last + 1 :])


def _replace_inline(text: str, entry: yamlio.NodeEntry, written: str | None) -> str | None:
    """Write a one-line value (a scalar, ``{}``, ``[]``) after a block entry's key, dropping the old value's lines."""
    key, old = entry.key, entry.value
    if written is None or key is None or not entry.found or old.style in ("|", ">") or entry.parent.kind != "mapping":
        return None
    if old.line == key.line:
        return _replace_inline_at(text, old.start, old.end, written) if old.end_line == old.line else None
    colon = re.match(r"[ \t]*:", text[key.end :])
    if colon is None:
        return None
    lines = _lines(text)
    last = old.last_line
    while last > old.line and _is_blank_or_comment(lines[last]):
        last -= 1
    after_colon = key.end + colon.end()
    head = text[:after_colon] + " " + written + text[after_colon : _line_start(lines, key.line + 1)]
    return head + "".join(lines[last + 1 :])


def _replace_inline_at(text: str, start: int, end: int, written: str | None) -> str | None:
    if written is None:
        return None
    space = "" if start == 0 or text[start - 1] in " \t" else " "
    return text[:start] + space + written + text[end:]


def _line_start(lines: list[str], number: int) -> int:
    return sum(len(line) for line in lines[:number])


def _entry_lines(text: str, key: str, value, column: int, yaml12: bool) -> list[str]:
    """``key: value`` in block style, indented to ``column`` with the file's indentation and newline."""
    newline = _newline(text)
    block = yamlio.dump_round_trip(
        [yamlio.round_trip_value({key: value}, yaml12)], yamlio.detect_indent(_roots(text, yaml12))
    )
    return [" " * column + line + newline for line in block.splitlines()]


def _join(before: list[str], inserted: list[str], after: list[str]) -> str:
    """Lines with a block inserted; a file without a final newline keeps having none."""
    before, inserted = list(before), list(inserted)
    if not after and before and not before[-1].endswith(("\n", "\r")):
        before[-1] += inserted[-1][len(inserted[-1].rstrip("\r\n")) :]
        inserted[-1] = inserted[-1].rstrip("\r\n")
    return "".join(before + inserted + after)


def _insertion_line(lines: list[str], siblings: tuple, key: str) -> int:
    """Where a new key goes: before or after its usual neighbour (PLACEMENT), else after the last entry."""
    side, neighbour = PLACEMENT.get(key, (None, None))
    names = [name for name, _, _ in siblings]
    if side == "before" and neighbour in names:
        line = siblings[names.index(neighbour)][1].line
        while line > 0 and lines[line - 1].strip().startswith("#"):
            line -= 1
        return line
    _, key_extent, value = siblings[names.index(neighbour)] if side == "after" and neighbour in names else siblings[-1]
    last = value.last_line
    while last > key_extent.line and _is_blank_or_comment(lines[last]):
        last -= 1
    return last + 1


def _is_blank_or_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


# --- round trip ------------------------------------------------------------


def _round_trip(text: str, roots, document: int, entry: yamlio.NodeEntry, edit: Edit, yaml12: bool) -> str:
    """Apply ``edit`` through ruamel, to the document's own lines when it starts a line, else to the stream."""
    root = yamlio.locate_entry(roots[document], []).value
    lines = _lines(text)
    if root.column == 0 and root.kind != "scalar":
        first, last = root.line, root.last_line
        chunk = "".join(lines[first : last + 1])
        rewritten = _round_trip_chunk(chunk, 0, 1, entry, edit, yaml12, first)
        return "".join(lines[:first]) + rewritten + "".join(lines[last + 1 :])
    return _round_trip_chunk(text, document, len(roots), entry, edit, yaml12, 0)


def _round_trip_chunk(
    text: str, document: int, count: int, entry: yamlio.NodeEntry, edit: Edit, yaml12: bool, offset: int
) -> str:
    """``text`` holds ``count`` documents and starts at line ``offset`` of the file ``entry`` refers to."""
    newline = _newline(text)
    documents = yamlio.load_round_trip(text.replace("\r\n", "\n"))
    if len(documents) != count:
        raise yamlio.YamlError("the round-trip loader sees a different number of documents")
    apply_edit(
        documents[document], edit.op, edit.path, edit.value, make=lambda value: yamlio.round_trip_value(value, yaml12)
    )
    dumped = yamlio.dump_round_trip(documents, yamlio.detect_indent(yamlio.document_roots(text)), _explicit_start(text))
    if newline != "\n":
        dumped = dumped.replace("\n", newline)
    if not text.endswith(("\n", "\r")):
        dumped = dumped.rstrip("\r\n")
    low, high, inserts_only = _edited_lines(entry)
    return merge_changed_lines(text, dumped, (low - offset, high - offset, inserts_only))


def _explicit_start(text: str) -> bool:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return stripped.startswith(("---", "%"))
    return False


def _edited_lines(entry: yamlio.NodeEntry) -> tuple[int, int, bool]:
    """The original lines (0-based, inclusive) an edit may change, and whether it may only insert lines there.

    A key added to a block mapping only inserts lines; anything else ruamel
    changes in that mapping is a re-emission quirk, not the fix.
    """
    node = entry.value if entry.found else entry.parent
    first = entry.key.line if entry.key is not None else node.line
    inserts_only = not entry.found and node.kind == "mapping" and not node.flow
    return min(first, node.line), node.last_line, inserts_only


def merge_changed_lines(original: str, rewritten: str, lines: tuple[int, int, bool]) -> str:
    """``original`` with only those changes of ``rewritten`` that touch ``lines`` (0-based, inclusive).

    Lines that differ only in trailing blanks count as unchanged (the original
    is kept); with ``inserts_only`` (the third item) only added lines are taken.
    """
    low, high, inserts_only = lines
    old, new = _lines(original), _lines(rewritten)
    matcher = difflib.SequenceMatcher(
        None, [line.rstrip() for line in old], [line.rstrip() for line in new], autojunk=False
    )
    merged: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            merged.extend(old[i1:i2])
        elif tag == "insert":
            merged.extend(new[j1:j2] if low <= i1 <= high + 1 else ())
        elif tag == "delete":
            merged.extend(
                line for number, line in enumerate(old[i1:i2], i1) if inserts_only or not low <= number <= high
            )
        else:
            merged.extend(new[j1:j2] if not inserts_only and i1 <= high and i2 - 1 >= low else old[i1:i2])
    return "".join(
        line if line.endswith(("\n", "\r")) or number == len(merged) - 1 else line + _newline(original)
        for number, line in enumerate(merged)
    )
