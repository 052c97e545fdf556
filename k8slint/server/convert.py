"""Findings as editor objects: diagnostics, hover text and code actions (lsprotocol types, no server state).

Positions: findings count 1-based lines and characters (code points); the
server hands ranges in code points (``ServerTextRange``) to pygls, which
converts them to the encoding the client negotiated.
"""

from __future__ import annotations

from collections.abc import Iterable

from lsprotocol import types
from pygls.workspace import TextDocument
from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

from k8slint import ruledocs, suppress
from k8slint.findings import Edit, Finding
from k8slint.registry import all_rules

SOURCE = "k8slint"
FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.k8slint"
SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


def span(finding: Finding, document: TextDocument) -> ServerTextRange:
    """The finding's range in code points; an empty one (engine findings) covers one character, or the line's end."""
    start = ServerTextPosition(finding.line - 1, finding.column - 1)
    end = ServerTextPosition(finding.end_line - 1, finding.end_column - 1)
    if (end.line, end.character) <= (start.line, start.character):
        lines = document.lines
        line = lines[start.line].rstrip("\r\n") if start.line < len(lines) else ""
        end = ServerTextPosition(start.line, min(start.character + 1, len(line)) if line else 0)
        if end.character <= start.character:
            end = ServerTextPosition(start.line, start.character)
    return ServerTextRange(start, end)


def diagnostic(finding: Finding, document: TextDocument) -> types.Diagnostic:
    return types.Diagnostic(
        range=document.range_to_client_units(span(finding, document)),
        message=finding.message,
        severity=SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.rule,
        code_description=types.CodeDescription(href=ruledocs.rule_url(finding.rule)),
        source=SOURCE,
        tags=[types.DiagnosticTag.Unnecessary] if finding.rule == "unused-suppression" else None,
    )


def at(findings: Iterable[Finding], document: TextDocument, where: types.Range) -> list[Finding]:
    """The findings whose range touches ``where`` (client units)."""
    wanted = document.range_from_client_units(where)
    low = (wanted.start.line, wanted.start.character)
    high = (wanted.end.line, wanted.end.character)
    found = []
    for finding in findings:
        place = span(finding, document)
        if (place.start.line, place.start.character) <= high and low <= (place.end.line, place.end.character):
            found.append(finding)
    return found


def hover(findings: list[Finding]) -> str:
    """Markdown: for each finding, its message, then its rule's page (what, why, how to fix, examples) and link."""
    rules = all_rules()
    parts = []
    for finding in findings:
        lines = [f"**{finding.rule}** ({finding.severity}): {finding.message}", ""]
        rule = rules.get(finding.rule)
        if rule is not None:
            page = ruledocs.page(rule)
            lines.append(page.removeprefix(ruledocs.GENERATED.format(id=rule.id)).strip())
            lines.append("")
        lines.append(f"[Rule page]({ruledocs.rule_url(finding.rule)})")
        parts.append("\n".join(lines))
    return "\n\n---\n\n".join(parts)


def replacement(document: TextDocument, new_text: str) -> list[types.TextEdit]:
    """One edit replacing just the lines that differ between the document and ``new_text``."""
    old = document.lines
    new = new_text.splitlines(keepends=True)
    first = 0
    while first < min(len(old), len(new)) and old[first] == new[first]:
        first += 1
    last_old, last_new = len(old), len(new)
    while last_old > first and last_new > first and old[last_old - 1] == new[last_new - 1]:
        last_old -= 1
        last_new -= 1
    where = ServerTextRange(ServerTextPosition(first, 0), ServerTextPosition(last_old, 0))
    if last_old == len(old) and old and not old[-1].endswith(("\n", "\r")):  # the edit reaches the unterminated end
        where = ServerTextRange(ServerTextPosition(first, 0), ServerTextPosition(last_old - 1, len(old[-1])))
    return [types.TextEdit(range=document.range_to_client_units(where), new_text="".join(new[first:last_new]))]


def workspace_edit(document: TextDocument, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
    """Edits of one document, for the version the client shows (a client refuses them for another version)."""
    return types.WorkspaceEdit(
        document_changes=[
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=document.uri, version=document.version),
                edits=edits,
            )
        ]
    )


def fix_title(finding: Finding) -> str:
    """``Fix unknown-kind: set kind to 'Deployment'`` (unsafe fixes say so)."""
    title = f"Fix {finding.rule}: {'; '.join(_describe(edit) for edit in finding.edits)}"
    return title + (" (unsafe: review the change)" if finding.unsafe else "")


def _describe(edit: Edit) -> str:
    if edit.op == "set":
        if isinstance(edit.value, (dict, list)):
            return f"rewrite {edit.path}"
        return f"set {edit.path} to {edit.value!r}"
    if edit.op == "rename":
        return f"rename {edit.path} to {edit.value}"
    return f"delete {edit.path}"


def disable_edit(document: TextDocument, finding: Finding) -> types.TextEdit:
    """Suppress ``finding.rule`` on the finding's line: a ``# k8slint: disable=RULE`` line above it, or the rule
    added to the disable comment already there (a comment covers its own line and the next one)."""
    lines = document.lines
    number = finding.line - 1  # 0-based
    line = lines[number] if number < len(lines) else ""
    indent = line[: len(line) - len(line.lstrip(" "))]
    above = lines[number - 1] if number > 0 else ""
    marks = suppress.scan(above).lines if above.lstrip().startswith("#") else {}
    if marks:
        rules = sorted(next(iter(marks.values()))[1] | {finding.rule})
        end = len(above.rstrip("\r\n"))
        lead = above[: len(above) - len(above.lstrip(" "))]
        where = ServerTextRange(ServerTextPosition(number - 1, 0), ServerTextPosition(number - 1, end))
        return types.TextEdit(document.range_to_client_units(where), suppress.comment(rules, lead))
    newline = "\r\n" if line.endswith("\r\n") else "\n"
    where = ServerTextRange(ServerTextPosition(number, 0), ServerTextPosition(number, 0))
    return types.TextEdit(document.range_to_client_units(where), suppress.comment([finding.rule], indent) + newline)
