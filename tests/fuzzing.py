"""What the fuzz tests generate and what they check, shared by tests/test_fuzz.py (a bounded run in CI) and
scripts/fuzz.py (long runs, whose failures are saved under fixtures/fuzz/ and replayed by the tests).

Three properties:
* ``check_text``: any text, read as a manifest or a compose file, parses and lints without an exception,
  an internal-error finding or an exit code 2, and every finding has a position inside the file;
* ``check_fix``: a real manifest or compose file, mutated the way people get them wrong, is fixed into text that
  re-parses, whose data changed only at the fixes' edit paths, and that a second ``fix --check`` leaves alone;
* ``check_reports``: findings whose file names and messages carry control characters, ANSI escapes,
  ``<script>``, ``]]>`` or a newline and ``::error`` render in every format without a forged annotation,
  markup, an unparseable XML/JSON report or a terminal escape sequence.
"""

from __future__ import annotations

import copy
import json
import os
import random
import re
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import yaml
from conftest import FIXTURES, SHARED, run_cli
from hypothesis import strategies as st

from k8slint import yamlio

REGRESSIONS = FIXTURES / "fuzz"  # inputs long runs found: <property>-<hash>.yaml, replayed by the tests

# --- 1. text ------------------------------------------------------------------------------------------------

TOKENS = [
    *"-:[]{},&*!|>'\"#%@`?~\t\n\r ",
    "---\n",
    "...\n",
    "&a ",
    "*a",
    "<<: *a\n",
    "<<: [*a, *b]",
    "!!python/object/apply:os.system ['true']",
    "!!binary ",
    "!reset ",
    "!override ",
    "%TAG ! tag:example.com,2000:\n",
    "%YAML 1.1\n",
    "\ufeff",
    "\u2028",
    "\x85",
    "\x1b[2J",
    "\x00",
    "? ",
    "|-\n",
    ">+\n",
    "- ",
    ": ",
    "a" * 300,
    "1e309",
    "0x1F",
    "0o17",
    ".inf",
    "${VAR:?missing}",
    "$${x}",
    "${",
    "é",
    "\U0001f600",
    "apiVersion: v1\nkind: ConfigMap\n",
    "services:\n  web:\n    image: nginx\n",
    "  ",
    "    ",
]


def _seed_files() -> list[Path]:
    """Small YAML fixtures of every kind: manifests, compose files, broken ones."""
    return sorted(
        path
        for path in FIXTURES.rglob("*.y*ml")
        if path.stat().st_size < 3000 and "fuzz" not in path.parts and "rules" not in path.parts
    )


SEEDS = _seed_files()


@st.composite
def texts(draw) -> str:
    """A fixture mutated a few times, or text made of YAML's own characters and tokens."""
    if draw(st.integers(0, 4)) == 0:
        return "".join(draw(st.lists(st.sampled_from(TOKENS) | st.text(max_size=3), max_size=40)))
    text = draw(st.sampled_from(SEEDS)).read_text(encoding="utf-8", errors="replace")
    for _ in range(draw(st.integers(1, 5))):
        lines = text.splitlines(keepends=True) or [""]
        where = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "insert", "delete", "duplicate", "swap", "indent", "dedent"]))
        if op == "insert":
            text = text[:where] + draw(st.sampled_from(TOKENS) | st.text(max_size=4)) + text[where:]
        elif op == "delete":
            text = text[:where] + text[where + draw(st.integers(1, 40)) :]
        elif op == "duplicate":
            text = text[:where] + text[where : where + draw(st.integers(1, 200))] + text[where:]
        else:
            first, second = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if op == "swap":
                lines[first], lines[second] = lines[second], lines[first]
            elif op == "indent":
                lines[first] = "  " + lines[first]
            else:
                lines[first] = lines[first][min(2, len(lines[first]) - len(lines[first].lstrip(" "))) :]
            text = "".join(lines)
    return text


def check_text(text: str, compose: bool) -> None:
    """The parser and the whole lint command take ``text`` without an exception; findings sit inside it."""
    documents, error = yamlio.parse_stream(text, yaml12=compose)
    lines = text.count("\n") + text.count("\r") + 2  # libyaml also breaks lines at \r, \x85, \u2028 …
    if error is not None:
        assert 1 <= error.line <= lines + len(text) and error.column >= 1
    for document in documents:
        for issue in document.issues:
            line, column, end_line, _ = yamlio.node_span(issue.node, document.line_offset)
            assert 1 <= line <= end_line and column >= 1
    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / ("compose.yaml" if compose else "manifest.yaml")
        target.write_text(text, encoding="utf-8", errors="surrogatepass")
        result = run_cli("lint", "--format", "json", "--jobs", "1", "--select", "all", target)
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    text_lines = max(1, len(re.split(r"\r\n|\r|\n|\x85|\u2028|\u2029", text)))
    for finding in report["findings"]:
        assert finding["rule"] != "internal-error", finding["message"]
        assert 1 <= finding["line"] <= text_lines + 1, finding
        assert finding["column"] >= 1, finding
        assert (finding["end_line"], finding["end_column"]) >= (finding["line"], finding["column"]), finding


