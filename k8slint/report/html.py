"""The HTML report: one self-contained page (inline CSS, SVG and script, no network) rendered with jinja2.

Findings are grouped by rule, then file; a big run's groups start collapsed
(``OPEN_BELOW``) and a small inline script filters them by words, rule and
severity. Excerpts are capped (``overview.EXCERPTS``) and the markup per finding
is lean, so the report of a 10,000-document run stays under 3 MB.
"""

from __future__ import annotations

from pathlib import Path

from k8slint import __version__
from k8slint.report import overview

TEMPLATES = Path(__file__).resolve().parent / "templates"
BAR_ROOM = 330  # pixels for the longest bar; the label column fits the longest label
LABEL_CHAR_WIDTH = 7.3  # pixels per character of the 12px monospace chart labels
OPEN_BELOW = 200  # findings: a run with more starts with its rule groups collapsed
NAMES_PER_ROW = 40  # object names listed per kind and namespace


def render(result, options) -> str:
    from html import escape

    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from markupsafe import Markup

    from k8slint.report.markup import inline_html, to_html

    env = ImmutableSandboxedEnvironment(  # templates are data: sandboxed like the knowledge base's
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    env.filters["text"] = lambda value: Markup(escape(str(value), quote=False))  # text nodes need no quote escapes
    env.filters["markdown"] = lambda text: Markup(to_html(text or ""))
    env.filters["markdown_inline"] = lambda text: Markup(inline_html(text or ""))
    page = env.get_template("report.html.j2")
    return page.render(
        view=overview.build(result, options),
        version=__version__,
        title=options.title or "k8slint report",
        bar_room=BAR_ROOM,
        label_char_width=LABEL_CHAR_WIDTH,
        open_below=OPEN_BELOW,
        names_per_row=NAMES_PER_ROW,
        filter_script=Markup((TEMPLATES / "filter.js").read_text(encoding="utf-8")),
    )
