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
    assert "<link" not in html and "url(" not in html and "@import" not in html
    assert html.count("<script") == 1 and "<script>" in html  # inline: the filter
    for fetch in ("fetch(", "XMLHttpRequest", "import(", ".src", "http:", "https:"):
        assert fetch not in html.split("<script>")[1], fetch
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
    assert "<code>ValidateDeploymentSpec</code>" in dom.stdout and "`ValidateDeploymentSpec`" not in dom.stdout

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
    assert 'name: <mark>"&lt;img src=x onerror=alert(1)&gt;"</mark>' in html


def test_chart_labels_are_whole_and_fit(tmp_path):
    (tmp_path / "p.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n"
        "    livenessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 5, timeoutSeconds: 5}\n"
        "    readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 5, timeoutSeconds: 5}\n"
    )
    html = run_cli("report", "p.yaml", cwd=tmp_path).stdout
    chart = html.split('id="chart-rule"')[1].split("</svg>")[0]
    labels = re.findall(r'<text x="(\d+)"[^>]*class="bar-label">([^<]+)</text>', chart)
    assert ("probe-identical-liveness-readiness" in [name for _, name in labels]) and "…" not in chart
    longest = max(len(name) for _, name in labels)
    assert all(int(x) >= longest * 7 for x, _ in labels)  # the label column is as wide as the longest label


def test_objects_cluster_scoped_and_deduplicated(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\n"
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\nrules: []\n"
    )
    for overlay in ("dev", "prod"):
        (tmp_path / overlay).mkdir()
        (tmp_path / overlay / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n")
    html = run_cli("report", ".", cwd=tmp_path).stdout
    assert "<tr><td>Namespace</td><td>(cluster)</td><td>1</td><td>shop</td></tr>" in html
    assert "<tr><td>ClusterRole</td><td>(cluster)</td><td>1</td><td>reader</td></tr>" in html
    assert "<tr><td>ConfigMap</td><td>default</td><td>2</td><td>settings ×2</td></tr>" in html


def _many_findings(directory, files: int) -> None:
    for number in range(files):
        (directory / f"rc{number:03}.yaml").write_text(
            f"apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: Web_{number}\nspec:\n  selector:\n"
            "    app: a\n  template:\n    metadata:\n      labels:\n        app: b\n    spec:\n"
            "      containers: [{name: c, image: nginx}]\n"
        )


def test_a_big_report_is_collapsed_compact_and_filters_in_chromium(tmp_path):
    _many_findings(tmp_path, 120)
    page = tmp_path / "report.html"
    assert run_cli("report", ".", "-o", page, cwd=tmp_path).exit_code == 0
    html = page.read_text()
    findings = html.count("<li class=")
    assert (
        findings == 480 and '<details class="rg" id="findings-selector-mismatch" data-rule="selector-mismatch">' in html
    )
    # every finding in a file of its own, the worst case: ~320 bytes each; bench/html_report.py measures the
    # 10k-document bench corpus (6,715 findings, 2.5 MB)
    assert len(html.encode()) < 480 * 340

    dom = _chromium(tmp_path, "--dump-dom", page.as_uri() + "#filter=selector-mismatch")
    assert dom.returncode == 0, dom.stderr[-2000:]
    items = re.findall(r"<li class=\"(\w)[^\"]*\"( hidden=\"\")?>", dom.stdout)
    groups = {
        rule: 'hidden=""' in tag
        for rule, tag in re.findall(r'<details class="rg" id="findings-([\w-]+)"([^>]*)>', dom.stdout)
    }
    assert groups == {rule: rule != "selector-mismatch" for rule in groups} and len(groups) == 4
    visible = [item for item in items if not item[1]]
    assert len(visible) == 120 and all(severity == "e" for severity, _ in visible)
    assert f"120 of {findings} findings" in dom.stdout