# --- 2. mutated real files through fix -------------------------------------------------------------------------

VALUES = [
    None,
    True,
    "",
    0,
    -1,
    80,
    "80",
    "0.5",
    "100mi",
    "1Gi",
    "latest",
    "nginx",
    "Deplyment",
    "extensions/v1beta1",
    "apps/v1beta2",
    "policy/v1beta1",
    "batch/v2alpha1",
    "Always",
    "yes",
    "1e3",
    "a b",
    [],
    {},
    ["x"],
    {"k": "v"},
]


def _fix_seeds() -> list[Path]:
    """Manifests and compose files that parse, from fixtures/ and a spread of ../shared/corpus (when present)."""
    own = [FIXTURES / "fix" / name for name in sorted(os.listdir(FIXTURES / "fix")) if name.endswith(".in.yaml")]
    own += sorted((FIXTURES / "examples").glob("*.yaml")) + sorted((FIXTURES / "compose").rglob("compose*.y*ml"))
    corpus = sorted((SHARED / "corpus").rglob("*.y*ml")) if SHARED.is_dir() else []
    picked = [path for path in corpus[:: max(1, len(corpus) // 60)] if path.stat().st_size < 6000]
    return [path for path in own + picked if _loads(path) is not None]


def _loads(path: Path):
    try:
        documents = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, UnicodeDecodeError):
        return None
    useful = all(isinstance(doc, dict) and ("kind" in doc or "services" in doc) for doc in documents)
    return documents if documents and useful else None  # manifests and compose files, not CI workflows


FIX_SEEDS = _fix_seeds()


def _paths(data, parts=()):
    yield parts, data
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                yield from _paths(value, parts + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, parts + (index,))


@st.composite
def mutated_files(draw) -> tuple[str, str]:
    """``(file name, text)``: a real file whose data had a few values set, keys deleted or renamed, items copied."""
    path = draw(st.sampled_from(FIX_SEEDS))
    documents = copy.deepcopy(_loads(path))
    rng = random.Random(draw(st.integers(0, 2**32)))
    for _ in range(draw(st.integers(1, 4))):
        document = rng.choice(documents)
        parts, _ = rng.choice(list(_paths(document)))
        if not parts:
            continue
        parent = document
        for part in parts[:-1]:
            parent = parent[part]
        last = parts[-1]
        op = rng.choice(["set", "set", "delete", "rename", "copy"])
        if op == "set":
            parent[last] = copy.deepcopy(rng.choice(VALUES))
        elif op == "delete":
            del parent[last]
        elif op == "rename" and isinstance(last, str):
            parent[last[:-1] or "x"] = parent.pop(last)
        elif op == "copy" and isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))
    name = "compose.yaml" if "services" in documents[0] else "manifests.yaml"
    return name, yaml.safe_dump_all(documents, sort_keys=False, allow_unicode=True)


def check_fix(name: str, text: str) -> None:
    """``fix`` output re-parses, changes data only at its edit paths, and ``fix --check`` then exits 0."""
    from k8slint.config import Settings
    from k8slint.fixing import fix_paths

    yaml12 = name == "compose.yaml"
    parsed = yamlio.parse_stream(text, yaml12=yaml12)[0]
    before, odd = (
        [item.data for item in parsed],
        {(issue.rule, issue.message) for item in parsed for issue in item.issues},
    )
    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / name
        target.write_text(text, encoding="utf-8")
        report = fix_paths([str(target)], Settings(jobs=1), unsafe=True)
        refused = [reason for outcome in report.files for _, reason in outcome.refused]
        assert not [reason for reason in refused if reason.startswith("internal error")], refused
        assert "internal-error" not in {finding.rule for finding in report.result.findings}
        fixed_text = target.read_text(encoding="utf-8")
        after, error = yamlio.parse_stream(fixed_text, yaml12=yaml12)
        assert error is None, fixed_text
        assert {(issue.rule, issue.message) for item in after for issue in item.issues} <= odd, fixed_text
        fixed = [
            (finding.document, parts)
            for outcome in report.files
            for finding in outcome.fixed
            for edit in finding.edits
            for parts in _edit_paths(edit)
        ]
        assert len(after) == len(before)
        for index, (old, new) in enumerate(zip(before, [item.data for item in after], strict=True)):
            paths = [tuple(parts) for document, parts in fixed if document == index]
            for changed in _differences(old, new):  # each at, under or on the way to (a created parent) an edit path
                assert any(changed[: len(path)] == path or path[: len(changed)] == changed for path in paths), (
                    index,
                    changed,
                    paths,
                )
        check = run_cli("fix", "--check", "--unsafe-fixes", "--jobs", "1", "--format", "json", target)
        assert check.exit_code == 0 or not json.loads(check.stdout).get("changed", []), check.output
        assert target.read_text(encoding="utf-8") == fixed_text


