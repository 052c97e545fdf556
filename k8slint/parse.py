"""Source -> Documents: read a file once, parse every document, keep file-level problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from k8slint import yamlio
from k8slint.documents import Document
from k8slint.sources import DEFAULT_MAX_BYTES, Source, SourceError


@dataclass
class ParsedSource:
    """A source's documents and the problems met reading it, as (rule, line, column, message).

    ``line_problems`` concern the file; ``document_problems`` (by document
    index) concern one document's YAML, which matters only if it is a manifest.
    """

    source: Source
    text: str = ""
    documents: list[Document] = field(default_factory=list)
    line_problems: list[tuple[str, int, int, str]] = field(default_factory=list)
    document_problems: dict[int, list[tuple[str, int, int, str]]] = field(default_factory=dict)


def parse_source(source: Source, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedSource:
    """Read and parse one source. Never raises for bad input: problems become rule hits."""
    parsed = ParsedSource(source)
    try:
        parsed.text = source.read(max_bytes)
    except SourceError as exc:
        parsed.line_problems.append(("file-unreadable", exc.line, 1, f"cannot read {source.display}: {exc}"))
        return parsed
    yaml12 = source.is_compose_name
    documents, error = yamlio.parse_stream(parsed.text, yaml12=yaml12)
    if error is not None:
        hint = " (a tab: YAML is indented with spaces only)" if _tab_near(parsed.text, error.line, error.column) else ""
        parsed.line_problems.append(
            ("yaml-syntax", error.line, error.column, f"YAML syntax error: {error.message}{hint}")
        )
    for index, item in enumerate(documents):
        document = Document(source, index, item.data, item.node, item.line_offset, yaml12)
        parsed.documents.append(document)
        for issue in item.issues:
            span = yamlio.node_span(issue.node, item.line_offset)
            problem = (issue.rule, span[0], span[1], issue.message)
            if issue.rule == "yaml-syntax":
                parsed.line_problems.append(problem)
            else:
                parsed.document_problems.setdefault(index, []).append(problem)
    return parsed


def reparse_node(source: Source, start: tuple[int, int]):
    """``(node, line offset)`` of the document starting at ``start`` in a source; cached per process.

    The text of the last few sources is kept, so each document is composed on its own (``yamlio.Stream``):
    placing a finding in each of 8,000 documents of one file reads it once and composes each document once.
    The few last documents are kept too (the findings of one document are placed one after another).
    """
    try:
        return _reparse(source, start)
    except SourceError:
        return None, 0


@lru_cache(maxsize=8)
def _reparse(source: Source, start: tuple[int, int]):
    return _stream(source).node(start)


@lru_cache(maxsize=2)
def _stream(source: Source) -> yamlio.Stream:
    return yamlio.Stream(source.read())


def _tab_near(text: str, line: int, column: int) -> bool:
    lines = text.splitlines()
    return 0 < line <= len(lines) and "\t" in lines[line - 1][: column + 1]
