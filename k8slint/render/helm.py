"""Helm: lint ``helm template`` output and report each finding at the template that produced it.

Helm writes ``# Source: CHART/templates/x.yaml`` above every document it
renders. A finding on the stream is reported at that template, on its first
line: template lines do not map one to one to rendered lines (loops,
includes, conditionals), so the message quotes the rendered line instead.
With a chart directory (``--helm CHART``) the path is resolved inside it;
a rendered file is looked for beside it too, and when its templates are not
there (output kept in a repository without its chart) its findings stay on
its own lines.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from k8slint.findings import Finding
from k8slint.sources import Source, SourceError, read_head

SOURCE_COMMENT = re.compile(r"^# Source: (\S.*?)\s*$", re.MULTILINE)
TIMEOUT_SECONDS = 60
SNIFF_CHARS = 4096


def is_rendered(source: Source, sniff: bool = True) -> bool:
    """Whether a source is Helm output: a ``# Source:`` comment near its start (files are read only when ``sniff``)."""
    if source.text_from_stdin is not None:
        return SOURCE_COMMENT.search(source.text_from_stdin[:SNIFF_CHARS]) is not None
    if not sniff or not source.path:
        return False
    try:
        head = read_head(source.path, SNIFF_CHARS)  # never blocks on a FIFO
    except SourceError:
        return False
    return b"# Source: " in head and SOURCE_COMMENT.search(head.decode("utf-8", "replace")) is not None


@dataclass
class Stream:
    """A rendered Helm stream: the templates behind its lines."""

    source: Source
    chart: str | None = None  # the chart directory, when known
    starts: list[tuple[int, str]] = field(default_factory=list)  # (1-based line of the comment, template path)
    lines: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.chart or self.source.display

    @property
    def files(self) -> set[str]:
        return set()

    def template(self, line: int) -> str | None:
        """The template whose output holds ``line`` of the stream."""
        found = None
        for start, path in self.starts:
            if start > line:
                break
            found = path
        return found

    def home(self, obj) -> str | None:
        """The template file an object of the stream came from, when it is there."""
        template = self.template(obj.doc.start[0] + 1)
        file = self._file(template) if template else None
        return file if file and os.path.isfile(file) else None

    def relocate(self, finding: Finding) -> None:
        """Report the finding at its template, quoting the rendered line (a file whose templates are absent stays as is)."""
        template = self.template(finding.line)
        if template is None:
            return
        file = self._file(template)
        if self.source.path is not None and not os.path.isfile(file):
            return  # a rendered file kept without its chart: its own lines are the best place to point at
        excerpt = self.lines[finding.line - 1].strip() if 0 < finding.line <= len(self.lines) else ""
        quoted = f": `{excerpt}`" if excerpt else ""
        finding.message += (
            f" (Helm output line {finding.line}{quoted}; template lines do not map 1:1 to rendered ones, "
            "so this points at the template)"
        )
        finding.file = file
        finding.line = finding.column = finding.end_line = finding.end_column = 1

    def _file(self, template: str) -> str:
        """The template as a file: inside the chart when known, else beside the stream's file, else as Helm wrote it."""
        from k8slint.render.origins import display

        if self.chart:
            inside = template.split("/", 1)[1] if "/" in template else template
            return display(os.path.join(self.chart, inside))
        beside = os.path.join(os.path.dirname(self.source.path), template) if self.source.path else None
        if beside and not os.path.exists(template) and os.path.exists(beside):
            return display(beside)
        return template


def stream(source: Source, chart: str | None = None) -> Stream | None:
    """The Helm stream of a source (None when it cannot be read)."""
    try:
        text = source.read()
    except SourceError:
        return None
    starts = [(text.count("\n", 0, match.start()) + 1, match.group(1)) for match in SOURCE_COMMENT.finditer(text)]
    if source.text_from_stdin is None:
        source = Source(source.display, source.path, text)
    return Stream(source, chart, starts, text.splitlines())


class TemplateError(Exception):
    """helm could not render the chart."""


NO_BINARY = (
    "--helm: helm is not on PATH; render the chart and pipe it in: helm template {chart}{values} | k8slint lint -"
)


def template(chart: str, values: list[str]) -> Stream:
    """Render a chart with ``helm template`` (TemplateError with helm's words when it fails)."""
    import shutil
    import subprocess

    helm = shutil.which("helm")
    if helm is None:
        raise FileNotFoundError(NO_BINARY.format(chart=chart, values="".join(f" -f {v}" for v in values)))
    argv = [helm, "template", chart, *(arg for value in values for arg in ("--values", value))]
    try:
        process = subprocess.run(
            argv, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        raise TemplateError(f"helm template did not finish within {TIMEOUT_SECONDS} seconds") from None
    if process.returncode != 0:
        lines = [line for line in process.stderr.splitlines() if line.strip()]
        raise TemplateError((lines or ["helm template failed without a message"])[0].removeprefix("Error: "))
    return stream(Source(f"{chart} (helm template)", None, process.stdout), chart)
