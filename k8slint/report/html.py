"""The HTML report: one self-contained page (inline CSS and SVG, no network) rendered with jinja2."""

from __future__ import annotations

from pathlib import Path

from k8slint import __version__
from k8slint.report import overview

TEMPLATES = Path(__file__).resolve().parent / "templates"
CHART_WIDTH = 520


def render(result, options) -> str:
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(  # templates are data: sandboxed like the knowledge base's
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    page = env.get_template("report.html.j2")
    return page.render(
        view=overview.build(result, options),
        version=__version__,
        title=options.title or "k8slint report",
        chart_width=CHART_WIDTH,
    )
