"""``k8slint report`` as HTML: self-contained, and rendered by a real headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from conftest import FIXTURES, run_cli

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


@pytest.fixture
def page(tmp_path):
    result = run_cli("report", "reports", "-o", tmp_path / "report.html", cwd=FIXTURES)
    assert result.exit_code == 0, result.output
    assert "wrote html report of 3 file(s)" in result.stderr
    return tmp_path / "report.html"


class _References(HTMLParser):
    """Every URL the page would fetch or link to."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("src", "href", "srcset", "data") and value]


def test_page_is_self_contained(page):
    html = page.read_text()
    parser = _References()
    parser.feed(html)
    assert parser.urls and all(url.startswith("#rule-") for url in parser.urls)
    assert "<script" not in html and "<link" not in html and "url(" not in html and "@import" not in html
    assert html.count("<svg") == 2


def _browser():
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no headless Chromium found (install Debian's `chromium` package; .ci/run tries to)")


def _chromium(tmp_path, *args):
    command = [
        _browser(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        *map(str, args),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=90)


def test_chromium_renders_summary_and_findings(page, tmp_path):
    dom = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    numbers = dict(re.findall(r'id="summary-(\w+)"><span class="num">(\d+)</span>', dom.stdout))
    assert numbers == {"files": "3", "objects": "4", "errors": "4", "warnings": "1", "infos": "0"}
    assert "selector app=web-frontend does not match the template labels app=web" in dom.stdout
    assert "<mark>web-frontend</mark>" in dom.stdout  # the source excerpt marks the reported value
    assert "<td>Deployment</td><td>shop</td><td>2</td><td>web, worker</td>" in dom.stdout
    assert "<title>error: 4</title>" in dom.stdout and "<title>selector-mismatch: 1</title>" in dom.stdout  # SVG bars

    shot = tmp_path / "shot.png"
    taken = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri())
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_format_follows_the_output_suffix(tmp_path):
    run_cli("report", "reports", "-o", tmp_path / "r.md", cwd=FIXTURES)
    assert (tmp_path / "r.md").read_text().startswith("## k8slint report")
    assert run_cli("report", "reports", cwd=FIXTURES).stdout.startswith("<!DOCTYPE html>")
    missing = run_cli("report", "nowhere", cwd=FIXTURES)
    assert missing.exit_code == 2 and "nowhere: no such file or directory" in missing.stderr
    assert run_cli("report", cwd=FIXTURES).exit_code == 2


def test_values_from_manifests_are_escaped(tmp_path):
    (tmp_path / "x.yaml").write_text(
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "<img src=x onerror=alert(1)>"\n'
    )
    html = run_cli("report", "x.yaml", cwd=tmp_path).stdout
    assert "<img" not in html
    assert "name: <mark>&#34;&lt;img src=x onerror=alert(1)&gt;&#34;</mark>" in html
