"""The little Markdown the rule files use (paragraphs, ``-`` lists, ``code``, **bold**), as safe HTML.

Everything is escaped first; only these constructs become tags. Links keep
their text and show the address beside it (the report stays self-contained).
"""

from __future__ import annotations

import re
from html import escape

_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def to_html(text: str) -> str:
    """Blocks separated by blank lines: a list when every line starts with ``- ``, else a paragraph."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        if lines and all(line.lstrip().startswith(("- ", "* ")) for line in lines):
            items = "".join(f"<li>{inline_html(line.lstrip()[2:])}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        elif block.strip():
            blocks.append(f"<p>{inline_html(' '.join(line.strip() for line in lines))}</p>")
    return "\n".join(blocks)


def inline_html(text: str) -> str:
    """One line of Markdown: code spans, bold, links as text."""
    parts = _CODE.split(text)  # odd parts are code spans: nothing inside them is markup
    out = []
    for position, part in enumerate(parts):
        if position % 2:
            out.append(f"<code>{escape(part)}</code>")
        else:
            html = escape(part, quote=False)
            html = _BOLD.sub(r"<strong>\1</strong>", html)
            html = _LINK.sub(r"\1 (\2)", html)
            out.append(html)
    return "".join(out)