def _differences(old, new, path=()):
    """The paths where two data trees differ: a key only one has, a list whose length changed, another value."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in old.keys() | new.keys():
            if key in old and key in new:
                yield from _differences(old[key], new[key], path + (key,))
            else:
                yield path + (key,)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from _differences(a, b, path + (index,))
    elif old != new or type(old) is not type(new):
        yield path


def _edit_paths(edit) -> list[list]:
    """The data paths an edit may change: its path, and for a rename the new key too."""
    parts = yamlio.split_path(edit.path)
    return [parts, parts[:-1] + [edit.value]] if edit.op == "rename" else [parts]


# --- 3. reporters -------------------------------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    "]]>",
    "<![CDATA[",
    "&amp;",
    "\n::error file=forged.yaml,line=1::forged",
    "\r::warning::forged",
    "%0A::error::forged",
    "\x1b[2J\x1b[H",
    "\x1b]0;title\x07",
    "\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "\x9b31m",
    "\x07",
    "\x08\x08\x08",
    "\x00",
    "\u202e",
    "\r",
    '"',
    "'",
    "`",
    "|",
]


@st.composite
def hostile_strings(draw) -> str:
    parts = draw(
        st.lists(st.sampled_from(HOSTILE) | st.text(alphabet="abc-", min_size=1, max_size=3), min_size=1, max_size=5)
    )
    return "x" + "".join(parts)


def hostile_manifest(value: str) -> str:
    """A Deployment whose image, container name and label carry ``value``: it ends up in finding messages."""
    quoted = json.dumps(value)  # a JSON string is a YAML double-quoted scalar (escapes included)
    return (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
        "spec:\n  selector:\n    matchLabels:\n      app: " + quoted + "\n"
        "  template:\n    metadata:\n      labels:\n        app: other\n"
        "    spec:\n      containers:\n      - name: " + quoted + "\n        image: " + quoted + "\n"
    )


FORMATS = ("text", "json", "sarif", "junit", "github", "html", "markdown")
_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def render(value: str, file_name: str, format_name: str) -> tuple[str, list]:
    """``(report, findings)``: linting a manifest that carries ``value``, written to ``file_name``, in one format."""
    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / file_name
        target.write_text(hostile_manifest(value), encoding="utf-8")
        outputs = []
        for name in (format_name, "json"):
            result = run_cli("lint", "--format", name, "--jobs", "1", "--no-color", target, cwd=directory)
            assert result.exit_code in (0, 1), result.output
            outputs.append(result.stdout)
    return outputs[0], json.loads(outputs[1])["findings"]


_PROPERTY = r"(file|line|col|endLine|endColumn|title)=[^,:\r\n]*"
_ANNOTATION = re.compile(rf"::(error|warning|notice) {_PROPERTY}(,{_PROPERTY})*::[^\r]*")


def check_report(value: str, file_name: str, format_name: str) -> None:
    """One format's report of findings that carry ``value``: it parses, and file content cannot take it over."""
    report, findings = render(value, file_name, format_name)
    assert findings
    if format_name in ("json", "sarif"):
        json.loads(report)
    elif format_name == "junit":
        ElementTree.fromstring(report.encode())  # parses: control characters and ]]> were escaped
    elif format_name == "html":
        assert "<script>alert" not in report  # the report's own inline script is fine, the file's is not
    elif format_name == "github":
        lines = report.splitlines()
        annotations = [line for line in lines if line.startswith("::")]
        assert len(annotations) == len(findings), report  # no forged annotation, none split in two
        assert all(_ANNOTATION.fullmatch(line) for line in annotations), report
    elif format_name == "text":
        assert not _TERMINAL_CONTROL.search(report), repr(report)
